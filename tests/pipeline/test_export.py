"""Parquet export round-trips: the files read back give the same rows, via DuckDB and Arrow."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.dataset as ds

from pipeline.export import export_parquet
from pipeline.warehouse import snapshot_path
from tests.pipeline.warehouse_fixture import build

COLUMNS = "article_id, title, text, language, published_date, source_name, run_id, written_at"


def test_export_round_trips_through_duckdb_and_pyarrow(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    build(db)
    out = tmp_path / "export"
    with duckdb.connect(str(snapshot_path(db)), read_only=True) as con:
        assert export_parquet(con, out) == {"articles": 4, "removed_lines": 4}
        # A second export replaces the first rather than adding files.
        assert export_parquet(con, out) == {"articles": 4, "removed_lines": 4}
        expected = con.execute(f"SELECT {COLUMNS} FROM current_articles ORDER BY 1").fetchall()
        lines = con.execute(
            "SELECT article_id, position, reason FROM current_removed_lines ORDER BY ALL"
        ).fetchall()

    assert sorted(
        p.relative_to(out / "articles").parts[:2] for p in out.rglob("articles/**/*.parquet")
    ) == [
        ("published_date=2026-11-20", "language=de"),
        ("published_date=2026-11-20", "language=en"),
        ("published_date=2026-11-21", "language=en"),
        ("published_date=__HIVE_DEFAULT_PARTITION__", "language=en"),
    ]
    with duckdb.connect() as con:
        back = con.execute(
            f"SELECT {COLUMNS} FROM read_parquet('{out}/articles/**/*.parquet',"
            " hive_partitioning = true) ORDER BY 1"
        ).fetchall()
        back_lines = con.execute(
            f"SELECT article_id, position, reason FROM read_parquet("
            f"'{out}/removed_lines/**/*.parquet', hive_partitioning = true) ORDER BY ALL"
        ).fetchall()
    assert back == expected
    assert back_lines == lines

    table = ds.dataset(out / "articles", format="parquet", partitioning="hive").to_table()
    arrow_rows = sorted(
        (r["article_id"], r["text"], r["language"], r["published_date"]) for r in table.to_pylist()
    )
    # Arrow reads partition values as text; the default partition comes back as NULL.
    assert arrow_rows == [
        (a, text, lang, date and str(date)) for a, _, text, lang, date, *_ in expected
    ]
