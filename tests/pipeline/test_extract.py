import pytest
from lxml.etree import Element, SubElement
from trafilatura.settings import Document

from pipeline.config import ExtractConfig
from pipeline.extract import ExtractionError, Extractor

PARAGRAPHS = [
    "The harbour authority confirmed on Monday that the northern pier will close for repairs "
    "until the end of the summer season, affecting ferry routes to three islands.",
    "Engineers found corrosion in the steel supports during a routine inspection in March, "
    "and the authority said it would not take any risks with passenger safety.",
    "Ferry operators have agreed to move their departures to the southern terminal, which "
    "will run an extended timetable from next week to cope with the extra traffic.",
]
PAGE = f"""<!doctype html><html lang="en"><head>
<title>Northern pier to close for repairs | Harbour Gazette</title>
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-05-06T08:00:00Z">
<meta property="og:site_name" content="Harbour Gazette">
<link rel="canonical" href="https://gazette.example.test/news/pier-closure">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<article><h1>Northern pier to close for repairs</h1>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
</article>
<footer>© 2024 Harbour Gazette. All rights reserved. Cookie settings.</footer>
</body></html>"""


def test_extracts_body_one_paragraph_per_line_and_metadata() -> None:
    result = Extractor()(PAGE)
    # trafilatura keeps the h1 as the first line; the stripper removes it as a title repeat.
    assert result.text.splitlines() == ["Northern pier to close for repairs", *PARAGRAPHS]
    assert result.title == "Northern pier to close for repairs"
    assert result.author == "Jane Doe"
    assert result.published_at == "2024-05-06"
    assert result.site == "Harbour Gazette"
    assert result.url == "https://gazette.example.test/news/pier-closure"


def test_navigation_and_footer_are_not_body() -> None:
    text = Extractor()(PAGE).text
    assert "Cookie settings" not in text
    assert "Home" not in text


def test_given_url_is_kept_when_page_has_none() -> None:
    page = PAGE.replace(
        '<link rel="canonical" href="https://gazette.example.test/news/pier-closure">', ""
    )
    assert Extractor()(page, url="https://other.test/a").url == "https://other.test/a"


@pytest.mark.parametrize(
    "html",
    [
        "",
        "<html><head><script>var x = 1;</script><style>p{}</style></head><body></body></html>",
        "<<<>>>",
    ],
)
def test_no_main_text_is_extract_empty(html: str) -> None:
    with pytest.raises(ExtractionError) as info:
        Extractor()(html)
    assert info.value.reason == "extract.empty"


def test_options_reach_trafilatura() -> None:
    comment_page = PAGE.replace(
        "</article>",
        '</article><div id="comments" class="comments"><p>Great article, thanks for '
        "writing it, I learned a lot about the pier and the ferries today.</p></div>",
    )
    without = Extractor(ExtractConfig(include_comments=False, favor_precision=False))(comment_page)
    with_comments = Extractor(ExtractConfig(include_comments=True, favor_precision=False))(
        comment_page
    )
    assert "Great article" not in without.text
    assert "Great article" in with_comments.text


def test_link_density_is_measured_and_text_has_no_link_markup() -> None:
    linked = "routine inspection in March"
    page = PAGE.replace(linked, f"<a href='/inspection'>{linked}</a>")
    result = Extractor(ExtractConfig(favor_precision=False))(page)
    assert result.text.splitlines()[1:] == PARAGRAPHS
    assert result.link_density[PARAGRAPHS[1]] == len(linked) / len(PARAGRAPHS[1])
    assert result.link_density[PARAGRAPHS[0]] == 0.0


def test_text_title_and_line_signals_come_out_composed() -> None:
    decomposed = "Cafe\u0301"  # "e" and a combining acute accent
    page = PAGE.replace("harbour authority", f"{decomposed} authority").replace(
        "Northern pier", f"{decomposed} pier"
    )
    result = Extractor(ExtractConfig())(page)
    assert "\u0301" not in result.text and "Caf\u00e9 authority" in result.text
    assert result.title is not None and result.title.startswith("Caf\u00e9 pier")
    composed = PARAGRAPHS[0].replace("harbour authority", "Caf\u00e9 authority")
    assert result.link_density[composed] == 0.0
    assert result.elements[composed] == "p"


def test_link_density_off_leaves_the_mapping_empty() -> None:
    result = Extractor(ExtractConfig(link_density=False))(PAGE)
    assert result.link_density == {}
    assert result.text.splitlines()[1:] == PARAGRAPHS


def _fake_extract(texts: dict[bool, str], calls: list[bool]) -> object:
    """An ``Extractor._extract`` that answers ``texts[favor_recall]`` and records each mode."""

    def extract(self: Extractor, page: object, favor_recall: bool) -> Document:
        calls.append(favor_recall)
        document = Document()
        document.raw_text = texts[favor_recall]
        document.body = Element("body")
        SubElement(document.body, "p").text = texts[favor_recall]
        return document

    return extract


@pytest.mark.parametrize(
    ("default", "recall", "expected", "modes"),
    [
        ("Short note only.", " ".join(["word"] * 150), " ".join(["word"] * 150), [False, True]),
        ("Short note only.", "Less.", "Short note only.", [False, True]),
        (" ".join(["word"] * 120), "unused", " ".join(["word"] * 120), [False]),
    ],
)
def test_a_short_result_is_retried_in_recall_mode_and_the_longer_kept(
    monkeypatch: pytest.MonkeyPatch, default: str, recall: str, expected: str, modes: list[bool]
) -> None:
    calls: list[bool] = []
    monkeypatch.setattr(Extractor, "_extract", _fake_extract({False: default, True: recall}, calls))
    config = ExtractConfig(link_density=False, recover_lead=False, min_extracted_words=100)
    assert Extractor(config)(PAGE).text == expected
    assert calls == modes


def test_the_recall_retry_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bool] = []
    fake = _fake_extract({False: "Short note only.", True: "a b c d e f"}, calls)
    monkeypatch.setattr(Extractor, "_extract", fake)
    config = ExtractConfig(link_density=False, recover_lead=False, min_extracted_words=None)
    assert Extractor(config)(PAGE).text == "Short note only."
    assert calls == [False]


def test_element_kinds_are_read_from_the_same_body() -> None:
    page = PAGE.replace(
        f"<p>{PARAGRAPHS[2]}</p>", f"<h2>Ferries move south</h2><p>{PARAGRAPHS[2]}</p>"
    )
    result = Extractor(ExtractConfig(favor_precision=False))(page)
    assert result.elements["Ferries move south"] == "h2"
    assert result.elements[PARAGRAPHS[0]] == "p"
    assert Extractor(ExtractConfig(link_density=False))(page).elements == {}
