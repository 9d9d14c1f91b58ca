import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from flows.cli import main
from tests.shared import SHARED

SEEDS = SHARED / "seeds"
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
    assert result.output == (
        f"Error: {bad}: quality.min_wrods: unknown key"
        " (allowed here: min_words, max_link_ratio, max_login_ratio)\n"
    )


def test_missing_source_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["ingest", str(tmp_path / "nope"), "--db", str(tmp_path / "w")])
    assert result.exit_code == 2
    assert f"no such file or directory: {tmp_path / 'nope'}" in result.output
    assert not (tmp_path / "w").exists()


def test_unreachable_prefect_server_says_what_to_do(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as sock:  # a port that nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/api"
    monkeypatch.setattr("flows.prefect_env.configured_api_url", lambda: url)
    result = runner.invoke(main, ["ingest", str(tmp_path), "--db", str(tmp_path / "w")])
    assert result.exit_code == 1
    assert f"the Prefect server at {url} does not answer" in result.output
    assert "prefect server start" in result.output
    assert "PREFECT_API_URL= presswash ingest" in result.output
    assert "Traceback" not in result.output


def test_unexpected_errors_are_one_line_unless_debug(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr("flows.ingest.ingest", explode)
    args = ["ingest", str(tmp_path), "--db", str(tmp_path / "w")]
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert "RuntimeError: disk on fire\n(run with --debug for the traceback)" in result.output
    assert "second line" not in result.output
    debug = runner.invoke(main, ["--debug", *args])
    assert isinstance(debug.exception, RuntimeError)


def test_json_summary_matches_the_warehouse_and_quiet_prints_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "flood.txt").write_text("Streets Flooded in Old Town\n" + STORY)
    (corpus / "empty.txt").write_text("")
    db = tmp_path / "w.duckdb"
    result = runner.invoke(main, ["ingest", str(corpus), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    query = f"SELECT status, documents_seen FROM runs WHERE run_id = '{summary['run_id']}'"
    stored = runner.invoke(main, ["sql", query, "--db", str(db), "--format", "json"])
    assert json.loads(stored.output) == {"status": "completed", "documents_seen": 2}
    assert summary["counts"]["inserted"] == 1
    assert summary["failures_by_reason"] == {"read.empty": 1}
    assert summary["by_language"] == {"en": 1}
    assert set(summary["stage_seconds"]) >= {"discover", "read", "strip", "language", "load"}

    quiet = runner.invoke(main, ["ingest", str(corpus), "--db", str(db), "--quiet"])
    assert (quiet.exit_code, quiet.output) == (0, "")


def test_doctor_reports_each_check(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["doctor", "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 0, result.output
    for name in ("python", "duckdb", "config", "warehouse", "disk", "prefect"):
        assert any(line.split()[1:2] == [name] for line in result.output.splitlines()), name
    assert result.output.rstrip().endswith("all checks passed")
    bad = tmp_path / "bad.yaml"
    bad.write_text("nope: 1\n")
    failing = runner.invoke(main, ["doctor", "--config", str(bad)])
    assert failing.exit_code == 1
    assert "FAIL config" in failing.output
    assert "1 problem found" in failing.output


def test_ingest_then_query(runner: CliRunner, tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "flood.txt").write_text("Streets Flooded in Old Town\n" + STORY)
    db = tmp_path / "w.duckdb"
    result = runner.invoke(main, ["ingest", str(corpus), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "run 2" in result.output and ": completed, 1 documents read" in result.output
    assert re.search(r"^\s+inserted\s+1$", result.output, re.M)
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


def test_doctor_reads_migration_level(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    assert runner.invoke(main, ["ingest", str(tmp_path), "--db", str(db), "-q"]).exit_code == 0
    result = runner.invoke(main, ["doctor", "--db", str(db)])
    assert "opens, migration level" in result.output
    db.write_bytes(b"not a database" * 100)
    damaged = runner.invoke(main, ["doctor", "--db", str(db)])
    assert damaged.exit_code == 1
    assert "is damaged or is not a DuckDB database" in damaged.output


def test_ingest_a_feed_from_a_local_server_needs_the_private_address_switch(
    runner: CliRunner, tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.no_handler_status_code = 404
    page = f"<html><body><article><h1>Flood warning</h1><p>{STORY}</p></article></body></html>"
    httpserver.expect_request("/story").respond_with_data(page, content_type="text/html")
    httpserver.expect_request("/feed.xml").respond_with_data(
        f"<rss><channel><item><link>{httpserver.url_for('/story')}</link></item></channel></rss>",
        content_type="application/rss+xml",
    )
    config = tmp_path / "config.yaml"
    config.write_text("fetch:\n  per_host_delay_seconds: 0\n")
    db = tmp_path / "w.duckdb"
    args = ["ingest", httpserver.url_for("/feed.xml"), "--db", str(db), "--config", str(config)]

    refused = runner.invoke(main, args)
    assert refused.exit_code == 0, refused.output
    assert "fetch.blocked_address" in refused.output
    assert httpserver.log == []

    allowed = runner.invoke(main, [*args, "--allow-private-addresses"])
    assert allowed.exit_code == 0, allowed.output
    assert re.search(r"^\s+inserted\s+1$", allowed.output, re.M)


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
    assert re.search(r"^\s+updated\s+1$", recleaned.output, re.M)
    has_ad = runner.invoke(
        main,
        ["sql", "SELECT text LIKE '%Advertisement%' FROM current_articles", "--db", str(db)],
    )
    assert "false" in has_ad.output

    indexed = runner.invoke(main, ["index", "--db", str(db)])
    assert indexed.output == "search index rebuilt and snapshot published\n"


@pytest.mark.parametrize("command", ["index", "reclean"])
def test_warehouse_writers_apply_the_configured_memory_limit_and_threads(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    import pipeline.warehouse

    seen: list[tuple[str | None, int | None]] = []
    real = pipeline.warehouse.apply_limits

    def spy(con: object, memory_limit: str | None, threads: int | None) -> None:
        seen.append((memory_limit, threads))
        real(con, memory_limit, threads)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline.warehouse, "apply_limits", spy)
    config = tmp_path / "c.yaml"
    config.write_text("warehouse:\n  memory_limit: 300MB\n  threads: 2\n  search_index: false\n")
    args = [command, "--db", str(tmp_path / "w.duckdb"), "--config", str(config)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert seen == [("300MB", 2)]
