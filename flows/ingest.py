"""The ingest flow: discover → fetch → extract+clean in batches → one writer → report."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow, runtime
from prefect.futures import PrefectFuture
from prefect.task_runners import ThreadPoolTaskRunner

from flows.tasks import (
    discover_sources,
    fetch_batch,
    load_batch,
    process_batch,
    process_fetched,
    publish_report,
)
from pipeline.config import Config, load_config
from pipeline.document import RawDocument
from pipeline.process import BatchResult
from pipeline.source_state import StateLedger
from pipeline.sources import SourceItem
from pipeline.warehouse import LoadCounts, RunSummary, Warehouse, new_run_id
from pipeline.web_sources import Discovery

IN_FLIGHT = 2
"""Batches processed ahead of the writer: enough to keep both cores busy, memory flat."""


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


@flow(
    name="ingest",
    # A process task may wait on its fetch task: room for both of every batch in flight.
    task_runner=ThreadPoolTaskRunner(max_workers=2 * IN_FLIGHT),  # type: ignore[arg-type]
    validate_parameters=True,
)
def ingest(
    sources: list[str] | None = None,
    config_path: str | None = None,
    db: str | None = None,
    allow_private_addresses: bool = False,
) -> RunSummary:
    """Ingest files and URLs into the warehouse; the run is completed only after every commit."""
    config = load_config(Path(config_path) if config_path else None)
    if allow_private_addresses:
        fetch = config.fetch.model_copy(update={"allow_private_addresses": True})
        config = config.model_copy(update={"fetch": fetch})
    paths = list(sources or config.sources.paths)
    run_id = new_run_id()
    with Warehouse.open(Path(db) if db else config.warehouse.path) as warehouse:
        found = discover_sources(paths, config, warehouse.source_states())
        urls = [i for i in found.items if i.kind == "url"]
        seen = warehouse.seen_urls([i.locator for i in urls])
        batches = _batches(found, seen, config.flow.batch_size)
        ledger = StateLedger(found.states, [b.keys() for b in batches])
        warehouse.start_run(
            run_id,
            config_json=config.to_json(),
            config_sha256=config.sha256(),
            flow_run_id=str(runtime.flow_run.id) if runtime.flow_run.id else None,
            sources=paths,
        )
        totals = LoadCounts(0, 0, 0, 0, 0)
        documents = 0
        try:
            if found.failures:
                ledger.note(found.failures)
                discovered = BatchResult(failures=found.failures, documents=len(found.failures))
                documents += discovered.documents
                totals += load_batch(warehouse, run_id, discovered)
            for index, result in enumerate(_processed(batches, config)):
                documents += result.documents
                states = ledger.due(index, result.failures)
                totals += load_batch(warehouse, run_id, result, states)
            if remaining := ledger.remaining():
                totals += load_batch(warehouse, run_id, BatchResult(), remaining)
        except BaseException:
            warehouse.finish_run(run_id, "failed", totals, documents)
            raise
        warehouse.finish_run(run_id, "completed", totals, documents)
        summary = warehouse.run_summary(run_id)
    publish_report(summary)
    return summary


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


def _processed(batches: Sequence[_Batch], config: Config) -> Iterator[BatchResult]:
    """Yield batch results in order while keeping ``IN_FLIGHT`` batches processing ahead."""
    pending: deque[PrefectFuture[BatchResult]] = deque()
    for batch in batches:
        if batch.files:
            pending.append(process_batch.submit(batch.files, config))
        else:
            docs = (
                fetch_batch.submit([i.locator for i in batch.urls], config)
                if batch.urls
                else batch.pages
            )
            pending.append(process_fetched.submit(docs, config))  # type: ignore[arg-type]
        if len(pending) >= IN_FLIGHT:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()
