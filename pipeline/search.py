"""Full-text search over article titles and texts with DuckDB's ``fts`` extension, offline.

``INSTALL fts`` downloads from the internet; instead the extension binary comes from the
``duckdb-extension-fts`` wheel (same version as the pinned duckdb), which
``duckdb_extensions.import_extension`` installs into DuckDB's extension directory
(``~/.duckdb/extensions``). After that a plain ``LOAD fts`` works offline, in Python and in the
``duckdb`` CLI of the same version alike.

The index is a snapshot of the ``articles`` table (``fts_main_articles``); DuckDB does not
update it on insert, so it is rebuilt after each run or on demand (``presswash index``).
Hits are joined to ``current_articles``, so only articles from completed runs are returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

INDEX_SCHEMA = "fts_main_articles"
SNIPPET_CHARS = 160


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


def rebuild_index(con: duckdb.DuckDBPyConnection) -> None:
    load_fts(con)
    con.execute("PRAGMA create_fts_index('articles', 'article_id', 'title', 'text', overwrite = 1)")


def has_index(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "SELECT count(*) FROM duckdb_schemas() WHERE schema_name = ?", [INDEX_SCHEMA]
    ).fetchone()
    return bool(row and row[0])


def search(con: duckdb.DuckDBPyConnection, query: str, *, limit: int = 10) -> list[Hit]:
    """Rank current articles by BM25 over title and text; best first."""
    if not has_index(con):
        raise SearchError("the warehouse has no search index yet; run `presswash index`")
    load_fts(con)
    rows = con.execute(
        f"""
        SELECT score, a.article_id, a.title, a.source_name, a.published_at, a.language, a.text
        FROM (
            SELECT article_id, {INDEX_SCHEMA}.match_bm25(article_id, $q) AS score
            FROM articles
        ) AS m
        JOIN current_articles AS a USING (article_id)
        WHERE score IS NOT NULL
        ORDER BY score DESC, a.article_id
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
