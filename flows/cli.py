"""The ``presswash`` command: a thin layer over the library and the flows.

Heavy modules (prefect, trafilatura, duckdb) are imported inside the commands that need
them so ``presswash --help`` answers at once.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import BinaryIO

import click

from flows import warehouse_cli
from pipeline import __version__

EXAMPLE_QUERY = (
    "SELECT language, count(*) AS articles, round(avg(words_after)) AS avg_words "
    "FROM articles GROUP BY language ORDER BY articles DESC;"
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="presswash")
def main() -> None:
    """Ingest news articles, strip the boilerplate extractors leave in, load them into DuckDB."""


@main.command()
@click.argument("sources", nargs=-1)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Config file (default: ./config.yaml if present).",
)
@click.option(
    "--db",
    type=click.Path(path_type=Path),
    envvar="PRESSWASH_DB",
    default=None,
    help="DuckDB warehouse file (env: PRESSWASH_DB; default: warehouse.path).",
)
def ingest(sources: tuple[str, ...], config_path: Path | None, db: Path | None) -> None:
    """Ingest SOURCES (files or directories; default: sources.paths in the config)."""
    from pipeline.config import ConfigError, load_config
    from pipeline.report import render_text
    from pipeline.warehouse import WarehouseError

    try:
        config = load_config(config_path)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    if not sources and not config.sources.paths:
        raise click.UsageError("no sources: name files or directories, or set sources.paths")
    _prefect_defaults()
    from flows.ingest import ingest as ingest_flow

    try:
        summary = ingest_flow(
            sources=list(sources) or None,
            config_path=str(config_path) if config_path else None,
            db=str(db) if db else None,
        )
    except WarehouseError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(render_text(summary))
    db_option = f" --db {db}" if db else ""
    click.echo(f'\nTry: {_program()} sql{db_option} "{EXAMPLE_QUERY}"')


def _program() -> str:
    """How to call presswash so a suggested command works when pasted (e.g. ``.venv/bin/...``)."""
    invoked = Path(sys.argv[0]).resolve()
    on_path = shutil.which("presswash")
    if invoked.name != "presswash" or (on_path and Path(on_path).resolve() == invoked):
        return "presswash"
    return os.path.relpath(invoked)


def _prefect_defaults() -> None:
    """Settings that make ephemeral runs reliable offline; explicit user settings win."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    if not os.environ.get("PREFECT_API_URL"):
        # No UI is watching an ephemeral run: keep the terminal for the summary.
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@main.command()
@click.argument("files", nargs=-1, type=click.File("rb"))
@click.option(
    "--explain", is_flag=True, help="Also list each removed line and its reason (stderr)."
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Config file whose extract/strip sections apply.",
)
def clean(files: tuple[BinaryIO, ...], explain: bool, config_path: Path | None) -> None:
    """Strip boilerplate from plain text or HTML FILES (or - for stdin) and print the clean text.

    A first line that looks like a headline is kept as the title and printed first. No
    warehouse is involved: this is the stripper as a standalone tool.
    """
    from pipeline.config import ConfigError, load_config
    from pipeline.decode import DecodeError, decode
    from pipeline.extract import ExtractionError, Extractor
    from pipeline.sources import split_headline
    from pipeline.strip import Stripper

    try:
        config = load_config(config_path)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    stripper = Stripper(config.strip)
    for file in files or (click.open_file("-", "rb"),):
        name = getattr(file, "name", "-")
        data = file.read()
        try:
            text = decode(data, html=_looks_like_html(data))
            if _looks_like_html(data):
                extracted = Extractor(config.extract)(text)
                title, body = extracted.title, extracted.text
            else:
                title, body = split_headline(text)
        except (DecodeError, ExtractionError) as exc:
            click.echo(f"error: {name}: {exc}", err=True)
            sys.exit(1)
        result = stripper(body, title=title)
        if title:
            click.echo(title)
        click.echo(result.text)
        if explain:
            for removal in result.removals:
                click.echo(
                    f"{name}:{removal.position + 1 + bool(title)}: {removal.reason}: "
                    f"{removal.text}  [{removal.evidence}]",
                    err=True,
                )
            click.echo(f"{name}: {len(result.removals)} lines removed", err=True)


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype", b"<html", b"<?xml")) or b"<body" in head or b"<p>" in head


# The warehouse commands live in their own module; registered here so `presswash --help`
# lists them with the rest.
for _command in warehouse_cli.COMMANDS:
    main.add_command(_command)
