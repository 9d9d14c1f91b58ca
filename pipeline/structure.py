"""Link density and element type of each text block in trafilatura's XML body, keyed by text.

A related-stories list and a body paragraph can read the same once flattened to text; in the
HTML the list is all links. trafilatura keeps ``<ref>`` elements when asked
(``include_links``), so the extractor reads the share of each paragraph, heading, list item,
quote or table cell that is link text from the body it already built, then drops the
``<ref>`` tags to render plain text: no second parse of the page.

The element type (paragraph, heading with its level, list item, quote, table cell) is read
from the same body: a standfirst is a heading above the first paragraph, and a section
heading whose section turned out to be boilerplate has nothing left to head; the text alone
cannot tell either from a short sentence.

The stripper sees only text lines, so densities and types are keyed by the block's text with
whitespace collapsed; a line that matches no block (rare: text joined across blocks) simply
has no structural signal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TypeVar

from lxml.etree import _Element, strip_tags
from trafilatura.xml import xmltotxt

BLOCK_TAGS = ("p", "head", "item", "quote", "cell")
LINE_TAGS = frozenset({*BLOCK_TAGS, "graphic", "lb", "list", "row", "table"})
"""Elements that start a new line in trafilatura's text rendering."""
HEADING = "h"
"""Kind prefix of headings: ``h2`` for ``<head rend="h2">``, ``h`` when the level is unknown."""
_HEADING_LEVEL = re.compile(r"h[1-6]")
_BULLET = re.compile(r"^\s*[-*\u2022]\s+")
"""trafilatura's text output prefixes list items with "- "; the block text has no marker."""

_V = TypeVar("_V")
_Piece = tuple[str, bool, bool, _Element | None]
"""(text, inside a link, starts a new line, innermost block element) in document order."""


def block_key(line: str) -> str:
    """The lookup key of a text line: whitespace collapsed, a list marker removed."""
    return " ".join(_BULLET.sub("", line).split())  # split() breaks on what regex \s matches


def block_signals(body: _Element) -> tuple[dict[str, float], dict[str, str]]:
    """Text -> share of its characters inside links, and text -> the kind of element it
    renders from, for every block and every line-sized piece of one (an item holding a
    linked headline and a summary renders as two lines), in one walk over the body.

    Kinds are ``p``, ``h1``..``h6`` (``h`` without a level), ``item``, ``quote`` or ``cell``;
    a line-sized piece takes the kind of the innermost block its first text belongs to. The
    first occurrence of a text wins.
    """
    densities: dict[str, float] = {}
    kinds: dict[str, str] = {}
    for pieces in _blocks_and_lines(body):
        text = block_key("".join(text for text, _, _, _ in pieces))
        if not text or text in densities:
            continue
        linked = sum(len(block_key(text)) for text, is_link, _, _ in pieces if is_link)
        densities[text] = min(1.0, linked / len(text))
        block = next((block for text, _, _, block in pieces if text.strip()), None)
        if block is not None:
            kinds[text] = _kind(block)
    return densities, kinds


def _kind(block: _Element) -> str:
    if block.tag == "head":
        level = str(block.get("rend") or "")
        return level if _HEADING_LEVEL.fullmatch(level) else HEADING
    return str(block.tag)


def _blocks_and_lines(body: _Element) -> Iterator[list[_Piece]]:
    """The pieces of every block element, then of every rendered line, in document order."""
    for block in body.iter(*BLOCK_TAGS):
        yield list(_walk(block, linked=False, block=block))
    pieces: list[_Piece] = []
    for piece in _walk(body, linked=False, block=None):
        if piece[2]:
            yield pieces
            pieces = []
        if piece[0]:
            pieces.append(piece)
    yield pieces


def _walk(element: _Element, *, linked: bool, block: _Element | None) -> Iterator[_Piece]:
    linked = linked or element.tag == "ref"
    block = element if element.tag in BLOCK_TAGS else block
    breaks = element.tag in LINE_TAGS
    yield element.text or "", linked, breaks, block
    for child in element:
        yield from _walk(child, linked=linked, block=block)
        yield child.tail or "", linked, False, block
    if breaks:
        yield "", linked, True, block


def plain_text(body: _Element) -> str:
    """The body as trafilatura renders it without links (the tree is changed in place)."""
    strip_tags(body, "ref")
    return str(xmltotxt(body, False))


def density_of(line: str, densities: Mapping[str, float]) -> float | None:
    return _lookup(line, densities)


def kind_of(line: str, kinds: Mapping[str, str]) -> str | None:
    return _lookup(line, kinds)


def _lookup(line: str, signals: Mapping[str, _V]) -> _V | None:
    """Most lines are their own key already; only the others pay for normalising."""
    found = signals.get(line)
    return found if found is not None else signals.get(block_key(line))


def is_heading(kind: str | None) -> bool:
    return kind is not None and kind.startswith(HEADING)


def heading_level(kind: str) -> int:
    """1 for ``h1`` (the highest rank) .. 6; an unknown level ranks below all of them."""
    return int(kind[1:]) if kind[1:].isdigit() else 7
