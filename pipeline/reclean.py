"""Re-clean stored raw input with the current code and config, without fetching anything.

This is how a better stripper (or extractor setting) reaches old articles: each stored raw
document goes through the same ``Processor`` as an ingest, and the result is loaded like any
batch, inside a run of kind ``reclean``. The loader's content-hash comparison does the rest:
articles whose text comes out the same are left untouched (their version and cleaner stay),
changed ones get a new version recording the cleaner that produced it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from pipeline.cleaner import cleaner_version
from pipeline.config import Config
from pipeline.document import Article, Failure
from pipeline.process import Processor
from pipeline.raw import unpack
from pipeline.warehouse import LoadCounts, RunSummary, Warehouse, new_run_id


@dataclass(frozen=True, slots=True)
class RecleanResult:
    summary: RunSummary
    cleaner_version: str
    without_raw: int
    """Articles that could not be re-cleaned: stored before raw input was kept (re-ingest
    their sources once to store it)."""


def reclean(
    warehouse: Warehouse,
    config: Config,
    *,
    every_article: bool = False,
    after_batch: Callable[[], object] | None = None,
) -> RecleanResult:
    """Re-clean the stored articles not yet cleaned by the current cleaner (all of them with
    ``every_article``), in batches of ``flow.batch_size``; one transaction per batch."""
    version = cleaner_version(config)
    ids = warehouse.article_ids(only_cleaner_not=None if every_article else version)
    run_id = new_run_id()
    warehouse.start_run(
        run_id,
        config_json=config.to_json(),
        config_sha256=config.sha256(),
        sources=["reclean"],
        kind="reclean",
        cleaner_version=version,
    )
    processor = Processor(config)
    totals, documents = LoadCounts(), 0
    try:
        for start in range(0, len(ids), config.flow.batch_size):
            stored = warehouse.stored_raw(ids[start : start + config.flow.batch_size])
            articles: list[Article] = []
            failures: list[Failure] = []
            for article_id, source, raw in stored:
                outcome = processor.process(unpack(raw, source=source))
                if isinstance(outcome, Failure):
                    failures.append(outcome)
                else:
                    # The id stays the stored one even if extraction now finds another URL.
                    articles.append(replace(outcome, article_id=article_id))
            documents += len(stored)
            totals += warehouse.load_batch(run_id, articles, failures)
            if after_batch:
                after_batch()
    except BaseException:
        warehouse.finish_run(run_id, "failed", totals, documents)
        raise
    warehouse.finish_run(run_id, "completed", totals, documents)
    return RecleanResult(warehouse.run_summary(run_id), version, len(ids) - documents)
