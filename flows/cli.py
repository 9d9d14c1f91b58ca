"""The ``presswash`` command: a thin layer over the library and the flows.

Heavy modules (prefect, trafilatura, duckdb) are imported inside the commands that need
them so ``presswash --help`` answers at once. Exit codes: 0 success (document-level failures
are recorded and counted, not fatal), 1 the run or command failed, 2 usage or configuration
error. Tracebacks are shown only with ``--debug``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import click

from flows import warehouse_cli
from flows.cli_common import (
    Failed,
    UsageProblem,
    config_option,
    db_option,
    load_config_or_exit,
)
from pipeline import __version__

if TYPE_CHECKING:
    pass

EXAMPLE_QUERY = (
    "SELECT language, count(*) AS articles, round(avg(words_after)) AS avg_words "
    "FROM articles GROUP BY language ORDER BY articles DESC"
)


class _Main(click.Group):
    """Turns unexpected exceptions into one line unless ``--debug`` asks for the traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            message = f"{type(exc).__name__}: {exc}".splitlines()[0]
            raise Failed(f"{message}\n(run with --debug for the traceback)") from exc


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="presswash")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
def main(debug: bool) -> None:
    """Ingest news articles, strip the boilerplate extractors leave in, load them into DuckDB.

    Exit codes: 0 success (failed documents are recorded, not fatal), 1 failure,
    2 usage or configuration error.
    """


@main.command()
@click.argument("sources", nargs=-1)
@config_option
@db_option
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors (for cron).")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar (default: only when stderr is a terminal and not --quiet).",
)
@click.option(
    "--ephemeral-fallback",
    is_flag=True,
    help="If the configured Prefect server is down, run on a temporary local one instead.",
)
@click.option(
    "--allow-private-addresses",
    is_flag=True,
    help="Fetch from loopback/private/link-local addresses too (a local test server).",
)
def ingest(
    sources: tuple[str, ...],
    config_path: Path | None,
    db: Path | None,
    quiet: bool,
    as_json: bool,
    progress: bool | None,
    ephemeral_fallback: bool,
    allow_private_addresses: bool,
) -> None:
    """Ingest SOURCES: files, directories, URL lists (.urls), WARC files, and http(s) URLs of
    pages, RSS/Atom feeds or sitemaps (default: sources.paths in the config)."""
    from flows.console import ProgressBar
    from flows.prefect_env import check_prefect_server, ephemeral, prefect_defaults

    config = load_config_or_exit(config_path)
    paths = list(sources) or list(config.sources.paths)
    if not paths:
        raise UsageProblem("no sources: name files, directories or URLs, or set sources.paths")
    local = [p for p in paths if not p.startswith(("http://", "https://"))]
    if missing := [p for p in local if not Path(p).exists()]:
        raise UsageProblem(f"no such file or directory: {', '.join(missing)}")
    prefect_defaults(quiet=quiet)
    server: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
    if problem := check_prefect_server():
        if not ephemeral_fallback:
            raise Failed(problem)
        server = ephemeral()
        if not quiet:
            click.echo(f"note: {problem.split('. ')[0]}; using a temporary local server", err=True)

    from prefect import tags

    from flows import progress as run_progress
    from flows.dask_executor import ClusterError
    from flows.ingest import ADHOC, group_tags
    from flows.ingest import ingest as ingest_flow
    from pipeline.report import render_json, render_text
    from pipeline.warehouse import WarehouseError

    show_progress = progress if progress is not None else (sys.stderr.isatty() and not quiet)
    bar = ProgressBar(enabled=show_progress)
    try:
        with server, tags(*group_tags(ADHOC)), bar, run_progress.listening(bar):
            summary = ingest_flow(
                sources=paths,
                config_path=str(config_path) if config_path else None,
                db=str(db) if db else None,
                allow_private_addresses=allow_private_addresses,
            )
    except (WarehouseError, ClusterError) as exc:
        raise Failed(str(exc)) from exc
    if as_json:
        click.echo(render_json(summary))
    elif not quiet:
        click.echo(render_text(summary))
        where = f" --db {db}" if db else ""
        click.echo(f'\nTry: {_program()} sql{where} "{EXAMPLE_QUERY}"')


def _program() -> str:
    """How to call presswash so a suggested command works when pasted (e.g. ``.venv/bin/...``)."""
    invoked = Path(sys.argv[0]).resolve()
    on_path = shutil.which("presswash")
    if invoked.name != "presswash" or (on_path and Path(on_path).resolve() == invoked):
        return "presswash"
    return os.path.relpath(invoked)


