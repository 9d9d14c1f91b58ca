"""Document-level keep/drop decisions on the clean article."""

from __future__ import annotations

from pipeline.config import QualityConfig


def quality_problem(words_after: int, config: QualityConfig) -> tuple[str, str] | None:
    """Return ``(reason, evidence)`` when the clean article is not worth storing."""
    if config.min_words is not None and words_after < config.min_words:
        return "quality.too_few_words", f"{words_after} words < min_words {config.min_words}"
    return None
