"""The ingest flow: discover → extract+clean in batches → one writer → report."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, runtime
from prefect.futures import PrefectFuture
from prefect.task_runners import ThreadPoolTaskRunner

from flows import progress
from flows.tasks import discover_sources, load_batch, process_batch, publish_report
from pipeline.config import Config, load_config
from pipeline.document import Failure
from pipeline.process import BatchResult
from pipeline.sources import SourceItem
from pipeline.warehouse import LoadCounts, RunSummary, Warehouse, WarehouseError, new_run_id

ADHOC = "adhoc"
IN_FLIGHT = 2
"""Batches processed ahead of the writer: enough to keep both cores busy, memory flat."""


def _run_name() -> str:
    """``<group>-<UTC time>``: what a person scanning the UI's run list wants to read."""
    group = runtime.flow_run.parameters.get("group") or ADHOC
    return f"{group}-{datetime.now(UTC):%Y%m%d-%H%M%S}"


@flow(
    name="ingest",
    flow_run_name=_run_name,
    task_runner=ThreadPoolTaskRunner(max_workers=IN_FLIGHT),  # type: ignore[arg-type]
    validate_parameters=True,
)
def ingest(
    sources: list[str] | None = None,
    config_path: str | None = None,
    db: str | None = None,
    group: str = ADHOC,
) -> RunSummary:
    """Ingest sources into the warehouse; the run is marked completed only after every commit.

    ``group`` names the source group (a schedule's name, or ``adhoc``): it names the flow run
    and keys the report artifact, so each group's latest report is one click away in the UI.
    """
    config = load_config(Path(config_path) if config_path else None)
    paths = list(sources or config.sources.paths)
    tally = _Tally()
    with tally.timed("discover"):
        items, discovery_failures = discover_sources(paths)
    progress.discovered(len(items))
    run_id = new_run_id()
    with Warehouse.open(
        Path(db) if db else config.warehouse.path,
        lock_timeout_seconds=config.warehouse.lock_timeout_seconds,
    ) as warehouse:
        warehouse.start_run(
            run_id,
            config_json=config.to_json(),
            config_sha256=config.sha256(),
            flow_run_id=str(runtime.flow_run.id) if runtime.flow_run.id else None,
            sources=paths,
        )
        try:
            batches: Iterator[BatchResult] = _processed(items, config)
            for result in _with_discovery(discovery_failures, batches):
                with tally.timed("load"):
                    counts = load_batch(warehouse, run_id, result)
                tally.add(result, counts)
        except BaseException:
            # If even this write fails (disk full), the run stays `running` and the next
            # start_run marks it failed; the original error is the one to report.
            with suppress(WarehouseError):
                warehouse.finish_run(run_id, "failed", tally.counts, tally.documents, tally.seconds)
            raise
        warehouse.finish_run(run_id, "completed", tally.counts, tally.documents, tally.seconds)
        summary = warehouse.run_summary(run_id)
    publish_report(summary, group)
    return summary


@dataclass(slots=True)
class _Tally:
    """Run totals as batches commit; stage times are summed over batches (CPU-ish, not wall)."""

    counts: LoadCounts = field(default_factory=LoadCounts)
    documents: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, result: BatchResult, counts: LoadCounts) -> None:
        self.counts += counts
        self.documents += result.documents
        for stage, spent in result.seconds.items():
            self._spend(stage, spent)
        progress.committed(result.documents, len(result.failures))

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self._spend(stage, time.perf_counter() - start)

    def _spend(self, stage: str, spent: float) -> None:
        self.seconds[stage] = round(self.seconds.get(stage, 0.0) + spent, 4)


def _processed(items: Sequence[SourceItem], config: Config) -> Iterator[BatchResult]:
    """Yield batch results in order while keeping ``IN_FLIGHT`` batches processing ahead."""
    size = config.flow.batch_size
    pending: deque[PrefectFuture[BatchResult]] = deque()
    for number, start in enumerate(range(0, len(items), size), start=1):
        task = process_batch.with_options(task_run_name=f"extract-clean-{number}")
        pending.append(task.submit(list(items[start : start + size]), config))
        if len(pending) >= IN_FLIGHT:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _with_discovery(
    failures: list[Failure], batches: Iterator[BatchResult]
) -> Iterator[BatchResult]:
    if failures:
        yield BatchResult(failures=failures, documents=len(failures))
    yield from batches
