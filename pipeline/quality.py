"""Document-level keep/drop decisions on the clean article.

Besides too-short articles, two kinds of page are not articles at all, and each is told by
what the page is made of rather than by keywords alone:

- a listing page (home, section or archive index) is mostly headline links: the words in
  headline-shaped links outnumber the prose (lines of at least ``PROSE_LINE_WORDS`` words, so
  leftover "2 hours ago" items do not count) many times over. Real articles carry
  related-story lists too, so the ratio must be large (the 121 aeb-dev articles peak at 5);
- a login or paywall page is mostly sign-in / subscribe lines: several distinct cues, and the
  lines holding them are a large share of the text, so an article *about* passwords stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.config import QualityConfig
from pipeline.document import word_count
from pipeline.strip import load_lexicon

NOT_ARTICLE = "quality.not_article"
TOO_FEW_WORDS = "quality.too_few_words"
MIN_HEADLINE_LINKS = 8
"""Fewer headline links than this is not a listing, whatever the ratio."""
PROSE_LINE_WORDS = 8
MIN_WALL_CUES = 2
"""Distinct login/paywall cues needed before the share of wall lines is considered."""


@dataclass(frozen=True, slots=True)
class PageSignals:
    """What the quality gate looks at, measured by the earlier steps."""

    text: str
    """The clean article text, one paragraph per line."""
    body: str = ""
    """The extracted body before stripping, one paragraph per line."""
    headline_links: int = 0
    headline_link_words: int = 0

    @property
    def words_after(self) -> int:
        return word_count(self.text)

    @property
    def prose_words(self) -> int:
        counts = (word_count(line) for line in self.text.splitlines())
        return sum(n for n in counts if n >= PROSE_LINE_WORDS)


def quality_problem(page: PageSignals, config: QualityConfig) -> tuple[str, str] | None:
    """Return ``(reason, evidence)`` when the clean article is not worth storing."""
    if problem := _listing(page, config) or _login_wall(page, config):
        return NOT_ARTICLE, problem
    if config.min_words is not None and page.words_after < config.min_words:
        return TOO_FEW_WORDS, f"{page.words_after} words < min_words {config.min_words}"
    return None


def _listing(page: PageSignals, config: QualityConfig) -> str | None:
    limit = config.max_link_ratio
    if limit is None or page.headline_links < MIN_HEADLINE_LINKS:
        return None
    prose = page.prose_words
    ratio = page.headline_link_words / max(prose, 1)
    if ratio <= limit:
        return None
    return (
        f"listing page: {page.headline_links} headline links ({page.headline_link_words} words)"
        f" vs {prose} words of prose, ratio {ratio:.1f} > max_link_ratio {limit:g}"
    )


def _login_wall(page: PageSignals, config: QualityConfig) -> str | None:
    limit = config.max_login_ratio
    if limit is None:
        return None
    lines = [line for line in page.body.splitlines() if line.strip()]
    total = sum(word_count(line) for line in lines)
    cues: set[str] = set()
    wall_words = 0
    for line in lines:
        found = set(_login_cues().findall(line.lower()))
        if found:
            cues |= found
            wall_words += word_count(line)
    ratio = wall_words / max(total, 1)
    if len(cues) < MIN_WALL_CUES or ratio <= limit:
        return None
    shown = ", ".join(f"'{cue}'" for cue in sorted(cues)[:4])
    return (
        f"login wall: {wall_words} of {total} words ({ratio:.2f} > max_login_ratio {limit:g})"
        f" in lines with sign-in/subscribe cues: {shown}"
    )


@lru_cache(maxsize=1)
def _login_cues() -> re.Pattern[str]:
    phrases = sorted(load_lexicon()["login_wall"], key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, phrases)) + r")(?!\w)")
