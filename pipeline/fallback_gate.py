"""trafilatura's readability/jusText comparison, skipped where it cannot change a long text.

In its default mode trafilatura runs readability on every page after its own extraction
and keeps readability's text only when its own is empty, structurally deficient (no
paragraph text, or more tables than paragraphs), or less than half as long; jusText runs
only on short or unclean results. For a long, well-formed text only "readability found
more than twice as much" is left, which trafilatura itself accepts losing in recall mode:
it skips the comparison there above ``min_extracted_size * 10`` characters. Measured on dev
with the same skip in the default mode: aeb-dev F1 .978 → .979, trafeval-dev .941 → .941,
and trafilatura's extraction at 0.89x the CPU on those 781 pages (three alternating passes).

trafilatura has no option for this, so its ``compare_extraction`` is wrapped once, and the
wrapper skips only inside ``skipping_long_texts`` (presswash's ``Extractor`` sets it): anybody
else calling trafilatura in the same process, e.g. the reference loops of ``presswash bench``,
gets trafilatura's own behaviour.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import trafilatura.core
from lxml.etree import _Element
from lxml.html import HtmlElement
from trafilatura.external import SANITIZED_XPATH
from trafilatura.settings import Extractor as Options

_min_chars: ContextVar[int | None] = ContextVar("presswash_compare_min_chars", default=None)
_compare = trafilatura.core.compare_extraction  # type: ignore[attr-defined]  # not in __all__


@contextmanager
def skipping_long_texts(min_chars: int | None) -> Iterator[None]:
    """Within the block, texts of ``min_chars`` or more skip the comparison (None: never)."""
    token = _min_chars.set(min_chars)
    try:
        yield
    finally:
        _min_chars.reset(token)


def _compare_unless_long(
    cleaned_tree: HtmlElement, raw_tree: HtmlElement, body: _Element, text: str, options: Options
) -> tuple[_Element, str]:
    limit = _min_chars.get()
    if limit is not None and len(text) >= limit and _well_formed(body):
        return body, text
    result: tuple[_Element, str] = _compare(cleaned_tree, raw_tree, body, text, options)
    return result


def _well_formed(body: _Element) -> bool:
    """None of the structural reasons trafilatura has to prefer readability or jusText."""
    paragraphs = len(body.findall(".//p"))
    return (
        bool(body.xpath(".//p//text()"))
        and len(body.findall(".//table")) <= paragraphs
        and not body.xpath(SANITIZED_XPATH)
    )


trafilatura.core.compare_extraction = _compare_unless_long  # type: ignore[attr-defined]
