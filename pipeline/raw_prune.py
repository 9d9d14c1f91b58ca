"""trafilatura's two whole-page prunes, skipped on pages whose HTML cannot match them.

Before it extracts anything, trafilatura prunes the raw tree of infinite-scroll containers
(``RAW_TREE_PRUNE_XPATH``) and, with comments off, of comment sections
(``REMOVE_COMMENTS_AND_LISTS_XPATH``). Each walks every element of the page: together 2.9 ms
of a dev page's ~29 ms extraction, and they match on 5 and 303 of the 781 dev pages. Every
test in those expressions needs a class or id that matches one of a few regular expressions,
each containing a case-sensitive token ("infinite", "omment", ...). So a prune runs only
where both of two checks say it may match:
- the HTML source contains one of its tokens (attribute values are text of the page's HTML):
  substring searches, 0.27 ms a page for both prunes, false for 637 and 214 of the 781 pages;
- a class or id of the tree matches one of its regular expressions, searched on all of them
  at once (~0.3 ms a page for each prune): the tokens also occur in scripts, links and text,
  and of the 144 and 567 pages that pass the first check, 13 and 334 pass this one.
Measured: extraction at 0.966x the CPU with the first check alone; the second then took the
prunes and their checks from 1.23 to 0.96 s on the 781 pages (extraction at 0.991x, seven
alternating runs). Results are identical on every dev page. (The one way to hide a token
from the source search is to spell it with a character reference, ``c&#111;mments``: no
page of either benchmark does, nor any publishing system we know of.)

The shortcut holds only inside ``pruning_by_source`` (presswash's ``Extractor`` sets it),
and only for the expressions its tokens and regular expressions were read from: at import
the installed trafilatura's expressions are compared with those, and on any difference
trafilatura prunes every page as before (``ACTIVE`` is then False, which a test reports).
"""

from __future__ import annotations

import hashlib
import re
from contextlib import AbstractContextManager
from contextvars import ContextVar
from dataclasses import dataclass

import trafilatura.core
from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.xpaths import RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH

from pipeline.scoped import scoped


@dataclass(frozen=True, slots=True)
class _Needs:
    """What an element must carry for a prune to remove it."""

    tokens: tuple[str, ...]
    """One of these occurs in every class or id value the prune's expressions test for."""
    ids: re.Pattern[str]
    classes: re.Pattern[str]
    """Searched on all the tree's ids (classes) joined by newlines: a match anywhere means
    some element may match. The expressions test a whole value with ``re:test`` (a search),
    so ``^`` is a value's start, which a newline-joined search with MULTILINE also finds."""


_NEEDS: dict[int, _Needs] = {
    # re:test(@id|@class, 'mvp-post-add-(?:box|wrap)|infinite-?scroll'), and
    # contains(@class, 'elementor-share-buttons')
    id(RAW_TREE_PRUNE_XPATH): _Needs(
        tokens=("infinite", "mvp-post-add-", "elementor-share-buttons"),
        ids=re.compile(r"mvp-post-add-(?:box|wrap)|infinite-?scroll"),
        classes=re.compile(r"mvp-post-add-(?:box|wrap)|infinite-?scroll|elementor-share-buttons"),
    ),
    # re:test(@id, '^(?:[Cc]omment(?!ary)|comol|disqus_thread|dsq-comments)') and
    # re:test(@class, '^[Cc]omment(?!ary)|(?:article|post)-comments')
    id(REMOVE_COMMENTS_AND_LISTS_XPATH): _Needs(
        tokens=("omment", "comol", "disqus_thread"),
        ids=re.compile(r"^(?:[Cc]omment(?!ary)|comol|disqus_thread|dsq-comments)", re.M),
        classes=re.compile(r"^[Cc]omment(?!ary)|(?:article|post)-comments", re.M),
    ),
}
_READ_FROM = "d48b49462993f40fc32641d8a79c359551390cea16fa9126d1df76e3f40cae31"
"""SHA-256 of the expressions the tokens were read from (``expressions_digest``)."""


def expressions_digest() -> str:
    """The installed trafilatura's two prune expressions, whitespace-normalised and hashed."""
    expressions = (*RAW_TREE_PRUNE_XPATH, *REMOVE_COMMENTS_AND_LISTS_XPATH)
    paths = (expression.path for expression in expressions)
    return hashlib.sha256("\n".join(" ".join(path.split()) for path in paths).encode()).hexdigest()


ACTIVE = expressions_digest() == _READ_FROM

_IDS = XPath(".//*/@id", smart_strings=False)
_CLASSES = XPath(".//*/@class", smart_strings=False)
_source: ContextVar[str | None] = ContextVar("presswash_page_source", default=None)
_prune = prune_unwanted_nodes


def pruning_by_source(html: str) -> AbstractContextManager[None]:
    """Within the block, trafilatura's raw-tree prunes of a tree parsed from ``html`` look
    at ``html`` first."""
    return scoped(_source, html)


def _prune_if_possible(
    tree: HtmlElement, nodelist: list[XPath], with_backup: bool = False
) -> HtmlElement:
    source = _source.get()
    needs = _NEEDS.get(id(nodelist))
    if source is not None and needs is not None and not _may_match(tree, source, needs):
        return tree
    pruned: HtmlElement = _prune(tree, nodelist, with_backup)
    return pruned


def _may_match(tree: HtmlElement, source: str, needs: _Needs) -> bool:
    if not any(token in source for token in needs.tokens):
        return False
    return bool(
        needs.ids.search("\n".join(_IDS(tree))) or needs.classes.search("\n".join(_CLASSES(tree)))
    )


if ACTIVE:
    trafilatura.core.prune_unwanted_nodes = _prune_if_possible  # type: ignore[attr-defined]
