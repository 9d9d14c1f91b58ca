"""A small warehouse with known contents, built through the public ``Warehouse`` API.

Four runs: two completed, one failed and one still running, so tests can check that only
completed runs reach the views. The expected view rows are spelled out next to the data.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb

from pipeline.document import Article, Failure, RawDocument, Removal, sha256_text
from pipeline.raw import pack
from pipeline.warehouse import Warehouse, new_run_id

CONFIG_JSON = '{"fixture": true}'
MIGRATIONS = Path(__file__).parents[2] / "warehouse" / "migrations"


def older_warehouse(con: duckdb.DuckDBPyConnection, last: int, config_sha: str) -> None:
    """The schema as migrations 001 to ``last`` left it, with one completed run ``r1``: a file
    written by an older presswash, for testing the upgrade."""
    for path in sorted(MIGRATIONS.glob("[0-9][0-9][0-9]_*.sql")):
        if int(path.name[:3]) <= last:
            con.execute(path.read_text())
            con.execute("INSERT INTO _migrations VALUES (?, now())", [path.name])
    con.execute(
        "INSERT INTO runs (run_id, status, started_at, config_sha256, config_json, sources)"
        f" VALUES ('r1', 'completed', now(), '{config_sha}', '{{}}', '[]')"
    )


def make_article(
    article_id: str,
    text: str,
    *,
    site: str | None = "Daily Planet",
    language: str = "en",
    published_at: str | None = "2026-11-20",
    removals: tuple[Removal, ...] = (),
) -> Article:
    return Article(
        article_id=article_id,
        source=f"/corpus/planet/{article_id}.html",
        url=f"https://www.{'zeitung' if language == 'de' else 'planet'}.example/{article_id}",
        title=f"Story {article_id}",
        author=None,
        published_at=published_at,
        site=site,
        language=language,
        language_prob=0.99,
        text=text,
        words_before=len(text.split()) + 3 * len(removals),
        words_after=len(text.split()),
        content_sha256=sha256_text(text),
        removals=removals,
        cleaner_version="0.1.0+fixture",
    )


def read_more(position: int) -> Removal:
    return Removal(position, "READ MORE: another story", "strip.read_more", "READ MORE")


def run(wh: Warehouse, articles: list[Article], failures: list[Failure], status: str) -> str:
    run_id = new_run_id()
    wh.start_run(run_id, config_json=CONFIG_JSON, config_sha256=sha256_text(CONFIG_JSON))
    raw = [pack(RawDocument(a.source, f"<html><p>{a.text}</p></html>", "html")) for a in articles]
    articles = [replace(a, raw_sha256=r.raw_sha256) for a, r in zip(articles, raw, strict=True)]
    counts = wh.load_batch(run_id, articles, failures, raw)
    if status != "running":
        wh.finish_run(run_id, status, counts, len(articles) + len(failures))  # type: ignore[arg-type]
    return run_id


def build(path: Path) -> tuple[str, str]:
    """Fill ``path`` and publish its snapshot; returns the two completed run ids."""
    with Warehouse.open(path) as wh:
        first = run(
            wh,
            [
                make_article(
                    "a",
                    "Flood waters rose along the river overnight.",
                    removals=(read_more(1), Removal(3, "Share this", "strip.share_follow", "x")),
                ),
                make_article("b", "Der Fluss trat über die Ufer.", site=None, language="de"),
                make_article(
                    "c", "Rain again on Sunday.", published_at=None, removals=(read_more(0),)
                ),
            ],
            [
                Failure("/corpus/x.html", "extract", "extract.empty", "ExtractionError", "none"),
                Failure("/corpus/y.txt", "read", "read.empty", "EmptyInput", "no text"),
            ],
            "completed",
        )
        second = run(
            wh,
            [
                make_article(
                    "a",
                    "Flood waters fell along the river by the morning.",
                    removals=(Removal(2, "Sign up now", "strip.signup_consent", "sign up"),),
                ),
                make_article(
                    "d",
                    "Dry weather is forecast for the week.",
                    published_at="2026-11-21",
                    removals=(
                        read_more(1),
                        Removal(4, "Advertisement", "strip.ad_marker", "Advertisement"),
                    ),
                ),
            ],
            [Failure("/corpus/z.txt", "quality", "quality.too_few_words", "QualityCheck", "3")],
            "completed",
        )
        run(
            wh,
            [
                make_article("b", "Changed by a failed run.", language="de", site=None),
                make_article("e", "Written by a failed run."),
            ],
            [Failure("/corpus/w.txt", "read", "read.empty", "EmptyInput", "no text")],
            "failed",
        )
        run(wh, [make_article("f", "Written by a run still going.")], [], "running")
        wh.rebuild_search_index()
        wh.publish_snapshot()
    return first, second
