"""Link density of each text block in trafilatura's XML body, keyed by the block's text.

A related-stories list and a body paragraph can read the same once flattened to text; in the
HTML the list is all links. trafilatura keeps ``<ref>`` elements when asked
(``include_links``), so the extractor reads the share of each paragraph, heading, list item,
quote or table cell that is link text from the body it already built, then drops the
``<ref>`` tags to render plain text: no second parse of the page.

The stripper sees only text lines, so the densities are keyed by the block's text with
whitespace collapsed; a line that matches no block (rare: text joined across blocks) simply
has no structural signal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from lxml.etree import _Element, strip_tags
from trafilatura.xml import xmltotxt

BLOCK_TAGS = ("p", "head", "item", "quote", "cell")
_SPACE = re.compile(r"\s+")
_BULLET = re.compile(r"^\s*[-*\u2022]\s+")
"""trafilatura's text output prefixes list items with "- "; the block text has no marker."""


def block_key(line: str) -> str:
    """The lookup key of a text line: whitespace collapsed, a list marker removed."""
    return _SPACE.sub(" ", _BULLET.sub("", line)).strip()


def link_density(body: _Element) -> dict[str, float]:
    """Block text -> share of its characters inside links (the first block wins on repeats)."""
    densities: dict[str, float] = {}
    for block in body.iter(*BLOCK_TAGS):
        text = block_key("".join(block.itertext()))
        if not text or text in densities:
            continue
        linked = sum(len(block_key("".join(ref.itertext()))) for ref in block.iter("ref"))
        densities[text] = min(1.0, linked / len(text))
    return densities


def plain_text(body: _Element) -> str:
    """The body as trafilatura renders it without links (the tree is changed in place)."""
    strip_tags(body, "ref")
    return str(xmltotxt(body, False))


def density_of(line: str, densities: Mapping[str, float]) -> float | None:
    return densities.get(block_key(line))
