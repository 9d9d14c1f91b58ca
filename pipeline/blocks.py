"""Give a one-line text its lines back.

Two ways a whole page's text reaches the stripper as a single line:

- when trafilatura's own extraction finds too little, its baseline takes the text of the
  page's ``<article>`` element, spaced at block boundaries and collapsed into one line: a
  gallery page becomes "… Fotostrecke Teilen mit: Facebook Google Gefällt mir: Wird geladen …";
- a page laid out in a table keeps its story in one big cell, and trafilatura renders a table
  row as one line: "| Amnesty. More than 100 protesters killed … Related news … |".

The stripper judges lines, so share bars, datelines and "Related" labels run together with the
story are out of its reach. The element the line came from, rendered with a line per block,
gives the same words in the same order; only the line breaks differ, so the stripper can do
its work.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from copy import copy

from lxml.html import HtmlElement
from trafilatura.baseline import basic_cleaning  # the cleaning baseline applies before reading

from pipeline.lead import collapse

_BLOCKS = (
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "td",
    "th",
    "tr",
    "ul",
)
"""trafilatura baseline's block elements (its ``_BLOCK_ELEMS``): where it puts a space, a line
break goes here."""

_ROW = re.compile(r"^\s*\|.*\|\s*$")
"""A table row as trafilatura renders it: "| a | b |"."""


def split_blob(tree: HtmlElement, text: str) -> str | None:
    """``text`` with a line per block, if it is one line made of the words of the page's
    elements run together: an outermost ``<article>``, or the cells of one table row (a
    layout table's). Otherwise None."""
    if "\n" in text:
        return None
    if _ROW.match(text):
        # A cell not found in the page (trafilatura changed its words) stays one line; a row
        # whose every cell is one block is a data table's and stays a row.
        found = [_split(tree.iter("td", "th"), cell.split()) or [cell] for cell in _cells(text)]
        if all(len(cell) == 1 for cell in found):
            return None
        lines = [line for cell in found for line in cell]
    else:
        lines = _split(_outermost_articles(tree), text.split()) or []
    return "\n".join(lines) if len(lines) > 1 else None


def _cells(row: str) -> list[str]:
    return [cell for cell in (part.strip() for part in row.split("|")) if cell]


def _split(sources: Iterable[HtmlElement], words: list[str]) -> list[str] | None:
    """The first source's block lines that hold exactly ``words``."""
    for element in sources:
        if (lines := _aligned(_block_lines(element), words)) is not None:
            return lines
    return None


def _outermost_articles(tree: HtmlElement) -> Iterator[HtmlElement]:
    for article in tree.iterfind(".//article"):
        if not any(ancestor.tag == "article" for ancestor in article.iterancestors()):
            yield article


def _block_lines(element: HtmlElement) -> list[str]:
    """The element's text after baseline's cleaning, broken at block boundaries."""
    element = basic_cleaning(copy(element))
    for block in element.iter(*_BLOCKS):
        block.text = f"\n{block.text or ''}"
        block.tail = f"\n{block.tail or ''}"
    return [line for raw in element.text_content().split("\n") if (line := collapse(raw))]


def _aligned(lines: list[str], words: list[str]) -> list[str] | None:
    """The lines whose words are, in order, exactly ``words``; a line with words of its own
    is one trafilatura left out (a menu, a form) and is passed over. None if they do not add
    up to the text: then the element is not where it came from."""
    kept: list[str] = []
    at = 0
    for line in lines:
        line_words = line.split()
        if line_words and words[at : at + len(line_words)] == line_words:
            kept.append(line)
            at += len(line_words)
    return kept if at == len(words) and kept else None
