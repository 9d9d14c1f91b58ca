"""presswash library: sources, extraction, boilerplate stripping, language, quality, warehouse.

Nothing in this package imports prefect, so every step runs and tests as a plain function;
``flows`` wraps these steps for orchestration.
"""

__version__ = "0.1.0"