@main.command()
@click.argument("files", nargs=-1, type=click.File("rb"))
@click.option(
    "--explain", is_flag=True, help="Also list each removed line and its reason (stderr)."
)
@config_option
def clean(files: tuple[BinaryIO, ...], explain: bool, config_path: Path | None) -> None:
    """Strip boilerplate from plain text or HTML FILES (or - for stdin) and print the clean text.

    A first line that looks like a headline is kept as the title and printed first. No
    warehouse is involved: this is the stripper as a standalone tool.
    """
    from pipeline.decode import DecodeError, decode
    from pipeline.extract import ExtractionError, Extractor
    from pipeline.sources import split_headline
    from pipeline.strip import Stripper

    config = load_config_or_exit(config_path)
    stripper = Stripper(config.strip)
    for file in files or (click.open_file("-", "rb"),):
        name = getattr(file, "name", "-")
        data = file.read()
        is_html = _looks_like_html(data)
        links: dict[str, float] = {}
        kinds: dict[str, str] = {}
        author: str | None = None
        try:
            text = decode(data, html=is_html)
            if is_html:
                extracted = Extractor(config.extract)(text)
                title, body = extracted.title, extracted.text
                links, kinds = extracted.link_density, extracted.elements
                author = extracted.author
            else:
                title, body = split_headline(text)
        except (DecodeError, ExtractionError) as exc:
            raise Failed(f"{name}: {exc}") from exc
        # HTML gets the signals ingestion uses, so `clean` shows what ingest does.
        result = stripper(body, title=title, link_density=links, elements=kinds, author=author)
        if title:
            click.echo(title)
        click.echo(result.text)
        if explain:
            offset = 1 if title and not is_html else 0
            for removal in result.removals:
                click.echo(
                    f"{name}:{removal.position + 1 + offset}: {removal.reason}: "
                    f"{removal.text}  [{removal.evidence}]",
                    err=True,
                )
            click.echo(f"{name}: {len(result.removals)} lines removed", err=True)


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype", b"<html", b"<?xml")) or b"<body" in head or b"<p>" in head


@main.command()
@config_option
@db_option
def doctor(config_path: Path | None, db: Path | None) -> None:
    """Check the environment: versions, config, warehouse, Prefect server, disk space."""
    from flows.doctor import run_checks

    checks = run_checks(config_path, db)
    width = max(len(check.name) for check in checks)
    for check in checks:
        click.echo(f"{check.mark} {check.name:<{width}}  {check.detail}")
    problems = sum(not check.ok for check in checks)
    if problems:
        raise Failed(f"{problems} problem{'s' * (problems > 1)} found")
    click.echo("all checks passed")


