"""The native-lookup parse: trafilatura's tree, element for element, without the Python lookup."""

from __future__ import annotations

import gzip

import pytest
from lxml.etree import tostring
from lxml.html import HtmlElement, HtmlElementClassLookup
from trafilatura.settings import Document
from trafilatura.utils import load_html

from pipeline.bench import synthetic_page
from pipeline.config import ExtractConfig
from pipeline.extract import Extractor
from pipeline.html_tree import parse_html
from tests.pipeline.test_extract import PAGE
from tests.shared import SHARED

SHARED_AEB = SHARED / "bench" / "aeb-dev" / "html"

INPUTS = [
    PAGE,
    synthetic_page(7),
    "<!DOCTYPE html>\n<html><head><title>T</title></head><body><p>One</p><p>Two</p></body></html>",
    '<?xml version="1.0" encoding="utf-8"?><html><body><p>Declared encoding</p></body></html>',
    "<html/>\n<body><p>Self-closing root</p></body>",
    "<html><body><p>Control\x0b characters\x00 go</p></body></html>",
    "<p>A lone fragment is not a page</p>",
    "<div><p>No html tag</p><p>but two blocks</p></div>",
    "plain words, no markup at all",
    "",
    "<html><body><form><input name=q><select><option>a</select></form></body></html>",
]


@pytest.mark.parametrize("html", INPUTS)
def test_tree_is_trafilaturas(html: str) -> None:
    theirs, ours = load_html(html), parse_html(html)
    assert (ours is None) == (theirs is None)
    if ours is not None and theirs is not None:
        assert tostring(ours) == tostring(theirs)


def test_lxml_never_asks_python_for_element_classes(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("the Python class lookup ran")

    monkeypatch.setattr(HtmlElementClassLookup, "lookup", refuse)
    tree = parse_html(INPUTS[-1])
    assert tree is not None
    elements = list(tree.iter())
    assert all(type(e) is HtmlElement for e in elements)
    assert "a" in tree.text_content()  # lxml.html's methods are all there


def _pages() -> list[str]:
    pages = [PAGE, *(synthetic_page(i) for i in range(3))]
    if SHARED_AEB.is_dir():
        for path in sorted(SHARED_AEB.glob("*.html.gz"))[:8]:
            pages.append(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
    return pages


def test_extraction_is_the_same_on_either_tree() -> None:
    extractor = Extractor(ExtractConfig())
    for html in _pages():
        theirs, ours = load_html(html), parse_html(html)
        assert theirs is not None and ours is not None
        a = extractor._extract(theirs, False)
        b = extractor._extract(ours, False)
        assert isinstance(a, Document) and isinstance(b, Document)
        assert tostring(a.body) == tostring(b.body)
        assert a.raw_text
