"""presswash library: sources, extraction, boilerplate stripping, language, quality, warehouse.

Nothing in this package imports prefect, so every step runs and tests as a plain function;
``flows`` wraps these steps for orchestration.
"""

from pipeline.duckdb_memory import return_freed_memory

return_freed_memory()  # before any DuckDB connection allocates

__version__ = "0.1.0"
