"""warehouse/README.md is true: every query in it runs, and the DuckDB CLI route works."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipeline.search import load_fts
from pipeline.warehouse import snapshot_path
from tests.pipeline.warehouse_fixture import build

README = Path(__file__).parents[2] / "warehouse" / "README.md"
QUERIES = re.findall(r"```sql\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
DUCKDB_CLI = Path(sys.executable).parent / "duckdb"


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("docs") / "presswash.duckdb"
    build(db)
    return snapshot_path(db)


def test_the_readme_has_a_dozen_queries() -> None:
    assert len(QUERIES) >= 12


@pytest.mark.parametrize("query", QUERIES, ids=[f"query{i}" for i in range(len(QUERIES))])
def test_every_readme_query_runs_and_returns_rows(snapshot: Path, query: str) -> None:
    with duckdb.connect(str(snapshot), read_only=True) as con:
        load_fts(con)  # what presswash has done once on any machine that ran it
        result = con.execute(query).fetchall()
    assert result, f"no rows from:\n{query}"


@pytest.mark.skipif(not DUCKDB_CLI.exists(), reason="duckdb-cli is not installed")
def test_the_duckdb_cli_opens_the_snapshot_with_fts(snapshot: Path) -> None:
    query = (
        "LOAD fts; SELECT count(*) FROM current_articles;"
        " SELECT count(*)"
        " FROM search_articles('flood');"
    )
    done = subprocess.run(
        [str(DUCKDB_CLI), "-readonly", "-csv", "-noheader", str(snapshot), "-c", query],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["4", "1"]


def test_every_table_view_and_column_is_commented(snapshot: Path) -> None:
    with duckdb.connect(str(snapshot), read_only=True) as con:
        missing = con.execute(
            """
            SELECT table_name, NULL FROM duckdb_tables()
            WHERE schema_name = 'main' AND coalesce(comment, '') = ''
            UNION ALL
            SELECT view_name, NULL FROM duckdb_views()
            WHERE schema_name = 'main' AND NOT internal AND coalesce(comment, '') = ''
            UNION ALL
            SELECT table_name, column_name FROM duckdb_columns()
            WHERE schema_name = 'main' AND NOT internal AND coalesce(comment, '') = ''
            """
        ).fetchall()
    assert missing == []
