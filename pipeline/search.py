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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

SNIPPET_CHARS = 160
TERMS_SCHEMA = pa.schema([("ordinal", pa.int64()), ("term_key", pa.uint64()), ("tf", pa.int32())])

_NEW_DOCS = """
CREATE OR REPLACE TEMP TABLE _new_docs AS
SELECT nextval('search_doc_ids') AS doc, article_id, ordinal FROM ({docs})
"""
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


def terms_table(counts: Sequence[Mapping[int, int]]) -> pa.Table:
    """The rows ``index_terms`` reads as ``_batch_terms``: an article's ordinal is its place
    in ``counts``."""
    ordinals: list[int] = []
    keys: list[int] = []
    tfs: list[int] = []
    for ordinal, terms in enumerate(counts):
        ordinals.extend([ordinal] * len(terms))
        keys.extend(terms.keys())
        tfs.extend(terms.values())
    return pa.Table.from_arrays(
        [pa.array(ordinals, pa.int64()), pa.array(keys, pa.uint64()), pa.array(tfs, pa.int32())],
        schema=TERMS_SCHEMA,
    )


def index_terms(
    con: duckdb.DuckDBPyConnection,
    docs: str,
    params: dict[str, Any] | None = None,
    *,
    replace: bool,
) -> None:
    """Index the articles the SQL query ``docs`` selects (columns article_id, ordinal), with
    their terms from the registered table ``_batch_terms`` (``terms_table``), inside the
    caller's transaction. Each gets a new doc number.

    ``replace`` first removes their old entries; it costs a scan of the whole index, so the
    writer asks for it only when a batch changed stored articles.
    """
    if replace:
        for table in ("search_terms", "search_docs"):  # terms first: they find docs by id
            con.execute(_FORGET.format(table=table, docs=docs), params)
    con.execute(_NEW_DOCS.format(docs=docs), params)
    con.execute(
        "INSERT INTO search_terms SELECT d.doc, t.term_key, t.tf"
        " FROM _batch_terms AS t JOIN _new_docs AS d USING (ordinal)"
    )
    con.execute(
        "INSERT INTO search_docs SELECT d.doc, d.article_id, sum(t.tf)"
        " FROM _batch_terms AS t JOIN _new_docs AS d USING (ordinal) GROUP BY ALL"
    )
    con.execute("DROP TABLE _new_docs")


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
