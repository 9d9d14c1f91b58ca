"""The records that travel through the pipeline.

They are plain frozen dataclasses so batches pickle cheaply between processes and the
warehouse loader can turn a list of them into one Arrow table.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Kind = Literal["html", "text"]

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
CJK_CHARS_PER_WORD = 2
"""Chinese and Japanese write words without spaces; a word averages under two characters."""


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input as a source delivered it, before extraction."""

    source: str
    """Where it came from: a file path (``path#N`` for the N-th JSONL record) or a URL."""
    content: str
    kind: Kind
    url: str | None = None
    title: str | None = None
    fetched_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Removal:
    """A line the stripper took out, with the rule that fired and why."""

    position: int
    """0-based index of the line in the body before stripping."""
    text: str
    reason: str
    evidence: str


@dataclass(frozen=True, slots=True)
class Failure:
    """A source item or document that did not become an article, and why."""

    source: str
    stage: str
    reason: str
    error_class: str
    message: str
    http_status: int | None = None
    """The HTTP status of the last answer, for failures of fetched URLs."""


@dataclass(frozen=True, slots=True)
class Article:
    """A clean article, ready for the warehouse."""

    article_id: str
    source: str
    url: str | None
    title: str | None
    author: str | None
    published_at: str | None
    site: str | None
    language: str
    language_prob: float
    text: str
    words_before: int
    words_after: int
    content_sha256: str
    removals: tuple[Removal, ...] = field(default=())
    fetched_at: datetime | None = None
    raw_sha256: str | None = None
    """The raw input it was cleaned from (``pipeline.raw``), kept for re-cleaning."""
    cleaner_version: str | None = None
    """Which code, lexicon and settings produced the text (``pipeline.cleaner``)."""
    search_terms: dict[int, int] | None = None
    """Term key -> count for the full-text index (``pipeline.terms.term_counts``), counted in
    the extraction worker so the one writer only inserts them; None: the writer counts."""


def article_id_for(source: str, url: str | None) -> str:
    """Stable id: the canonical URL when known, else the source.

    Keying on the URL makes the same story delivered by two files or feeds one article.
    """
    return hashlib.sha256((url or source).encode("utf-8")).hexdigest()[:20]


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def word_count(text: str) -> int:
    """Words for thresholds and counts: space-separated tokens, plus CJK characters by pairs.

    Splitting on spaces alone counts a whole Chinese paragraph as one word, and every CJK
    article would then fail ``quality.min_words``.
    """
    cjk = len(_CJK.findall(text))
    if not cjk:
        return len(text.split())
    return len(_CJK.sub(" ", text).split()) + -(-cjk // CJK_CHARS_PER_WORD)
