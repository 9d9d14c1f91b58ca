"""``presswash bench``: the references, the library path and the Prefect flow on one corpus.

The measuring and the corpora live in ``pipeline/bench.py``; this module adds the runs that
need Prefect (the ingest flow, its task-run count) and puts the runs in order. Everything
runs in this one process so the ratios compare like with like.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline import bench
from pipeline.config import Config

TASK_RUN_PAGE = 200
_EVENTS_SETTLE_SECONDS = 3.0
"""The server records task runs from events, a little after they happen."""


@dataclass(frozen=True, slots=True)
class BenchOptions:
    real: Sequence[Path]
    """Folders of real HTML pages (aeb-dev/html, trafeval-dev/html)."""
    real_docs: int
    synthetic_docs: int
    reference_docs: int
    """At most this many pages go through the reference loops (their rate is per page)."""
    workdir: Path
    config: Config
    config_path: Path | None
    one_worker: bool
    metadata: bool
    seed: int = 0


def run(options: BenchOptions, echo: Callable[[str], None]) -> None:
    """Run every section the options ask for, printing each table as it is done."""
    workdir = options.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    fixed = _fixed_cost(options)
    if options.metadata and options.real:
        pages = bench.real_pages(options.real)
        echo(bench.render_agreement(bench.metadata_agreement([html for _, html in pages])))
        echo("")
    if options.real_docs and options.real:
        folder = workdir / "real"
        bench.remove(folder)
        paths = bench.write_repeated(folder, bench.real_pages(options.real), options.real_docs)
        corpus = f"real pages ({', '.join(str(p) for p in options.real)}) repeated to {len(paths)}"
        echo(bench.render(_corpus(corpus, folder, paths, options, fixed)))
        echo("")
        bench.remove(folder)
    if options.synthetic_docs:
        folder = workdir / "synthetic"
        bench.remove(folder)
        paths = bench.write_synthetic(folder, options.synthetic_docs, options.seed)
        corpus = f"synthetic pages, {len(paths)} documents (seed {options.seed})"
        echo(bench.render(_corpus(corpus, folder, paths, options, fixed)))
        echo("")
        bench.remove(folder)


def _corpus(
    name: str, folder: Path, paths: Sequence[Path], options: BenchOptions, fixed: float
) -> bench.CorpusReport:
    config, workdir = options.config, options.workdir
    load_before = os.getloadavg()[0]
    pages = bench.load_pages(paths[: options.reference_docs])
    report = bench.CorpusReport(
        corpus=name,
        reference=bench.reference_extract(pages, config),
        hand_written=bench.reference_hand_written(pages, config),
        fixed_cost=fixed,
    )
    del pages
    sources = [str(folder)]
    report.flow = flow_timing(sources, options, bench.fresh_db(workdir, "flow"))
    report.library = bench.library_timing(
        "library path, 2 workers (no Prefect)",
        sources,
        config,
        bench.fresh_db(workdir, "library"),
        workers=2,
    )
    if options.one_worker:
        report.one_worker = bench.library_timing(
            "library path, 1 worker", sources, config, bench.fresh_db(workdir, "one"), workers=1
        )
    report.notes.append(
        f"machine load average (1 min) {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
        f" this corpus, on {os.cpu_count()} cores: other work shares the cores"
    )
    if report.flow.articles is not None and report.flow.articles < len(paths):
        report.notes.append(
            f"note: {len(paths) - report.flow.articles} documents did not become articles"
            " (extract.empty / quality failures, recorded in `failures`)"
        )
    return report


def flow_timing(
    sources: list[str], options: BenchOptions, db: Path, *, count_task_runs: bool = True
) -> bench.Timing:
    """The ingest flow, as `presswash ingest` runs it, into a fresh warehouse file."""
    from flows.ingest import ingest
    from flows.tasks import release_workers

    config_path = str(options.config_path) if options.config_path else None
    summary, spent = bench.measure(
        lambda: ingest(sources=sources, config_path=config_path, db=str(db))
    )
    release_workers()  # the next run starts its own, as the library path does
    run_id = getattr(summary, "run_id", None)
    return bench.Timing(
        "presswash ingest (Prefect flow, 2 workers)",
        getattr(summary, "documents_seen", 0),
        spent.seconds_wall,
        spent.seconds_cpu,
        spent.peak_rss,
        stages=dict(getattr(summary, "stage_seconds", {})),
        db_bytes=bench.database_bytes(db),
        articles=_articles(db),
        task_runs=_task_runs(db, run_id) if run_id and count_task_runs else None,
        start_rss=spent.start_rss,
    )


def _articles(db: Path) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute("SELECT count(*) FROM articles").fetchone()
    return int(row[0]) if row else 0


def _task_runs(db: Path, run_id: str) -> int | None:
    """Task runs the Prefect server recorded for the run's flow run (None if unknown)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute("SELECT flow_run_id FROM runs WHERE run_id = ?", [run_id]).fetchone()
    if not row or not row[0]:
        return None
    time.sleep(_EVENTS_SETTLE_SECONDS)
    runs = FlowRunFilter(id=FlowRunFilterId(any_=[uuid.UUID(row[0])]))
    total = 0
    with get_client(sync_client=True) as client:
        while True:
            page = client.read_task_runs(flow_run_filter=runs, limit=TASK_RUN_PAGE, offset=total)
            total += len(page)
            if len(page) < TASK_RUN_PAGE:
                return total


def _fixed_cost(options: BenchOptions) -> float:
    """Flow minus library wall time on one document, each run twice (the first warms up)."""
    folder = options.workdir / "one-document"
    bench.remove(folder)
    bench.write_synthetic(folder, 1, options.seed)
    sources = [str(folder)]
    flow = library = 0.0
    for _ in range(2):
        db = bench.fresh_db(options.workdir, "fixed-flow")
        flow = flow_timing(sources, options, db, count_task_runs=False).wall
        library = bench.library_timing(
            "one document",
            sources,
            options.config,
            bench.fresh_db(options.workdir, "fixed-library"),
            workers=2,
        ).wall
    bench.remove(folder)
    return flow - library
