"""Prefect flows and the CLI around the ``pipeline`` library."""

import pipeline  # noqa: F401  (first: it configures DuckDB's allocator before duckdb loads)
