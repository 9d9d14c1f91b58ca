"""Full-text search over article titles and texts: presswash's own BM25 index in DuckDB.

The index (tables ``search_terms`` and ``search_docs``, migrations 006 and 007) follows the
writer: each batch indexes the articles it inserts or changes in the same transaction, so a
run's indexing cost is proportional to what it wrote, not to the warehouse, and an article is
in the index the moment its batch commits (``search`` shows the versions of completed runs).
``presswash index`` rebuilds it whole.

The extraction workers count each article's terms (``pipeline.terms``), so the one writer
only inserts integers; queries, and analysts' SQL, tokenise with the migrations' macros.

``stem`` needs DuckDB's ``fts`` extension. ``INSTALL fts`` downloads from the internet;
instead the extension binary comes from the ``duckdb-extension-fts`` wheel (same version as
the pinned duckdb), which ``duckdb_extensions.import_extension`` installs into DuckDB's
extension directory (``~/.duckdb/extensions``). After that a plain ``LOAD fts`` works offline,
in Python and in the ``duckdb`` CLI of the same version alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

SNIPPET_CHARS = 160
TERMS_SCHEMA = pa.schema([("doc", pa.int64()), ("term_key", pa.uint64()), ("tf", pa.int32())])
DOCS_SCHEMA = pa.schema([("doc", pa.int64()), ("article_id", pa.string()), ("terms", pa.int32())])

_NUMBER_DOCS = "SELECT nextval('search_doc_ids'), article_id, ordinal FROM ({docs})"
_FORGET = """
DELETE FROM {table}
WHERE doc IN (SELECT doc FROM search_docs WHERE article_id IN (SELECT article_id FROM ({docs})))
"""


class SearchError(Exception):
    """Search cannot run; the message says what to do."""


@dataclass(frozen=True, slots=True)
class Hit:
    score: float
    article_id: str
    title: str | None
    source_name: str
    published_at: str | None
    language: str
    snippet: str


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load ``fts``, installing it from the bundled wheel the first time (no network)."""
    try:
        con.execute("LOAD fts")
        return
    except duckdb.Error:
        pass
    from duckdb_extensions import import_extension

    import_extension("fts", con=con)
    con.execute("LOAD fts")


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, views: Mapping[str, pa.Table]) -> Iterator[None]:
    """Arrow tables visible to the block's SQL under these names, and gone after it."""
    try:
        for name, table in views.items():
            con.register(name, table)
        yield
    finally:
        for name in views:
            con.unregister(name)


def index_terms(
    con: duckdb.DuckDBPyConnection,
    docs: str,
    counts: Sequence[Mapping[int, int]],
    params: dict[str, Any] | None = None,
    *,
    replace: bool,
) -> None:
    """Index the articles the SQL query ``docs`` selects (columns article_id, ordinal), with
    the terms ``counts[ordinal]``, inside the caller's transaction. Each gets a new doc number.

    The numbers are fetched first so the rows go in as they are, without a join in SQL
    (the writer alone, 24 batches of real articles: 0.925x the time). An article without
    terms is numbered but not indexed. ``replace`` first removes their old entries; it costs
    a scan of the whole index, so the writer asks for it only when a batch changed stored
    articles.
    """
    if replace:
        for table in ("search_terms", "search_docs"):  # terms first: they find docs by id
            con.execute(_FORGET.format(table=table, docs=docs), params)
    numbered = con.execute(_NUMBER_DOCS.format(docs=docs), params).fetchall()
    terms, indexed = _index_rows(numbered, counts)
    with registered(con, {"_index_terms": terms, "_index_docs": indexed}):
        con.execute("INSERT INTO search_terms SELECT doc, term_key, tf FROM _index_terms")
        con.execute("INSERT INTO search_docs SELECT doc, article_id, terms FROM _index_docs")


def _index_rows(
    numbered: Sequence[tuple[int, str, int]], counts: Sequence[Mapping[int, int]]
) -> tuple[pa.Table, pa.Table]:
    """The rows of ``search_terms`` and ``search_docs`` for ``(doc, article_id, ordinal)``."""
    docs: list[int] = []
    keys: list[int] = []
    tfs: list[int] = []
    indexed: list[int] = []
    article_ids: list[str] = []
    lengths: list[int] = []
    for doc, article_id, ordinal in numbered:
        terms = counts[ordinal]
        if not terms:
            continue
        docs.extend([doc] * len(terms))
        keys.extend(terms.keys())
        tfs.extend(terms.values())
        indexed.append(doc)
        article_ids.append(article_id)
        lengths.append(sum(terms.values()))
    terms_rows = pa.Table.from_arrays(
        [pa.array(docs, pa.int64()), pa.array(keys, pa.uint64()), pa.array(tfs, pa.int32())],
        schema=TERMS_SCHEMA,
    )
    doc_rows = pa.Table.from_arrays(
        [
            pa.array(indexed, pa.int64()),
            pa.array(article_ids, pa.string()),
            pa.array(lengths, pa.int32()),
        ],
        schema=DOCS_SCHEMA,
    )
    return terms_rows, doc_rows


def clear_index(con: duckdb.DuckDBPyConnection) -> None:
    for table in ("search_terms", "search_docs"):
        con.execute(f"DELETE FROM {table}")


def search(con: duckdb.DuckDBPyConnection, query: str, *, limit: int = 10) -> list[Hit]:
    """Rank current articles by BM25 over title and text; best first."""
    empty, stored = con.execute(
        "SELECT (SELECT count(*) FROM search_docs) = 0, (SELECT count(*) FROM articles)"
    ).fetchone() or (True, 0)
    if empty and stored:
        raise SearchError(
            f"the search index holds none of the {stored} articles (indexing was off while"
            " they were loaded); run `presswash index`"
        )
    load_fts(con)
    rows = con.execute(
        """
        SELECT s.score, a.article_id, a.title, a.source_name, a.published_at, a.language, a.text
        FROM search_articles($q) AS s
        JOIN current_articles AS a USING (article_id)
        ORDER BY s.score DESC, a.article_id
        LIMIT $limit
        """,
        {"q": query, "limit": limit},
    ).fetchall()
    return [
        Hit(score, article_id, title, source, published, language, snippet(text, query))
        for score, article_id, title, source, published, language, text in rows
    ]


def snippet(text: str, query: str, width: int = SNIPPET_CHARS) -> str:
    """The stretch of text around the first query word found, on one line."""
    flat = " ".join(text.split())
    words = [w for w in re.findall(r"\w+", query.lower()) if len(w) > 1]
    found = [i for w in words if (i := flat.lower().find(w)) >= 0]
    start = max(0, min(found) - width // 4) if found else 0
    if start:
        start = flat.find(" ", start) + 1 or start
    piece = flat[start : start + width]
    if start + width < len(flat):
        piece = piece.rsplit(" ", 1)[0] + " …"
    return ("… " if start else "") + piece
