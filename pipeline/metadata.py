"""Page metadata (title, author, date, site, URL) at a fraction of trafilatura's default cost.

``trafilatura.bare_extraction(with_metadata=True)`` runs ``extract_metadata``, which costs about
as much again as the text extraction (measured on aeb-dev + trafeval-dev: ~9 ms of ~27 ms per
page). Nearly all of that is work presswash throws away or can skip without changing the
answer:

- categories, tags and the licence are not stored (~2.8 ms);
- the author search copies the whole tree and runs three XPaths whose regular expressions call
  back into Python on every element (~5 ms). A page without a single author-like attribute
  cannot match any of them, which one native XPath (``_AUTHOR_HINTS``) tells in a fraction of
  that; pages with one get trafilatura's own search, on the tree itself instead of a copy (it
  runs last, so nothing reads the pruned tree afterwards);
- the date comes from htmldate's fast mode (``extensive_search=False``: markup, JSON-LD, URL
  and timestamp patterns) and only where that finds none from its free-text search through
  dateparser, which trafilatura runs by default.

Everything else is trafilatura's own code in trafilatura's order, so titles, authors and site
names agree with its defaults; ``presswash bench --metadata`` measures the agreement.
"""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass
from datetime import date

from courlan import extract_domain
from htmldate import find_date
from lxml.etree import Element, XPath
from lxml.html import HtmlElement
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_meta_json,
    extract_metainfo,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import Document
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

# What trafilatura's AUTHOR_XPATHS test, reduced to plain substrings: every class/id regex there
# contains one of these (case-sensitively, as re:test is), so a page where none occurs cannot
# match them. Checked in one pass that stops at the first hit (~0.6 ms against ~4 ms for the
# same test as a single XPath union).
_AUTHOR_CLASS = re.compile(
    r"uthor|byl|Byl|BBL|username|channel-name|submitted-by|posted-by|journalist-name|screenname"
    r"|writer|zuozhe|bianji|xiaobian"
)
_AUTHOR_ID = re.compile(r"uthor|zuozhe|bianji|xiaobian")
_REL_ME = XPath("boolean(//rel[. = 'me'])")
AUTHOR_MAX_CHARS = 120
"""trafilatura's length limit for an author found in the page body."""


@dataclass(frozen=True, slots=True)
class PageMetadata:
    title: str | None = None
    author: str | None = None
    date: str | None = None
    """ISO date (YYYY-MM-DD), publication date preferred over modification."""
    sitename: str | None = None
    hostname: str | None = None
    url: str | None = None


def page_metadata(tree: HtmlElement, url: str | None = None) -> PageMetadata:
    """Metadata of a parsed page; the tree is pruned in place (pass a copy to keep it)."""
    found: Document = examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None  # trafilatura's rule: a single word is a handle, not a name
    with suppress(Exception):  # trafilatura guards its JSON-LD parser the same way
        found = extract_meta_json(tree, found)
    if not found.title:
        found.title = extract_title(tree)
    if not found.url:
        found.url = extract_url(tree, url)
    if found.url:
        found.hostname = extract_domain(found.url, fast=True)
    # Fast mode first; the free-text search (dateparser, slow) only where it found nothing.
    found.date = _date(tree, found.url, extensive=False) or _date(tree, found.url, extensive=True)
    if not found.sitename:
        found.sitename = extract_sitename(tree)
    if found.sitename:
        found.sitename = found.sitename.lstrip("@")
        if found.sitename and "." not in found.sitename and not found.sitename[0].isupper():
            found.sitename = found.sitename.title()
    elif found.url and (match := META_URL.match(found.url)):
        found.sitename = match[1]
    if not found.author and _may_name_author(tree):
        found.author = _body_author(tree)
    found.clean_and_trim()
    return PageMetadata(
        title=found.title,
        author=found.author,
        date=found.date,
        sitename=found.sitename,
        hostname=found.hostname,
        url=found.url,
    )


def _date(tree: HtmlElement, url: str | None, *, extensive: bool) -> str | None:
    today = date.today().isoformat()  # trafilatura's max_date
    found: str | None = find_date(
        tree, extensive_search=extensive, original_date=True, max_date=today, url=url
    )
    return found


def _may_name_author(tree: HtmlElement) -> bool:
    """False only when no element carries anything trafilatura's author XPaths look for."""
    for element in tree.iter(Element):
        attrib = element.attrib
        if element.tag == "author":
            return True
        if not attrib:
            continue
        if _AUTHOR_CLASS.search(attrib.get("class", "")) or _AUTHOR_ID.search(attrib.get("id", "")):
            return True
        if (
            "author" in attrib.get("rel", "")
            or "author" in attrib.get("itemprop", "")
            or "Author" in attrib.get("data-testid", "")
            or "Byline" in attrib.get("data-component", "")
        ):
            return True
    return bool(_REL_ME(tree))


def _body_author(tree: HtmlElement) -> str | None:
    """trafilatura's ``extract_author`` without its copy of the tree (this is the last reader)."""
    author: str | None = extract_metainfo(
        prune_unwanted_nodes(tree, AUTHOR_DISCARD_XPATHS), AUTHOR_XPATHS, AUTHOR_MAX_CHARS
    )
    return normalize_authors(None, author) if author else None
