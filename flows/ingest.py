"""The ingest flow: discover → fetch → extract+clean in batches → one writer → report."""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

from prefect import flow, runtime
from prefect.context import TagsContext
from prefect.futures import PrefectFuture
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from flows import progress
from flows.dask_executor import DaskBatches, dask_batches
from flows.tasks import (
    discover_sources,
    fetch_batch,
    load_batch,
    process_batch,
    process_fetched,
    publish_for_readers,
    publish_report,
    release_workers,
)
from pipeline.cleaner import cleaner_version
from pipeline.config import Config, load_config
from pipeline.document import Failure, RawDocument
from pipeline.process import BatchResult
from pipeline.source_state import StateLedger
from pipeline.sources import SourceItem, read_item
from pipeline.warehouse import LoadCounts, RunSummary, Warehouse, WarehouseError, new_run_id
from pipeline.web_sources import Discovery

ADHOC = "adhoc"


def group_tags(group: str) -> list[str]:
    """The tags that label a group's flow runs in the UI (deployments and ``presswash ingest``)."""
    return ["presswash", f"group:{group}"]


@contextmanager
def _untagged_tasks(group: str) -> Iterator[None]:
    """The flow run keeps the group's tags; its task runs do not inherit them.

    Prefect takes a concurrency lease from the server for every tag of every task run, in
    case a tag concurrency limit exists: measured with both tags, 145 ms more per task run,
    on the writer's path (10k generated pages: 65.3 s against 54.3 s). A user's own tags,
    limits included, still reach the tasks.
    """
    current = TagsContext.get().current_tags
    with TagsContext(current_tags=current - set(group_tags(group))):
        yield


IN_FLIGHT = (os.cpu_count() or 1) + 1
"""Batches processed ahead of the writer: one more than the extraction workers (one per core),
so no worker waits while a batch thread reads its next file or the writer loads; memory flat."""


def _run_name() -> str:
    """``<group>-<UTC time>``: what a person scanning the UI's run list wants to read."""
    group = runtime.flow_run.parameters.get("group") or ADHOC
    return f"{group}-{datetime.now(UTC):%Y%m%d-%H%M%S}"


@dataclass(frozen=True, slots=True)
class _Batch:
    """Local files to read, URLs to fetch, or pages discovery already fetched."""

    files: list[SourceItem] = field(default_factory=list)
    urls: list[SourceItem] = field(default_factory=list)
    pages: list[RawDocument] = field(default_factory=list)

    def keys(self) -> list[tuple[str, str | None]]:
        """(locator, origin) of each item, for the state ledger; a page is its own origin."""
        return [(i.locator, i.origin) for i in self.files + self.urls] + [
            (p.source, p.source) for p in self.pages
        ]

    def __len__(self) -> int:
        return len(self.files) + len(self.urls) + len(self.pages)


@flow(
    name="ingest",
    flow_run_name=_run_name,
    # A process task may wait on its fetch task: room for both of every batch in flight.
    task_runner=ThreadPoolTaskRunner(max_workers=2 * IN_FLIGHT),  # type: ignore[arg-type]
    validate_parameters=True,
)
def ingest(
    sources: list[str] | None = None,
    config_path: str | None = None,
    db: str | None = None,
    group: str = ADHOC,
    allow_private_addresses: bool = False,
) -> RunSummary:
    """Ingest files and URLs into the warehouse; the run is completed only after every commit.

    ``group`` names the source group (a schedule's name, or ``adhoc``): it names the flow run
    and keys the report artifact, so each group's latest report is one click away in the UI.
    """
    with _untagged_tasks(group):
        return _ingest(sources, config_path, db, group, allow_private_addresses)


