import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.cli import main

SEEDS = Path(__file__).parents[3] / "shared" / "seeds"
SEED = SEEDS / "000_b94a2a8111517910.txt"
STORY = (
    "Heavy rain flooded several streets in the old town on Sunday night, and firefighters "
    "pumped water out of dozens of cellars until the early morning.\n"
    "Advertisement\n"
    "The weather service expects more rain on Tuesday and has asked residents near the river "
    "to move valuables out of their basements as a precaution.\n"
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_help_and_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("ingest", "clean", "sql", "search", "export", "reclean", "index"):
        assert command in result.output
    assert runner.invoke(main, ["--version"]).output.startswith("presswash, version ")


def test_config_error_is_one_clear_line_and_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "c.yaml"
    bad.write_text("quality:\n  min_wrods: 3\n")
    result = runner.invoke(main, ["ingest", "--config", str(bad), str(tmp_path)])
    assert result.exit_code == 2
    assert f"{bad}: quality.min_wrods: unknown key (allowed here: min_words)" in result.output
    assert "Traceback" not in result.output


def test_ingest_then_query(runner: CliRunner, tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "flood.txt").write_text("Streets Flooded in Old Town\n" + STORY)
    db = tmp_path / "w.duckdb"
    result = runner.invoke(main, ["ingest", str(corpus), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "inserted        1" in result.output
    assert "strip.ad_marker" in result.output
    assert f"sql --db {db}" in result.output

    query = "SELECT title, language FROM articles"
    as_json = runner.invoke(main, ["sql", query, "--db", str(db), "--format", "json"])
    assert json.loads(as_json.output) == {"title": "Streets Flooded in Old Town", "language": "en"}
    as_csv = runner.invoke(main, ["sql", query, "--db", str(db), "--format", "csv"])
    assert as_csv.output.splitlines() == ["title,language", "Streets Flooded in Old Town,en"]
    table = runner.invoke(main, ["sql", query, "--db", str(db)])
    assert "Streets Flooded in Old Town" in table.output


def test_db_from_environment(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "env.duckdb"
    result = runner.invoke(main, ["sql", "SELECT 1"], env={"PRESSWASH_DB": str(db)})
    assert result.exit_code == 2
    assert f"{db}: no warehouse yet" in result.output


def test_sql_error_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    db = tmp_path / "w.duckdb"
    assert runner.invoke(main, ["ingest", str(corpus), "--db", str(db)]).exit_code == 0
    result = runner.invoke(main, ["sql", "SELECT nope FROM articles", "--db", str(db)])
    assert result.exit_code == 1
    assert "nope" in result.output


def test_clean_reads_stdin_and_explains(runner: CliRunner) -> None:
    result = runner.invoke(main, ["clean", "--explain", "-"], input="Flood Warning\n" + STORY)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Flood Warning"
    assert "Advertisement" not in lines
    assert "-:3: strip.ad_marker: Advertisement" in result.stderr


@pytest.mark.skipif(not SEED.exists(), reason="shared seeds not present")
def test_clean_on_the_seed(runner: CliRunner) -> None:
    result = runner.invoke(main, ["clean", "--explain", str(SEED)])
    assert result.exit_code == 0
    expected = SEED.with_suffix(".expected.txt").read_text().strip().splitlines()
    title, *body = result.stdout.strip().splitlines()
    assert title == "North Korea visited by Russian Defence Minister Sergei Shoigu"
    assert body == expected
    assert "7 lines removed" in result.stderr


def test_warehouse_commands_search_export_parquet_reclean_index(
    runner: CliRunner, tmp_path: Path
) -> None:
    import duckdb

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "flood.txt").write_text("Streets Flooded in Old Town\n" + STORY)
    db = tmp_path / "w.duckdb"
    keep_ads = tmp_path / "keep.yaml"
    keep_ads.write_text("strip:\n  disabled_rules: [strip.ad_marker]\n")
    ingested = runner.invoke(
        main, ["ingest", str(corpus), "--db", str(db), "--config", str(keep_ads)]
    )
    assert ingested.exit_code == 0, ingested.output
    assert (tmp_path / "w.snapshot.duckdb").exists()

    hits = runner.invoke(main, ["search", "firefighters cellars", "--db", str(db)])
    assert hits.exit_code == 0, hits.output
    first, meta, snippet = hits.output.splitlines()[:3]
    assert first == " 1. Streets Flooded in Old Town"
    assert meta.startswith("    c · undated · en · score ")
    assert "firefighters" in snippet
    assert "no articles match" in runner.invoke(main, ["search", "zebra", "--db", str(db)]).output

    out = tmp_path / "q.parquet"
    query = "SELECT title, language FROM current_articles"
    parquet = runner.invoke(
        main, ["sql", query, "--db", str(db), "--format", "parquet", "-o", str(out)]
    )
    assert parquet.exit_code == 0, parquet.output
    assert duckdb.sql(f"FROM '{out}'").fetchall() == [("Streets Flooded in Old Town", "en")]
    from_stdin = runner.invoke(main, ["sql", "--db", str(db), "--format", "csv"], input=query)
    assert from_stdin.output.splitlines()[1] == "Streets Flooded in Old Town,en"

    exported = runner.invoke(main, ["export", "--to", str(tmp_path / "x"), "--db", str(db)])
    assert exported.exit_code == 0, exported.output
    assert f"{tmp_path / 'x' / 'articles'}: 1 rows" in exported.output

    # The default config strips the ad marker the first run kept: one article changes.
    recleaned = runner.invoke(main, ["reclean", "--db", str(db)])
    assert recleaned.exit_code == 0, recleaned.output
    assert "updated         1" in recleaned.output
    has_ad = runner.invoke(
        main,
        ["sql", "SELECT text LIKE '%Advertisement%' FROM current_articles", "--db", str(db)],
    )
    assert "false" in has_ad.output

    indexed = runner.invoke(main, ["index", "--db", str(db)])
    assert indexed.output == "search index rebuilt and snapshot published\n"
