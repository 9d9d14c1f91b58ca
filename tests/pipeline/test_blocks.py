from pipeline.blocks import split_blob
from pipeline.config import ExtractConfig
from pipeline.extract import Extractor
from pipeline.html_tree import parse_html

GALLERY = """<html><head><title>Harbour photos</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><header><h1>Harbour photos</h1><span>Posted 11 April 2018 by Ana Lima</span></header>
<div class="gallery"><div><span>Location</span></div><div><span>North pier, at dawn.</span></div>
<div><span>Camera</span></div><div><span>An old folding camera with slide film.</span></div>
<div><span>Share this:</span></div><div><a href="https://twitter.com/x">Twitter</a></div>
<div><a href="https://facebook.com/x">Facebook</a></div>
<div><span>Related Posts</span></div><div><a href="/b">Harbour photos, part two</a></div></div>
<aside>Most read: Ferry strike ends</aside>
<script>var gallery = "not text";</script></article></body></html>"""
LINES = [
    "Harbour photos",
    "Posted 11 April 2018 by Ana Lima",
    "Location",
    "North pier, at dawn.",
    "Camera",
    "An old folding camera with slide film.",
    "Share this:",
    "Twitter",
    "Facebook",
    "Related Posts",
    "Harbour photos, part two",
]


def test_a_one_line_dump_of_the_article_gets_a_line_per_block() -> None:
    tree = parse_html(GALLERY)
    assert tree is not None
    assert split_blob(tree, " ".join(LINES)) == "\n".join(LINES)


def test_other_text_on_one_line_is_left_alone() -> None:
    tree = parse_html(GALLERY)
    assert tree is not None
    assert split_blob(tree, " ".join(LINES[:-1])) is None  # not the article's words
    assert split_blob(tree, " ".join([*LINES, "Most read: Ferry strike ends"])) is None
    assert split_blob(tree, "\n".join(LINES)) is None  # already has its lines


def test_a_single_paragraph_stays_one_line() -> None:
    tree = parse_html("<html><body><article><p>One paragraph, no more.</p></article></body></html>")
    assert tree is not None
    assert split_blob(tree, "One paragraph, no more.") is None


def test_only_outermost_articles_are_tried() -> None:
    html = (
        "<html><body><article><p>Outer text.</p>"
        "<article><p>Inner one.</p><p>Inner two.</p></article></article></body></html>"
    )
    tree = parse_html(html)
    assert tree is not None
    assert split_blob(tree, "Inner one. Inner two.") is None
    assert split_blob(tree, "Outer text. Inner one. Inner two.") == (
        "Outer text.\nInner one.\nInner two."
    )


def test_extraction_falling_back_to_the_article_dump_keeps_its_lines() -> None:
    text = Extractor(ExtractConfig())(GALLERY).text
    assert text.splitlines() == LINES
