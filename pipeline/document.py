"""The records that travel through the pipeline.

They are plain frozen dataclasses so batches pickle cheaply between processes and the
warehouse loader can turn a list of them into one Arrow table.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Kind = Literal["html", "text"]


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
    raw_sha256: str | None = None
    """The raw input it was cleaned from (``pipeline.raw``), kept for re-cleaning."""
    cleaner_version: str | None = None
    """Which code, lexicon and settings produced the text (``pipeline.cleaner``)."""


def article_id_for(source: str, url: str | None) -> str:
    """Stable id: the canonical URL when known, else the source.

    Keying on the URL makes the same story delivered by two files or feeds one article.
    """
    return hashlib.sha256((url or source).encode("utf-8")).hexdigest()[:20]


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
