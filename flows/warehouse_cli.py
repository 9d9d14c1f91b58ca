"""Warehouse commands for analysts: sql, search, export, reclean and index.

Read-only commands (sql, search, export) open the published snapshot, never the live file,
so they work while an ingest is writing and never delay it. Writing commands (reclean,
index) need the writer's lock, like an ingest, and republish the snapshot when done.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from flows.cli_common import Failed, UsageProblem, config_option, db_option, load_config_or_exit

if TYPE_CHECKING:
    import duckdb


OUTPUT_OPTION = click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the result to this file instead of stdout.",
)
PROMPT = "presswash> "
CONTINUE = "       ...> "


def _db(db: Path | None, config_path: Path | None) -> Path:
    return db or load_config_or_exit(config_path).warehouse.path


@contextlib.contextmanager
def _snapshot(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    from pipeline.snapshot import connect_snapshot
    from pipeline.warehouse import WarehouseError

    try:
        con = connect_snapshot(db)
    except WarehouseError as exc:
        if not db.exists():
            raise UsageProblem(str(exc)) from None
        raise Failed(str(exc)) from exc
    try:
        yield con
    finally:
        con.close()


@click.command()
@click.argument("query", required=False)
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "parquet"]),
    default="table",
    show_default=True,
    help="table for people; csv, json (one object per line) or parquet for scripts.",
)
@OUTPUT_OPTION
@config_option
def sql(
    query: str | None, db: Path | None, fmt: str, output: Path | None, config_path: Path | None
) -> None:
    """Run a read-only SQL QUERY against the warehouse snapshot and print the result.

    Without QUERY, reads one from stdin, or opens an interactive prompt on a terminal
    (statements end with ';', .quit leaves). The snapshot is what the last ingest published,
    so this never blocks a running ingest.
    """
    path = _db(db, config_path)
    if fmt == "parquet" and output is None and sys.stdout.isatty():
        raise UsageProblem("parquet is binary: use --output FILE or redirect stdout")
    if query is None and sys.stdin.isatty():
        _interactive(path)
        return
    with _snapshot(path) as con:
        succeeded = _run_query(con, query if query is not None else sys.stdin.read(), fmt, output)
    if not succeeded:
        sys.exit(1)


def _run_query(con: duckdb.DuckDBPyConnection, query: str, fmt: str, output: Path | None) -> bool:
    """Run and print one query; False (after printing the error) if DuckDB rejected it."""
    import duckdb

    try:
        relation = con.sql(query)
        if relation is None:
            return True
        if fmt == "parquet":
            _write_parquet(relation, output)
            return True
        with _opened(output) as out:
            if fmt == "table":
                # DuckDB's box rendering fitted to the terminal; long results are elided,
                # csv/json/parquet give every row.
                width = shutil.get_terminal_size((120, 24)).columns
                with contextlib.redirect_stdout(out):
                    relation.show(max_width=width)
            else:
                _write_rows(out, relation.columns, relation.fetchall(), fmt)
    except duckdb.Error as exc:
        click.echo(f"error: {exc}", err=True)
        return False
    return True


@contextlib.contextmanager
def _opened(output: Path | None) -> Iterator[TextIO]:
    if output is None:
        yield sys.stdout
        return
    with output.open("w", encoding="utf-8", newline="") as handle:
        yield handle


def _write_parquet(relation: duckdb.DuckDBPyRelation, output: Path | None) -> None:
    import tempfile

    if output is not None:
        relation.to_parquet(str(output))
        return
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "result.parquet"
        relation.to_parquet(str(file))
        with file.open("rb") as data:
            shutil.copyfileobj(data, sys.stdout.buffer)
        sys.stdout.buffer.flush()


def _write_rows(out: TextIO, columns: list[str], rows: list[tuple[object, ...]], fmt: str) -> None:
    import csv
    import json

    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(rows)
        return
    for row in rows:
        record = dict(zip(columns, row, strict=True))
        out.write(json.dumps(record, default=str, ensure_ascii=False) + "\n")


def _interactive(db: Path) -> None:
    """A small prompt; each statement opens the newest snapshot, so results stay current."""
    click.echo(f"presswash sql on {db} (read-only snapshot). End statements with ';', .quit")
    click.echo("Start with: SELECT * FROM current_articles LIMIT 5;  or  SHOW TABLES;")
    buffer: list[str] = []
    while True:
        try:
            line = input(CONTINUE if buffer else PROMPT)
        except EOFError:
            click.echo()
            return
        if not buffer and line.strip() in (".quit", ".exit"):
            return
        buffer.append(line)
        if line.rstrip().endswith(";"):
            with _snapshot(db) as con:
                _run_query(con, "\n".join(buffer), "table", None)
            click.echo()
            buffer.clear()


@click.command()
@click.argument("query")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=10, show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@db_option
@config_option
def search(query: str, limit: int, fmt: str, db: Path | None, config_path: Path | None) -> None:
    """Full-text search of article titles and texts: ranked hits with title, source, date and
    a snippet. Runs index their articles as they load them (`presswash index` rebuilds)."""
    import dataclasses
    import json

    from pipeline.search import SearchError
    from pipeline.search import search as run_search

    with _snapshot(_db(db, config_path)) as con:
        try:
            hits = run_search(con, query, limit=limit)
        except SearchError as exc:
            raise Failed(str(exc)) from exc
    if fmt == "json":
        for hit in hits:
            click.echo(json.dumps(dataclasses.asdict(hit), ensure_ascii=False))
        return
    if not hits:
        click.echo(f"no articles match {query!r}")
    for rank, hit in enumerate(hits, 1):
        click.echo(f"{rank:>2}. {hit.title or '(no title)'}")
        when = hit.published_at or "undated"
        click.echo(f"    {hit.source_name} · {when} · {hit.language} · score {hit.score:.2f}")
        click.echo(f"    {hit.snippet}")


@click.command()
@click.option(
    "--to",
    "target",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder to write articles/ and removed_lines/ into (replaced if present).",
)
@db_option
@config_option
def export(target: Path, db: Path | None, config_path: Path | None) -> None:
    """Export current articles and their removed lines as Parquet, partitioned by
    published_date and language (Hive layout: pandas, polars, Spark and DuckDB read it)."""
    import duckdb

    from pipeline.export import export_parquet

    with _snapshot(_db(db, config_path)) as con:
        try:
            counts = export_parquet(con, target)
        except duckdb.Error as exc:
            raise Failed(str(exc)) from exc
    for name, rows in counts.items():
        click.echo(f"{target / name}: {rows} rows")


@click.command()
@click.option(
    "--all",
    "every_article",
    is_flag=True,
    help="Re-clean every article, not only those cleaned by another cleaner version.",
)
@db_option
@config_option
def reclean(every_article: bool, db: Path | None, config_path: Path | None) -> None:
    """Re-run extraction and stripping on the stored raw input with the current code and
    config; changed articles get a new version recording the cleaner that produced it."""
    from pipeline.reclean import reclean as run_reclean
    from pipeline.report import render_text
    from pipeline.warehouse import Warehouse, WarehouseError

    config = load_config_or_exit(config_path)
    try:
        with Warehouse.open(
            db or config.warehouse.path,
            memory_limit=config.warehouse.memory_limit,
            threads=config.warehouse.threads,
            search_index=config.warehouse.search_index,
        ) as warehouse:
            result = run_reclean(
                warehouse,
                config,
                every_article=every_article,
                after_batch=lambda: warehouse.publish_snapshot(
                    min_interval_seconds=config.warehouse.min_snapshot_interval_seconds
                ),
            )
            warehouse.publish_snapshot()
    except WarehouseError as exc:
        raise Failed(str(exc)) from exc
    click.echo(f"cleaner {result.cleaner_version}")
    click.echo(render_text(result.summary))
    if result.without_raw:
        click.echo(
            f"{result.without_raw} articles have no stored raw input (loaded before it was"
            " kept): ingest their sources again once to store it"
        )


@click.command()
@db_option
@config_option
def index(db: Path | None, config_path: Path | None) -> None:
    """Index every article for full-text search afresh and republish the snapshot (needs the
    writer's lock: not while an ingest runs). Runs keep the index current themselves unless
    warehouse.search_index is off."""
    from pipeline.warehouse import Warehouse, WarehouseError

    config = load_config_or_exit(config_path)
    try:
        with Warehouse.open(
            db or config.warehouse.path,
            memory_limit=config.warehouse.memory_limit,
            threads=config.warehouse.threads,
        ) as warehouse:
            warehouse.rebuild_search_index()
            warehouse.publish_snapshot()
    except WarehouseError as exc:
        raise Failed(str(exc)) from exc
    click.echo("search index rebuilt and snapshot published")


COMMANDS = (sql, search, export, reclean, index)
