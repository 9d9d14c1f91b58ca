"""Prefect tasks: each wraps one library call over a whole batch, never a single article."""

from __future__ import annotations

import threading

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from pipeline import web_sources
from pipeline.config import Config
from pipeline.document import Failure, RawDocument
from pipeline.fetch import Fetcher
from pipeline.process import BatchResult, Processor
from pipeline.report import render_markdown
from pipeline.source_state import SourceState
from pipeline.sources import SourceItem
from pipeline.warehouse import LoadCounts, RunSummary, Warehouse
from pipeline.web_sources import Discovery

_PROCESSORS: dict[Config, Processor] = {}
_PROCESSORS_LOCK = threading.Lock()


def _processor(config: Config) -> Processor:
    # Building the steps (trafilatura settings, cue lexicon, extraction workers) once per
    # config and process, not per batch.
    with _PROCESSORS_LOCK:
        if config not in _PROCESSORS:
            _PROCESSORS[config] = Processor(config)
        return _PROCESSORS[config]


def release_workers() -> None:
    """Stop the cached processors' extraction workers (a later batch starts new ones)."""
    with _PROCESSORS_LOCK:
        processors = list(_PROCESSORS.values())
        _PROCESSORS.clear()
    for processor in processors:
        processor.close()


@task(name="discover", cache_policy=NO_CACHE)
def discover_sources(paths: list[str], config: Config, states: dict[str, SourceState]) -> Discovery:
    """Walk local paths and expand URL sources (feeds, sitemaps, pages) into items."""
    with Fetcher(config.fetch) as fetcher:
        found = web_sources.discover_sources(paths, fetcher, states)
    get_run_logger().info(
        "discovered %d items and %d pages in %d sources (%d not modified, %d failures)",
        len(found.items),
        len(found.documents),
        len(paths),
        len(found.not_modified),
        len(found.failures),
    )
    return found


@task(name="fetch", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=10)
def fetch_batch(urls: list[str], config: Config) -> list[RawDocument | Failure]:
    """Fetch one batch of article URLs; per-URL retries happen inside, this retries the batch."""
    with Fetcher(config.fetch) as fetcher:
        docs = fetcher.fetch_documents(urls)
    failed = sum(isinstance(doc, Failure) for doc in docs)
    get_run_logger().info("fetched %d URLs: %d failed", len(urls), failed)
    return docs


@task(name="extract-clean", cache_policy=NO_CACHE)
def process_batch(items: list[SourceItem], config: Config) -> BatchResult:
    result = _processor(config).process_items(items)
    get_run_logger().info(
        "batch of %d documents: %d articles, %d failures",
        result.documents,
        len(result.articles),
        len(result.failures),
    )
    return result


@task(name="extract-clean", cache_policy=NO_CACHE)
def process_fetched(docs: list[RawDocument | Failure], config: Config) -> BatchResult:
    return _processor(config).process_documents(docs)


@task(name="load", cache_policy=NO_CACHE)
def load_batch(
    warehouse: Warehouse,
    run_id: str,
    result: BatchResult,
    states: list[SourceState] | None = None,
    snapshot_interval: float | None = None,
) -> LoadCounts:
    """The only writer: called one batch at a time from the flow, which owns the connection.

    ``states`` (feed validators) commit in the same transaction as the batch. With
    ``snapshot_interval`` the readers' snapshot is republished when it is that old.
    """
    counts = warehouse.load_batch(
        run_id, result.articles, result.failures, raw=result.raw, states=states or ()
    )
    if snapshot_interval is not None:
        warehouse.publish_snapshot(min_interval_seconds=snapshot_interval)
    get_run_logger().info(
        "committed: %d inserted, %d updated, %d unchanged, %d failures",
        counts.inserted,
        counts.updated,
        counts.unchanged,
        counts.failures,
    )
    return counts


@task(name="publish", cache_policy=NO_CACHE)
def publish_for_readers(warehouse: Warehouse) -> None:
    """After the run's last write: the readers' snapshot."""
    warehouse.publish_snapshot()


@task(name="report", cache_policy=NO_CACHE)
def publish_report(summary: RunSummary, group: str) -> None:
    create_markdown_artifact(
        key=f"presswash-report-{group}",
        markdown=render_markdown(summary),
        description=f"presswash run {summary.run_id}",
    )
