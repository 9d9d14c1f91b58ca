"""The full-text index follows every batch the writer commits, and ranks by BM25."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipeline.document import Article
from pipeline.search import (
    SearchError,
    index_terms,
    load_fts,
    search,
)
from pipeline.warehouse import Warehouse, WarehouseError
from tests.pipeline.warehouse_fixture import make_article, older_warehouse, run

CONFIG_SHA = "0" * 64


def load(wh: Warehouse, *articles: Article) -> None:
    """One completed run holding ``articles``, loaded as one batch."""
    run(wh, list(articles), [], "completed")


def found(wh: Warehouse, query: str) -> list[str]:
    return [hit.article_id for hit in search(wh._con, query)]


def index_rows(wh: Warehouse) -> list[tuple[object, ...]]:
    """The index by article: doc numbers depend on the order articles were indexed in."""
    terms = wh._con.execute(
        "SELECT article_id, term_key, tf FROM search_terms JOIN search_docs USING (doc)"
        " ORDER BY ALL"
    ).fetchall()
    docs = wh._con.execute("SELECT article_id, terms FROM search_docs ORDER BY ALL").fetchall()
    return terms + docs


def keys(wh: Warehouse, *terms: str) -> list[int]:
    rows = wh._con.execute("SELECT search_key(unnest($terms))", {"terms": list(terms)})
    return [key for (key,) in rows.fetchall()]


@pytest.fixture
def wh(tmp_path: Path) -> Iterator[Warehouse]:
    with Warehouse.open(tmp_path / "w.duckdb") as warehouse:
        yield warehouse


def test_a_committed_batch_is_searchable_with_stems_accents_and_any_script(
    wh: Warehouse,
) -> None:
    load(
        wh,
        make_article("a", "Flooding closed the bridges in Köln."),
        make_article("b", "Москва готовится к зиме."),
        make_article("c", "Dry weather is forecast."),
    )
    assert found(wh, "floods") == ["a"]
    assert found(wh, "bridge koln") == ["a"]
    assert found(wh, "москва") == ["b"]
    assert sorted(found(wh, "story")) == ["a", "b", "c"]  # titles: "Story a", ...
    assert found(wh, "zebra") == []


def test_bm25_prefers_more_occurrences_and_rarer_words(wh: Warehouse) -> None:
    load(
        wh,
        make_article("once", "The river rose. Crews waited by the road all night long."),
        make_article("thrice", "The river rose. The river flooded. The river fell by night."),
        make_article("rare", "A levee broke near the road at night."),
    )
    assert found(wh, "river")[:2] == ["thrice", "once"]
    # "levee" is in one article, "night" in all three: the rare word decides.
    assert found(wh, "levee night")[0] == "rare"


def test_a_changed_article_is_reindexed_and_its_old_words_are_gone(wh: Warehouse) -> None:
    load(wh, make_article("a", "Flood waters rose overnight."), make_article("b", "Rain."))
    load(wh, make_article("a", "Drought parched the fields."))
    assert found(wh, "flood") == []
    assert found(wh, "drought") == ["a"]
    docs = wh._con.execute("SELECT article_id FROM search_docs ORDER BY 1").fetchall()
    assert docs == [("a",), ("b",)]


def test_an_article_without_terms_is_stored_but_not_indexed(wh: Warehouse) -> None:
    # The workers count the terms; an article whose count came out empty is given directly.
    empty = dataclasses.replace(make_article("b", "-- * --"), search_terms={})
    load(wh, make_article("a", "Flood waters rose overnight."), empty)
    docs = wh._con.execute("SELECT article_id FROM search_docs ORDER BY 1").fetchall()
    assert docs == [("a",)]
    assert wh.article_ids() == ["a", "b"]
    assert found(wh, "flood") == ["a"]


def test_a_batch_that_fails_after_indexing_leaves_the_index_as_it_was(
    wh: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(wh, make_article("a", "Flood waters rose overnight."))
    before = index_rows(wh)

    def index_then_fail(*args: Any, **kwargs: Any) -> None:
        index_terms(*args, **kwargs)
        raise duckdb.IOException("disk went away")

    monkeypatch.setattr("pipeline.warehouse.index_terms", index_then_fail)
    with pytest.raises(WarehouseError, match="rolled back"):
        load(wh, make_article("b", "Levee broke."), make_article("a", "Drought."))
    assert index_rows(wh) == before


def test_with_indexing_off_search_says_to_index_and_a_rebuild_matches_the_incremental_index(
    tmp_path: Path,
) -> None:
    articles = [
        make_article("a", "Flood waters rose along the river."),
        make_article("b", "Der Fluss trat über die Ufer."),
    ]
    with Warehouse.open(tmp_path / "on.duckdb") as on:
        load(on, *articles)
        load(on, make_article("a", "Flood waters fell by morning."))
        incremental = index_rows(on)
    with Warehouse.open(tmp_path / "off.duckdb", search_index=False) as off:
        load(off, *articles)
        load(off, make_article("a", "Flood waters fell by morning."))
        with pytest.raises(SearchError, match="presswash index"):
            search(off._con, "flood")
        off.rebuild_search_index()
        assert index_rows(off) == incremental
        assert found(off, "flood") == ["a"]


def test_a_rebuild_in_chunks_indexes_every_article(
    wh: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pipeline.warehouse.REINDEX_CHUNK", 2)
    load(wh, *[make_article(f"n{i}", f"Note number {i} about floods.") for i in range(5)])
    incremental = index_rows(wh)
    wh.rebuild_search_index()
    assert index_rows(wh) == incremental
    assert len(found(wh, "flood")) == 5


def test_a_005_warehouse_gets_its_articles_indexed_by_term_key_and_the_fts_index_dropped(
    tmp_path: Path,
) -> None:
    db = tmp_path / "old.duckdb"
    with duckdb.connect(str(db)) as con:
        older_warehouse(con, 5, CONFIG_SHA)
        con.execute(
            "INSERT INTO articles (article_id, source, title, language, language_prob, text,"
            " words_before, words_after, content_sha256, run_id, ingested_at)"
            " VALUES ('a', '/in/a.txt', 'Floods', 'en', 0.9, 'Rivers rose.', 2, 2,"
            f" '{CONFIG_SHA}', 'r1', now())"
        )
        load_fts(con)
        con.execute("PRAGMA create_fts_index('articles', 'article_id', 'title', 'text')")
    with Warehouse.open(db) as wh:
        schemas = "SELECT count(*) FROM duckdb_schemas() WHERE schema_name = 'fts_main_articles'"
        assert wh._con.execute(schemas).fetchone() == (0,)
        flood, river, rose = keys(wh, "flood", "river", "rose")
        upgraded = index_rows(wh)
        assert upgraded == [*sorted([("a", flood, 1), ("a", river, 1), ("a", rose, 1)]), ("a", 3)]
        wh.rebuild_search_index()
        assert index_rows(wh) == upgraded
