"""Search terms of a text, counted in Python the way the warehouse's SQL macros count them.

Two tokenisers make the same terms. The extraction workers count each article's terms in
Python (:func:`term_counts`), so the one writer only inserts integers; queries, and analysts'
SQL, use the migrations' macros (``search_terms_of``, ``search_keys_of``). Both split words on
what is not a letter or digit, lower-case them as DuckDB does, strip accents the way
utf8proc does, stem with Snowball's porter stemmer (PyStemmer here, the ``fts`` extension's
``stem`` in SQL: the same C library) and key a term by the last 16 hex digits of its MD5.
A test holds them equal over many scripts; only letters newer than this Python's Unicode
tables (rare scripts added in Unicode 15) may split differently.

This module imports neither DuckDB nor Arrow: the extraction workers import it, and those
two would add ~55 MB to each worker.
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable
from itertools import islice

import Stemmer

TERM_CACHE = 50_000
"""Words whose key each process remembers (~6 MB), see ``term_keys``."""

_WORD = re.compile(r"[^\W_]+")
_MARKS = frozenset({"Mn", "Mc", "Me"})
_stemmers = threading.local()  # a Stemmer object is not thread-safe
_keys: dict[str, int] = {}


def words(text: str) -> list[str]:
    """The words of ``text`` as ``search_words`` splits and lower-cases them.

    DuckDB lower-cases capital dotted I (U+0130) to i and capital sigma to the medial sigma
    everywhere; Python gives i plus a combining dot, and the final sigma at the end of a word,
    so those two are mapped first (by ``replace``: ``translate`` costs 0.4 ms an article).
    """
    if "\u0130" in text or "\u03a3" in text:
        text = text.replace("\u0130", "i").replace("\u03a3", "\u03c3")
    return _WORD.findall(text.lower())


def term_keys(lowered: Iterable[str]) -> list[int]:
    """The index keys of lower-cased words, as ``search_key(search_term(word))`` computes them.

    Keys are remembered per process: news vocabulary repeats, and a remembered word costs a
    dict lookup instead of accent stripping, stemming and MD5 (the benchmark pages take 0.45 ms
    an article with all their words remembered, 0.82 with none). Past ``TERM_CACHE`` words the
    older half is forgotten, so the words in use stay. New words are stemmed in one call.
    """
    found = list(lowered)
    known = {w: key for w in found if (key := _keys.get(w)) is not None}
    new = [w for w in dict.fromkeys(found) if w not in known]
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
    return [known[w] for w in found]


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
