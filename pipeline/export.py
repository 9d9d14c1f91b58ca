"""Parquet export of current articles and their removed lines, partitioned Hive-style.

``DIR/articles/published_date=2026-11-27/language=en/data_0.parquet`` is the layout pandas
(pyarrow), polars, Spark and DuckDB all read as one dataset with the partition columns
restored; an article without a usable date lands in ``published_date=__HIVE_DEFAULT_PARTITION__``,
which those readers turn back into NULL.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

PARTITIONS = ("published_date", "language")

EXPORTS: dict[str, str] = {
    "articles": "SELECT * FROM current_articles",
    "removed_lines": """
        SELECT l.*, a.published_date
        FROM current_removed_lines AS l JOIN current_articles AS a USING (article_id, run_id)
    """,
}
"""Dataset name -> the query whose rows it holds."""


def export_parquet(con: duckdb.DuckDBPyConnection, target: Path) -> dict[str, int]:
    """Write each dataset under ``target``, replacing an earlier export; rows per dataset."""
    target.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for name, query in EXPORTS.items():
        folder = str(target / name).replace("'", "''")
        row = con.execute(
            f"COPY ({query}) TO '{folder}'"
            f" (FORMAT parquet, PARTITION_BY ({', '.join(PARTITIONS)}), OVERWRITE true)"
        ).fetchone()
        counts[name] = row[0] if row else 0
    return counts
