"""Prefect tasks: each wraps one library call over a whole batch, never a single article."""

from __future__ import annotations

from functools import lru_cache

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from pipeline.config import Config
from pipeline.document import Failure
from pipeline.process import BatchResult, Processor
from pipeline.report import render_markdown
from pipeline.sources import SourceItem, discover
from pipeline.warehouse import LoadCounts, RunSummary, Warehouse


@lru_cache(maxsize=4)
def _processor(config: Config) -> Processor:
    # Building the steps (trafilatura settings, cue lexicon) once per worker, not per batch.
    return Processor(config)


@task(name="discover", cache_policy=NO_CACHE)
def discover_sources(paths: list[str]) -> tuple[list[SourceItem], list[Failure]]:
    items, failures = discover(paths)
    get_run_logger().info("discovered %d items in %d sources", len(items), len(paths))
    return items, failures


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


@task(name="load", cache_policy=NO_CACHE)
def load_batch(
    warehouse: Warehouse,
    run_id: str,
    result: BatchResult,
    snapshot_interval: float | None = None,
) -> LoadCounts:
    """The only writer: called one batch at a time from the flow, which owns the connection.

    With ``snapshot_interval`` the readers' snapshot is republished when it is that old.
    """
    counts = warehouse.load_batch(run_id, result.articles, result.failures, result.raw)
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
def publish_for_readers(warehouse: Warehouse, *, rebuild_index: bool) -> None:
    """After the run's last write: refresh the search index, then the readers' snapshot."""
    if rebuild_index:
        warehouse.rebuild_search_index()
    warehouse.publish_snapshot()


@task(name="report", cache_policy=NO_CACHE)
def publish_report(summary: RunSummary) -> None:
    create_markdown_artifact(
        key="presswash-run-report",
        markdown=render_markdown(summary),
        description=f"presswash run {summary.run_id}",
    )
