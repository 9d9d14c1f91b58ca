"""The ingest flow: discover → extract+clean in batches → one writer → report."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path

from prefect import flow, runtime
from prefect.futures import PrefectFuture
from prefect.task_runners import ThreadPoolTaskRunner

from flows.tasks import (
    discover_sources,
    load_batch,
    process_batch,
    publish_for_readers,
    publish_report,
)
from pipeline.cleaner import cleaner_version
from pipeline.config import Config, load_config
from pipeline.document import Failure
from pipeline.process import BatchResult
from pipeline.sources import SourceItem
from pipeline.warehouse import LoadCounts, RunSummary, Warehouse, new_run_id

IN_FLIGHT = 2
"""Batches processed ahead of the writer: enough to keep both cores busy, memory flat."""


@flow(
    name="ingest",
    task_runner=ThreadPoolTaskRunner(max_workers=IN_FLIGHT),  # type: ignore[arg-type]
    validate_parameters=True,
)
def ingest(
    sources: list[str] | None = None,
    config_path: str | None = None,
    db: str | None = None,
) -> RunSummary:
    """Ingest files into the warehouse; the run is marked completed only after every commit."""
    config = load_config(Path(config_path) if config_path else None)
    paths = list(sources or config.sources.paths)
    items, discovery_failures = discover_sources(paths)
    run_id = new_run_id()
    with Warehouse.open(Path(db) if db else config.warehouse.path) as warehouse:
        warehouse.start_run(
            run_id,
            config_json=config.to_json(),
            config_sha256=config.sha256(),
            flow_run_id=str(runtime.flow_run.id) if runtime.flow_run.id else None,
            sources=paths,
            cleaner_version=cleaner_version(config),
        )
        totals = LoadCounts(0, 0, 0, 0, 0)
        documents = 0
        try:
            batches: Iterator[BatchResult] = _processed(items, config)
            for result in _with_discovery(discovery_failures, batches):
                documents += result.documents
                totals += load_batch(
                    warehouse, run_id, result, config.warehouse.min_snapshot_interval_seconds
                )
        except BaseException:
            warehouse.finish_run(run_id, "failed", totals, documents)
            raise
        warehouse.finish_run(run_id, "completed", totals, documents)
        publish_for_readers(warehouse, rebuild_index=config.warehouse.search_index_after_run)
        summary = warehouse.run_summary(run_id)
    publish_report(summary)
    return summary


def _processed(items: Sequence[SourceItem], config: Config) -> Iterator[BatchResult]:
    """Yield batch results in order while keeping ``IN_FLIGHT`` batches processing ahead."""
    size = config.flow.batch_size
    pending: deque[PrefectFuture[BatchResult]] = deque()
    for start in range(0, len(items), size):
        pending.append(process_batch.submit(list(items[start : start + size]), config))
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
