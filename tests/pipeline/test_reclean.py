"""Re-cleaning stored raw input: text changes only where the cleaner's output changed."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipeline.cleaner import cleaner_version
from pipeline.config import Config, StripConfig
from pipeline.process import Processor
from pipeline.reclean import reclean
from pipeline.sources import SourceItem
from pipeline.warehouse import Warehouse, new_run_id

PARAGRAPHS = [
    "The harbour authority approved a second ferry terminal on Tuesday after a public "
    "consultation that drew more than four thousand responses from residents.",
    "Construction is expected to start next spring and to last about two years, "
    "the authority said in a statement.",
]
WITH_TEASER = [PARAGRAPHS[0], "READ MORE: Ferry fares to rise in January", PARAGRAPHS[1]]
OLD = Config(strip=StripConfig(disabled_rules=("strip.read_more",)))
NEW = Config()


def ingest_with(config: Config, db: Path, files: list[Path]) -> None:
    """What the flow does, without Prefect: process one batch and load it in one run."""
    result = Processor(config).process_items([SourceItem(str(f)) for f in files])
    with Warehouse.open(db) as wh:
        run_id = new_run_id()
        wh.start_run(run_id, config_json=config.to_json(), config_sha256=config.sha256())
        counts = wh.load_batch(run_id, result.articles, result.failures, result.raw)
        wh.finish_run(run_id, "completed", counts, result.documents)


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_reclean_changes_only_what_the_new_cleaner_changes_and_records_its_version(
    tmp_path: Path,
) -> None:
    teaser, plain = tmp_path / "teaser.txt", tmp_path / "plain.txt"
    teaser.write_text("Second Ferry Terminal Approved\n" + "\n".join(WITH_TEASER))
    plain.write_text("Ferry Works Start in Spring\n" + "\n".join(PARAGRAPHS))
    db = tmp_path / "w.duckdb"
    ingest_with(OLD, db, [teaser, plain])
    old_version, new_version = cleaner_version(OLD), cleaner_version(NEW)
    assert old_version != new_version
    assert rows(db, "SELECT count(*) FROM articles WHERE text LIKE '%READ MORE%'") == [(1,)]
    # The source files are gone: reclean works from the stored raw input alone.
    teaser.unlink()
    plain.unlink()

    with Warehouse.open(db) as wh:
        result = reclean(wh, NEW)

    counts = result.summary.counts
    assert (counts.inserted, counts.updated, counts.unchanged) == (0, 1, 1)
    assert result.cleaner_version == new_version
    assert result.without_raw == 0
    assert rows(
        db, "SELECT title, text LIKE '%READ MORE%', cleaner_version FROM articles ORDER BY title"
    ) == [
        ("Ferry Works Start in Spring", False, old_version),  # same text: left alone
        ("Second Ferry Terminal Approved", False, new_version),
    ]
    assert rows(
        db,
        "SELECT r.kind, v.cleaner_version, count(*) FROM article_versions AS v"
        " JOIN runs AS r USING (run_id) GROUP BY ALL ORDER BY ALL",
    ) == [("ingest", old_version, 2), ("reclean", new_version, 1)]
    assert rows(
        db,
        "SELECT l.reason, l.text FROM current_removed_lines AS l"
        " JOIN runs USING (run_id) WHERE runs.kind = 'reclean'",
    ) == [("strip.read_more", "READ MORE: Ferry fares to rise in January")]

    # Again with the same cleaner: only the article still on the old version is looked at.
    with Warehouse.open(db) as wh:
        again = reclean(wh, NEW)
    assert again.summary.documents_seen == 1
    assert again.summary.counts.unchanged == 1


def test_articles_without_stored_raw_are_counted_not_lost(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    source = tmp_path / "plain.txt"
    source.write_text("Ferry Works Start in Spring\n" + "\n".join(PARAGRAPHS))
    ingest_with(OLD, db, [source])
    with Warehouse.open(db) as wh:
        wh._con.execute("UPDATE articles SET raw_sha256 = NULL")
        result = reclean(wh, NEW)
    assert result.without_raw == 1
    assert result.summary.status == "completed"
    assert rows(db, "SELECT count(*) FROM articles") == [(1,)]