@main.command(name="eval")
@click.argument("benchmarks", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--text",
    "text_mode",
    is_flag=True,
    help="On an AEB folder, score the stripper alone on aeb_text_trafilatura.jsonl.",
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N pages.")
@click.option(
    "--system",
    "systems",
    multiple=True,
    help="Systems to compare (repeatable; default: trafilatura default and precision, presswash).",
)
@config_option
def evaluate(
    benchmarks: tuple[Path, ...],
    text_mode: bool,
    limit: int | None,
    systems: tuple[str, ...],
    config_path: Path | None,
) -> None:
    """Score presswash beside plain trafilatura on BENCHMARKS (aeb, trafeval, langid, .jsonl).

    The format of each path is recognised from its contents; each prints precision, recall,
    F1 and docs/s, all measured in the same run so speeds compare as ratios.
    """
    from pipeline import evaluate as ev

    config = load_config_or_exit(config_path)
    chosen = systems or ev.SYSTEMS
    if unknown := sorted(set(chosen) - set(ev.KNOWN_SYSTEMS)):
        raise UsageProblem(
            f"unknown system {', '.join(unknown)}; known: {', '.join(ev.KNOWN_SYSTEMS)}"
        )
    for root in benchmarks:
        try:
            kind = ev.detect_benchmark(root)
        except ValueError as exc:
            raise UsageProblem(str(exc)) from None
        if kind == "aeb" and text_mode:
            report = ev.evaluate_aeb_text(root, config)
        elif kind == "aeb":
            report = ev.evaluate_aeb(root, config, chosen, limit)
        elif kind == "trafeval":
            report = ev.evaluate_trafeval(root, config, chosen, limit)
        elif kind == "langid":
            report = ev.evaluate_langid(root, config)
        else:
            report = ev.evaluate_aeb_text(root, config)
        click.echo(report.to_table())
        click.echo()


@main.command()
@click.option(
    "--real",
    "real",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of real HTML pages (repeatable; default: ../shared/bench/aeb-dev/html and "
    "../shared/bench/trafeval-dev/html when present).",
)
@click.option(
    "--real-docs",
    type=click.IntRange(min=0),
    default=2000,
    show_default=True,
    help="Repeat the real pages to this many documents (0 skips the real corpus).",
)
@click.option(
    "--docs",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Also run on this many generated (synthetic) article pages, for memory and scale.",
)
@click.option(
    "--reference-docs",
    type=click.IntRange(min=1),
    default=2000,
    show_default=True,
    help="At most this many pages go through the single-process reference loops.",
)
@click.option(
    "--one-worker/--no-one-worker",
    default=True,
    show_default=True,
    help="Also time the library path with a single extraction worker.",
)
@click.option(
    "--metadata", is_flag=True, help="Also measure metadata agreement with trafilatura's defaults."
)
@click.option(
    "--workdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where corpora and warehouse files go (default: a temporary folder, removed after).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Synthetic corpus seed.")
@config_option
def bench(
    real: tuple[Path, ...],
    real_docs: int,
    docs: int,
    reference_docs: int,
    one_worker: bool,
    metadata: bool,
    workdir: Path | None,
    seed: int,
    config_path: Path | None,
) -> None:
    """Time presswash against bare trafilatura on the same pages and print the ratios.

    In one process: a bare trafilatura.extract loop (the reference), a hand-written
    bare_extraction(with_metadata=True) + langdetect loop, the ingest flow, and the same
    ingest without Prefect; with docs/s, per-stage shares, peak RSS and DuckDB size.
    """
    import tempfile

    from flows.bench import BenchOptions
    from flows.bench import run as run_bench
    from flows.prefect_env import check_prefect_server, ephemeral, prefect_defaults

    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")  # the tables are the output
    config = load_config_or_exit(config_path)
    folders = list(real) or [
        p
        for p in (Path("../shared/bench/aeb-dev/html"), Path("../shared/bench/trafeval-dev/html"))
        if p.is_dir()
    ]
    if not folders and not docs:
        raise UsageProblem("nothing to run: give --real folders or --docs N")
    prefect_defaults()
    server: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
    if problem := check_prefect_server():
        server = ephemeral()
        click.echo(f"note: {problem.split('. ')[0]}; using a temporary local server", err=True)
    with contextlib.ExitStack() as stack:
        folder = workdir or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        stack.enter_context(server)
        options = BenchOptions(
            real=folders,
            real_docs=real_docs,
            synthetic_docs=docs,
            reference_docs=reference_docs,
            workdir=folder,
            config=config,
            config_path=config_path,
            one_worker=one_worker,
            metadata=metadata,
            seed=seed,
        )
        run_bench(options, lambda line: click.echo(line))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=4200, show_default=True, help="Port to listen on.")
@click.option("--background", is_flag=True, help="Start the server in the background and return.")
@click.option("--stop", is_flag=True, help="Stop a server started with --background.")
@click.option(
    "--timeout",
    type=float,
    default=120.0,
    show_default=True,
    help="Seconds to wait for the server to become healthy.",
)
def ui(host: str, port: int, background: bool, stop: bool, timeout: float) -> None:
    """Start the local Prefect server and UI, wait until it is healthy, print its URL."""
    import subprocess

    from flows.prefect_env import server_command, stop_command, wait_until_healthy

    if stop:
        done = subprocess.run(stop_command(), capture_output=True, text=True, check=False)
        click.echo((done.stdout or done.stderr).strip() or "stopped")
        if done.returncode:
            raise Failed("prefect server stop failed")
        return
    url = f"http://{host}:{port}"
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    if background:
        subprocess.run(
            server_command(host, port, background=True), env=env, check=False, capture_output=True
        )
        if not wait_until_healthy(f"{url}/api", timeout=timeout, alive=lambda: True):
            raise Failed(f"the Prefect server did not become healthy at {url} in {timeout:.0f} s")
        click.echo(f"Prefect UI: {url}  (stop it with `presswash ui --stop`)")
        return
    server = subprocess.Popen(server_command(host, port, background=False), env=env)
    _stop_on_sigterm()
    try:
        if not wait_until_healthy(
            f"{url}/api", timeout=timeout, alive=lambda: server.poll() is None
        ):
            raise Failed(f"the Prefect server did not become healthy at {url} in {timeout:.0f} s")
        click.echo(f"Prefect UI: {url}  (Ctrl-C stops it)")
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=30)


@main.command()
@config_option
def serve(config_path: Path | None) -> None:
    """Run the schedules in the config as Prefect deployments until stopped (Ctrl-C / SIGTERM)."""
    from flows.prefect_env import check_prefect_server, prefect_defaults

    config = load_config_or_exit(config_path)
    if not config.schedules:
        raise UsageProblem("no schedules in the config: add a `schedules:` list (see README)")
    prefect_defaults()
    if problem := check_prefect_server():
        raise Failed(problem)
    from prefect import serve as prefect_serve

    from flows.deployments import build_deployments

    deployments = build_deployments(config, config_path or Path("config.yaml"))

    _stop_on_sigterm()
    try:
        prefect_serve(*deployments)
    except KeyboardInterrupt:
        click.echo("stopped serving; schedules are paused until the next `presswash serve`")


def _stop_on_sigterm() -> None:
    """Make a service manager's SIGTERM as clean as Ctrl-C (children stopped, state saved)."""
    import signal

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


# The warehouse commands live in their own module; registered here so `presswash --help`
# lists them with the rest.
for _command in warehouse_cli.COMMANDS:
    main.add_command(_command)
