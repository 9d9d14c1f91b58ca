"""trafilatura's two whole-page prunes, skipped on pages whose HTML cannot match them.

Before it extracts anything, trafilatura prunes the raw tree of infinite-scroll containers
(``RAW_TREE_PRUNE_XPATH``) and, with comments off, of comment sections
(``REMOVE_COMMENTS_AND_LISTS_XPATH``). Each walks every element of the page: together 2.9 ms
of a dev page's ~29 ms extraction, and they match on 5 and 303 of the 781 dev pages. Every
test in those expressions needs a class or id containing one of a few case-sensitive tokens
("infinite", "omment", ...). Attribute values are text of the page's HTML, so where the
HTML contains none of a prune's tokens the prune cannot remove anything, and substring
searches of the source say so (0.27 ms a page for both): for 637 and 214 of the 781 pages.
Measured: extraction at 0.966x the CPU, identical results on every dev page. (The one way to
hide a token from the search is to spell it with a character reference, ``c&#111;mments``:
no page of either benchmark does, nor any publishing system we know of.)

The shortcut holds only inside ``pruning_by_source`` (presswash's ``Extractor`` sets it),
and only for the expressions its tokens were read from: at import the installed
trafilatura's expressions are compared with those, and on any difference trafilatura prunes
every page as before (``ACTIVE`` is then False, which a test reports).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import trafilatura.core
from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.xpaths import RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH

_TOKENS: dict[int, tuple[str, ...]] = {
    # 'mvp-post-add-(?:box|wrap)|infinite-?scroll' and contains(@class, 'elementor-share-buttons')
    id(RAW_TREE_PRUNE_XPATH): ("infinite", "mvp-post-add-", "elementor-share-buttons"),
    # '^(?:[Cc]omment(?!ary)|comol|disqus_thread|dsq-comments)' on ids, and on classes
    # '^[Cc]omment(?!ary)|(?:article|post)-comments'
    id(REMOVE_COMMENTS_AND_LISTS_XPATH): ("omment", "comol", "disqus_thread"),
}
_READ_FROM = "d48b49462993f40fc32641d8a79c359551390cea16fa9126d1df76e3f40cae31"
"""SHA-256 of the expressions the tokens were read from (``expressions_digest``)."""


def expressions_digest() -> str:
    """The installed trafilatura's two prune expressions, whitespace-normalised and hashed."""
    expressions = (*RAW_TREE_PRUNE_XPATH, *REMOVE_COMMENTS_AND_LISTS_XPATH)
    paths = (expression.path for expression in expressions)
    return hashlib.sha256("\n".join(" ".join(path.split()) for path in paths).encode()).hexdigest()


ACTIVE = expressions_digest() == _READ_FROM

_source: ContextVar[str | None] = ContextVar("presswash_page_source", default=None)
_prune = prune_unwanted_nodes


@contextmanager
def pruning_by_source(html: str) -> Iterator[None]:
    """Within the block, trafilatura's raw-tree prunes of a tree parsed from ``html`` look
    at ``html`` first."""
    token = _source.set(html)
    try:
        yield
    finally:
        _source.reset(token)


def _prune_if_possible(
    tree: HtmlElement, nodelist: list[XPath], with_backup: bool = False
) -> HtmlElement:
    source = _source.get()
    if source is not None:
        tokens = _TOKENS.get(id(nodelist))
        if tokens is not None and not any(token in source for token in tokens):
            return tree
    pruned: HtmlElement = _prune(tree, nodelist, with_backup)
    return pruned


if ACTIVE:
    trafilatura.core.prune_unwanted_nodes = _prune_if_possible  # type: ignore[attr-defined]
