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
from collections.abc import Iterator, Mapping

from lxml.etree import _Element, strip_tags
from trafilatura.xml import xmltotxt

BLOCK_TAGS = ("p", "head", "item", "quote", "cell")
LINE_TAGS = frozenset({*BLOCK_TAGS, "graphic", "lb", "list", "row", "table"})
"""Elements that start a new line in trafilatura's text rendering."""
_SPACE = re.compile(r"\s+")
_BULLET = re.compile(r"^\s*[-*\u2022]\s+")
"""trafilatura's text output prefixes list items with "- "; the block text has no marker."""


def block_key(line: str) -> str:
    """The lookup key of a text line: whitespace collapsed, a list marker removed."""
    return _SPACE.sub(" ", _BULLET.sub("", line)).strip()


def link_density(body: _Element) -> dict[str, float]:
    """Text -> share of its characters inside links, for every block and every line-sized
    piece of one (an item holding a linked headline and a summary renders as two lines).
    The first occurrence of a text wins."""
    densities: dict[str, float] = {}
    for block in body.iter(*BLOCK_TAGS):
        _add(densities, [(text, linked) for text, linked, _ in _walk(block, linked=False)])
    pieces: list[tuple[str, bool]] = []
    for text, linked, breaks in _walk(body, linked=False):
        if breaks:
            _add(densities, pieces)
            pieces = []
        if text:
            pieces.append((text, linked))
    _add(densities, pieces)
    return densities


def _walk(element: _Element, *, linked: bool) -> Iterator[tuple[str, bool, bool]]:
    """(text, inside a link, starts a new line) in document order."""
    linked = linked or element.tag == "ref"
    block = element.tag in LINE_TAGS
    yield element.text or "", linked, block
    for child in element:
        yield from _walk(child, linked=linked)
        yield child.tail or "", linked, False
    if block:
        yield "", linked, True


def _add(densities: dict[str, float], pieces: list[tuple[str, bool]]) -> None:
    text = block_key("".join(piece for piece, _ in pieces))
    if not text or text in densities:
        return
    linked = sum(len(block_key(piece)) for piece, is_link in pieces if is_link)
    densities[text] = min(1.0, linked / len(text))


def plain_text(body: _Element) -> str:
    """The body as trafilatura renders it without links (the tree is changed in place)."""
    strip_tags(body, "ref")
    return str(xmltotxt(body, False))


def density_of(line: str, densities: Mapping[str, float]) -> float | None:
    return densities.get(block_key(line))
