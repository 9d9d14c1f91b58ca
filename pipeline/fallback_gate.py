"""trafilatura's readability/jusText comparison, skipped where it cannot change a long text.

In its default mode trafilatura runs readability on every page after its own extraction
and keeps readability's text only when its own is empty, structurally deficient (no
paragraph text, or more tables than paragraphs), or less than half as long; jusText runs
only on short or unclean results. For a long, well-formed text only "readability found
more than twice as much" is left, which trafilatura itself accepts losing in recall mode:
it skips the comparison there above ``min_extracted_size * 10`` characters. Measured on dev
with the same skip in the default mode: aeb-dev F1 .978 → .979, trafeval-dev .941 → .941,
and trafilatura's extraction at 0.89x the CPU on those 781 pages (three alternating passes).

trafilatura has no option for this, so its ``_extract_and_compare`` (its own extraction, then
the comparison) is replaced once, and the replacement skips only inside ``skipping_long_texts``
(presswash's ``Extractor`` sets it): anybody else calling trafilatura in the same process, e.g.
the reference loops of ``presswash bench``, gets trafilatura's own behaviour. The step is
replaced rather than the comparison alone because trafilatura copies the whole raw tree for
readability before comparing: a skipped comparison skips the copy too (the extraction at
0.977x the CPU on the dev pages, three alternating runs against the gate copying first).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from contextvars import ContextVar
from copy import copy

import trafilatura.core
from lxml.etree import _Element
from lxml.html import HtmlElement
from trafilatura.external import SANITIZED_XPATH, compare_extraction
from trafilatura.main_extractor import extract_content
from trafilatura.settings import Extractor as Options

from pipeline.scoped import scoped

_min_chars: ContextVar[int | None] = ContextVar("presswash_compare_min_chars", default=None)
_extract_and_compare = trafilatura.core._extract_and_compare


def skipping_long_texts(min_chars: int | None) -> AbstractContextManager[None]:
    """Within the block, texts of ``min_chars`` or more skip the comparison (None: never)."""
    return scoped(_min_chars, min_chars)


def _extract_unless_long(
    cleaned_tree: HtmlElement, cleaned_tree_backup: HtmlElement, tree: HtmlElement, options: Options
) -> tuple[_Element, str]:
    """trafilatura's ``_extract_and_compare``, comparing (on a copy of ``tree``, as it does)
    only where the text is short or not well formed."""
    limit = _min_chars.get()
    if limit is None:
        result: tuple[_Element, str] = _extract_and_compare(
            cleaned_tree, cleaned_tree_backup, tree, options
        )
        return result
    body, text = extract_content(cleaned_tree, options)
    if options.fast or (len(text) >= limit and _well_formed(body)):
        return body, text
    compared: tuple[_Element, str] = compare_extraction(
        cleaned_tree_backup, copy(tree), body, text, options
    )
    return compared


def _well_formed(body: _Element) -> bool:
    """None of the structural reasons trafilatura has to prefer readability or jusText."""
    paragraphs = len(body.findall(".//p"))
    return (
        bool(body.xpath(".//p//text()"))
        and len(body.findall(".//table")) <= paragraphs
        and not body.xpath(SANITIZED_XPATH)
    )


trafilatura.core._extract_and_compare = _extract_unless_long
