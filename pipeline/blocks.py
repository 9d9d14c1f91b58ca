"""Give a one-line fallback text its lines back.

When trafilatura's own extraction finds too little, its baseline takes the text of the page's
``<article>`` element, spaced at block boundaries and collapsed into one line: a gallery page
becomes "… Fotostrecke Teilen mit: Facebook Google Gefällt mir: Gefällt mir Wird geladen …".
The stripper judges lines, so share bars, datelines and "Related" labels run together with the
story are out of its reach. The same element rendered with a line per block is the same words
in the same order; only the line breaks differ, so the stripper can do its work.
"""

from __future__ import annotations

from copy import copy

from lxml.html import HtmlElement
from trafilatura.baseline import basic_cleaning  # the cleaning baseline applies before reading

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


def split_blob(tree: HtmlElement, text: str) -> str | None:
    """``text`` with a line per block, if it is exactly the words of one of the page's
    outermost ``<article>`` elements run together on one line; otherwise None."""
    if "\n" in text:
        return None
    words = text.split()
    for article in tree.iterfind(".//article"):
        if any(ancestor.tag == "article" for ancestor in article.iterancestors()):
            continue
        lines = _block_lines(article)
        if [word for line in lines for word in line.split()] == words:
            return "\n".join(lines) if len(lines) > 1 else None
    return None


def _block_lines(article: HtmlElement) -> list[str]:
    """The article's text after baseline's cleaning, broken at block boundaries."""
    element = basic_cleaning(copy(article))
    for block in element.iter(*_BLOCKS):
        block.text = f"\n{block.text or ''}"
        block.tail = f"\n{block.tail or ''}"
    return [line for raw in element.text_content().split("\n") if (line := " ".join(raw.split()))]
