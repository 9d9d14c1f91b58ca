"""Full-text search over article titles and texts: presswash's own BM25 index in DuckDB.

The index (tables ``search_terms`` and ``search_docs``, migrations 006 and 007) follows the
writer: each batch indexes the articles it inserts or changes in the same transaction, so a
run's indexing cost is proportional to what it wrote, not to the warehouse, and an article is
in the index the moment its batch commits (``search`` shows the versions of completed runs).
``presswash index`` rebuilds it whole.

Two tokenisers make the same terms. The extraction workers count each article's terms in
Python (:func:`term_counts`), so the one writer only inserts integers; queries, and analysts'
SQL, use the migrations' macros (``search_terms_of``, ``search_keys_of``). Both split words on
what is not a letter or digit, lower-case them as DuckDB does, strip accents the way
utf8proc does, stem with Snowball's porter stemmer (PyStemmer here, the ``fts`` extension's
``stem`` in SQL: the same C library) and key a term by the last 16 hex digits of its MD5.
A test holds them equal over many scripts; only letters newer than this Python's Unicode
tables (rare scripts added in Unicode 15) may split differently.

``stem`` needs DuckDB's ``fts`` extension. ``INSTALL fts`` downloads from the internet;
instead the extension binary comes from the ``duckdb-extension-fts`` wheel (same version as
the pinned duckdb), which ``duckdb_extensions.import_extension`` installs into DuckDB's
extension directory (``~/.duckdb/extensions``). After that a plain ``LOAD fts`` works offline,
in Python and in the ``duckdb`` CLI of the same version alike.
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

import duckdb
import pyarrow as pa
import Stemmer

SNIPPET_CHARS = 160
TERM_CACHE = 50_000
"""Words whose key each process remembers (~6 MB), see ``term_keys``."""

_WORD = re.compile(r"[^\W_]+")
# DuckDB's lower() maps these one to one; Python's gives "i" plus a combining dot, and a
# final sigma at the end of a word.
_AS_DUCKDB_LOWERS = str.maketrans({"\u0130": "i", "\u03a3": "\u03c3"})
_MARKS = frozenset({"Mn", "Mc", "Me"})
_stemmers = threading.local()  # a Stemmer object is not thread-safe
_keys: dict[str, int] = {}

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


def words(text: str) -> list[str]:
    """The words of ``text`` as ``search_words`` splits and lower-cases them."""
    if "\u0130" in text or "\u03a3" in text:  # str.translate would cost 0.4 ms an article
        text = text.replace("\u0130", "i").replace("\u03a3", "\u03c3")
    return _WORD.findall(text.lower())


def term_keys(words: Iterable[str]) -> list[int]:
    """The index keys of lower-cased words, as ``search_key(search_term(word))`` computes them.

    Keys are remembered per process: news vocabulary repeats, and a remembered word costs a
    dict lookup instead of accent stripping, stemming and MD5 (the benchmark pages take 0.45 ms
    an article with all their words remembered, 0.82 with none). Past ``TERM_CACHE`` words the
    older half is forgotten, so the words in use stay. New words are stemmed in one call.
    """
    words = list(words)
    known = {w: key for w in words if (key := _keys.get(w)) is not None}
    new = [w for w in dict.fromkeys(words) if w not in known]
    if new:
        stemmer = getattr(_stemmers, "porter", None)
        if stemmer is None:
            stemmer = _stemmers.porter = Stemmer.Stemmer("porter")
        stems: list[str] = stemmer.stemWords([_without_accents(w) for w in new])
        for word, stem in zip(new, stems, strict=True):
            known[word] = int(hashlib.md5(stem.encode("utf-8")).hexdigest()[16:], 16)
        if len(_keys) + len(new) > TERM_CACHE:
            for word in list(islice(_keys, len(_keys) // 2)):
                _keys.pop(word, None)
        _keys.update((w, known[w]) for w in new)
    return [known[w] for w in words]


def _without_accents(word: str) -> str:
    """``strip_accents``: utf8proc decomposes, drops the marks and composes again."""
    if word.isascii():
        return word
    bare = (c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) not in _MARKS)
    return unicodedata.normalize("NFC", "".join(bare))


def term_counts(title: str | None, text: str) -> dict[int, int]:
    """How often each term key occurs in an article's title and text."""
    counts = Counter(words(f"{title or ''} {text}"))
    keyed: dict[int, int] = {}
    for key, count in zip(term_keys(counts), counts.values(), strict=True):
        keyed[key] = keyed.get(key, 0) + count
    return keyed


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