def _ingest(
    sources: list[str] | None,
    config_path: str | None,
    db: str | None,
    group: str,
    allow_private_addresses: bool,
) -> RunSummary:
    config = load_config(Path(config_path) if config_path else None)
    if allow_private_addresses:
        fetch = config.fetch.model_copy(update={"allow_private_addresses": True})
        config = config.model_copy(update={"fetch": fetch})
    paths = list(sources or config.sources.paths)
    tally = _Tally()
    run_id = new_run_id()
    with (
        dask_batches(config) as cluster,
        Warehouse.open(
            Path(db) if db else config.warehouse.path,
            lock_timeout_seconds=config.warehouse.lock_timeout_seconds,
            memory_limit=config.warehouse.memory_limit,
            threads=config.warehouse.threads,
            search_index=config.warehouse.search_index,
        ) as warehouse,
    ):
        # Discovery needs the stored feed validators and seen URLs, so it runs inside the lock.
        with tally.timed("discover"):
            found = discover_sources(paths, config, warehouse.source_states())
            urls = [i for i in found.items if i.kind == "url"]
            seen = warehouse.seen_urls([i.locator for i in urls])
            batches = _batches(found, seen, config.flow.batch_size)
        progress.discovered(sum(len(b) for b in batches))
        ledger = StateLedger(found.states, [b.keys() for b in batches])
        warehouse.start_run(
            run_id,
            config_json=config.to_json(),
            config_sha256=config.sha256(),
            flow_run_id=str(runtime.flow_run.id) if runtime.flow_run.id else None,
            sources=paths,
            cleaner_version=cleaner_version(config),
        )
        try:
            snapshot_every = config.warehouse.min_snapshot_interval_seconds
            if found.failures:
                ledger.note(found.failures)
                discovered = BatchResult(failures=found.failures, documents=len(found.failures))
                tally.add(discovered, load_batch(warehouse, run_id, discovered))
            for index, result in enumerate(_processed(batches, config, cluster)):
                states = ledger.due(index, result.failures)
                with tally.timed("load"):
                    # The task gets the batch itself; quote only stops Prefect walking every
                    # article's fields and terms for futures (247 ms a batch of 100 real
                    # articles).
                    batch = cast(BatchResult, quote(result))
                    counts = load_batch(warehouse, run_id, batch, states, snapshot_every)
                tally.add(result, counts)
            if remaining := ledger.remaining():
                load_batch(warehouse, run_id, BatchResult(), remaining)
        except BaseException:
            # If even this write fails (disk full), the run stays `running` and the next
            # start_run marks it failed; the original error is the one to report.
            with suppress(WarehouseError):
                warehouse.finish_run(run_id, "failed", tally.counts, tally.documents, tally.seconds)
            raise
        # The extraction workers (~75 MB each) would sit idle through the final checkpoint
        # and snapshot, the run's memory peak when they stayed; the next run starts its own.
        release_workers()
        warehouse.finish_run(run_id, "completed", tally.counts, tally.documents, tally.seconds)
        with tally.timed("publish"):
            publish_for_readers(warehouse)
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


def _batches(found: Discovery, seen: set[str], size: int) -> list[_Batch]:
    """Files, then URLs not stored yet, then already fetched pages, ``size`` per batch."""
    files = [i for i in found.items if i.kind == "file"]
    urls = [i for i in found.items if i.kind == "url" and i.locator not in seen]
    chunks = range(0, max(len(files), len(urls), len(found.documents)), size)
    return (
        [_Batch(files=files[i : i + size]) for i in chunks if files[i : i + size]]
        + [_Batch(urls=urls[i : i + size]) for i in chunks if urls[i : i + size]]
        + [
            _Batch(pages=found.documents[i : i + size])
            for i in chunks
            if found.documents[i : i + size]
        ]
    )


def _processed(
    batches: Sequence[_Batch], config: Config, cluster: DaskBatches | None
) -> Iterator[BatchResult]:
    """Yield batch results in order while keeping batches processing ahead: ``IN_FLIGHT`` on
    the flow's threads, one per Dask worker thread and one queued on a cluster."""
    pending: deque[PrefectFuture[BatchResult]] = deque()
    in_flight = cluster.slots + 1 if cluster else IN_FLIGHT
    for number, batch in enumerate(batches, start=1):
        name = f"extract-clean-{number}"
        if cluster:
            pending.append(cluster.submit(name, _documents(batch, number, config), config))
        elif batch.files:
            pending.append(
                process_batch.with_options(task_run_name=name).submit(batch.files, config)
            )
        else:
            docs = (
                fetch_batch.with_options(task_run_name=f"fetch-{number}").submit(
                    [i.locator for i in batch.urls], config
                )
                if batch.urls
                else batch.pages
            )
            task = process_fetched.with_options(task_run_name=name)
            pending.append(task.submit(docs, config))  # type: ignore[arg-type]
        if len(pending) >= in_flight:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _documents(batch: _Batch, number: int, config: Config) -> list[RawDocument | Failure]:
    """A batch's documents read or fetched in the flow's process, for workers of a cluster."""
    if batch.urls:
        fetch = fetch_batch.with_options(task_run_name=f"fetch-{number}")
        return fetch([i.locator for i in batch.urls], config)
    if batch.pages:
        return [*batch.pages]
    max_bytes = config.sources.max_file_bytes
    return [doc for item in batch.files for doc in read_item(item, max_bytes=max_bytes)]
