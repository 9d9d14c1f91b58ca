import unicodedata

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


def test_lines_trafilatura_left_out_are_passed_over() -> None:
    tree = parse_html(GALLERY)
    assert tree is not None
    without_camera = [line for line in LINES if line != "Camera"]
    assert split_blob(tree, " ".join(without_camera)) == "\n".join(without_camera)


def test_other_text_on_one_line_is_left_alone() -> None:
    tree = parse_html(GALLERY)
    assert tree is not None
    assert split_blob(tree, " ".join([*LINES, "Most read: Ferry strike ends"])) is None  # aside
    assert split_blob(tree, " ".join(reversed(LINES))) is None  # not in the page's order
    assert split_blob(tree, "Harbour photos, taken at dawn") is None  # words of its own
    assert split_blob(tree, "\n".join(LINES)) is None  # already has its lines


def test_a_single_paragraph_stays_one_line() -> None:
    tree = parse_html("<html><body><article><p>One paragraph, no more.</p></article></body></html>")
    assert tree is not None
    assert split_blob(tree, "One paragraph, no more.") is None


def test_only_outermost_articles_are_read() -> None:
    html = (
        "<html><body><article><p>Outer text.</p>"
        "<article><p>Inner one.</p><p>Inner two.</p></article></article></body></html>"
    )
    tree = parse_html(html)
    assert tree is not None
    assert split_blob(tree, "Outer text. Inner one. Inner two.") == (
        "Outer text.\nInner one.\nInner two."
    )


LAYOUT = """<html><body><table><tr>
<td><h1>Harbour reopens</h1><p>The harbour reopened on Monday after repairs.</p>
<form><input name="q"><button>Search</button></form>
<p>Ferries run again from Tuesday.</p><h3>Top stories</h3><p>Storm closes coast road</p></td>
<td><p>Partner news</p></td></tr></table></body></html>"""


def test_a_layout_tables_row_gets_a_line_per_block_of_each_cell() -> None:
    tree = parse_html(LAYOUT)
    assert tree is not None
    row = (
        "| Harbour reopens The harbour reopened on Monday after repairs. Ferries run again from"
        " Tuesday. Top stories Storm closes coast road | Partner news |"
    )
    assert split_blob(tree, row) == "\n".join(
        [
            "Harbour reopens",
            "The harbour reopened on Monday after repairs.",
            "Ferries run again from Tuesday.",
            "Top stories",
            "Storm closes coast road",
            "Partner news",
        ]
    )


def test_a_data_tables_row_of_one_block_cells_stays_a_row() -> None:
    row = "<tr><td>Pier</td><td>closed</td><td>2024</td></tr>"
    tree = parse_html(f"<html><body><table>{row}</table></body></html>")
    assert tree is not None
    assert split_blob(tree, "| Pier | closed | 2024 |") is None
    single = "<html><body><table><tr><td>Pier closed in 2024</td></tr></table></body></html>"
    tree = parse_html(single)
    assert tree is not None
    assert split_blob(tree, "| Pier closed in 2024 |") is None


def test_extraction_falling_back_to_the_article_dump_keeps_its_lines() -> None:
    text = Extractor(ExtractConfig())(GALLERY).text
    assert text.splitlines() == LINES


def test_a_page_written_with_combining_marks_gets_its_lines_back_composed() -> None:
    """The dump is matched against the page's own (decomposed) words, then composed."""
    line = "Cais norte, ao amanhecer, \u00e0 beira-mar."
    page = GALLERY.replace(LINES[3], unicodedata.normalize("NFD", line))
    text = Extractor(ExtractConfig())(page).text
    assert text.splitlines() == [line if kept == LINES[3] else kept for kept in LINES]
