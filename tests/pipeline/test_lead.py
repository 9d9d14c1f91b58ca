import re
import unicodedata

import pytest
from lxml.html import HtmlElement, fromstring

from pipeline.config import ExtractConfig
from pipeline.extract import Extractor
from pipeline.lead import collapse, find_lead

LEAD = (
    "Die Stadt schließt den Nordsteg ab Montag für Reparaturen. Die Fähren zu den drei Inseln "
    "legen bis zum Herbst am Südterminal ab."
)
BODY = [
    "Bei einer Routineprüfung im März hatten Ingenieure Rost an den Stahlträgern entdeckt, "
    "und die Hafenbehörde will bei der Sicherheit der Fahrgäste kein Risiko eingehen.",
    "Die Reedereien haben zugestimmt, ihre Abfahrten an den Südterminal zu verlegen, der ab "
    "der kommenden Woche einen erweiterten Fahrplan anbietet, um den Verkehr aufzufangen.",
    "Die Arbeiten sollen nach Angaben der Behörde rund vier Monate dauern und werden aus dem "
    "Haushalt für die Instandhaltung der Hafenanlagen bezahlt, den der Rat im Winter beschloss.",
]


def page(lead_html: str, *, sidebar: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in BODY)
    return f"""<html><head><title>Nordsteg wird repariert</title></head><body>
<article><h1>Nordsteg wird repariert</h1>{lead_html}
<div class="article-body">{body}</div></article>
<aside>{sidebar}</aside></body></html>"""


def tree(html: str) -> HtmlElement:
    return fromstring(html)


def body_text() -> str:
    return "\n".join(BODY)


@pytest.mark.parametrize(
    "lead_html",
    [
        f'<div class="teaser-text"><p>{LEAD}</p></div>',
        f'<p class="lead">{LEAD}</p>',
        f'<div class="entry-excerpt">{LEAD}</div>',
        f'<p class="article__chapo">{LEAD}</p>',
        f'<div id="intro">{LEAD}</div>',
    ],
)
def test_a_lead_paragraph_above_the_body_is_found(lead_html: str) -> None:
    assert find_lead(tree(page(lead_html)), body_text()) == LEAD


def test_a_lead_above_a_body_set_in_div_blocks_is_found() -> None:
    html = page(f'<p class="lead">{LEAD}</p>').replace("<p>", "<div>").replace("</p>", "</div>")
    html = html.replace(f'<div class="lead">{LEAD}</div>', f'<p class="lead">{LEAD}</p>')
    assert find_lead(tree(html), body_text()) == LEAD


def test_a_headline_kept_above_the_body_does_not_hide_the_lead() -> None:
    # trafilatura kept the headline, which stands above the lead: the body is located by its
    # first sentence instead.
    headline = "Der Nordsteg wird ab Montag für vier Monate repariert"
    html = page(f'<p class="lead">{LEAD}</p>').replace(
        "<h1>Nordsteg wird repariert</h1>", f"<h1>{headline}</h1>"
    )
    assert find_lead(tree(html), f"{headline}\n{body_text()}") == LEAD


def test_a_lead_box_gives_its_paragraph_without_the_date_and_byline() -> None:
    box = (
        f'<div class="chapo"><div><p>{LEAD}</p></div>'
        '<div class="metas"><span>4.02.2022</span> von <a href="/autor">Bob Fischer</a></div></div>'
    )
    assert find_lead(tree(page(box)), body_text()) == LEAD


def test_an_empty_paragraph_in_a_lead_box_does_not_hide_its_text() -> None:
    box = f'<div class="teaser-text"><p></p><span>{LEAD}</span></div>'
    assert find_lead(tree(page(box)), body_text()) == LEAD


def test_the_body_is_found_when_the_extractor_spaced_its_words_differently() -> None:
    # trafilatura can join two inline elements without the space between them.
    extracted = body_text().replace("Bei einer Routineprüfung", "Bei einerRoutineprüfung")
    assert find_lead(tree(page(f'<p class="lead">{LEAD}</p>')), extracted) == LEAD


def test_a_body_not_in_the_page_has_no_lead() -> None:
    html = page(f'<p class="lead">{LEAD}</p>')
    assert find_lead(tree(html), "Ganz andere Worte stehen in diesem Text.") is None


def test_a_one_sentence_deck_is_not_a_lead() -> None:
    deck = "Die Stadt schließt den Nordsteg ab Montag für Reparaturen an den Stahlträgern."
    assert find_lead(tree(page(f'<p class="lead">{deck}</p>')), body_text()) is None


def test_a_lead_already_extracted_is_not_added_twice() -> None:
    html = page(f'<p class="lead">{LEAD}</p>')
    assert find_lead(tree(html), f"{LEAD}\n{body_text()}") is None


def test_an_unnamed_paragraph_is_not_a_lead() -> None:
    assert find_lead(tree(page(f'<p class="info">{LEAD}</p>')), body_text()) is None


@pytest.mark.parametrize(
    "wrapped",
    [
        f'<nav><p class="teaser">{LEAD}</p></nav>',
        f'<ul><li><p class="teaser">{LEAD}</p></li></ul>',
        f'<p class="lead"><a href="/other">{LEAD}</a></p>',
    ],
)
def test_teasers_in_navigation_lists_or_links_are_not_leads(wrapped: str) -> None:
    assert find_lead(tree(page(wrapped)), body_text()) is None


def test_a_teaser_outside_the_body_container_is_not_a_lead() -> None:
    html = f"""<html><body><div class="teaser">{LEAD}</div>
<article>{"".join(f"<p>{p}</p>" for p in BODY)}</article></body></html>"""
    assert find_lead(tree(html), body_text()) is None


def test_a_teaser_below_the_body_is_not_a_lead() -> None:
    html = page("").replace("</article>", f'<p class="teaser">{LEAD}</p></article>')
    assert find_lead(tree(html), body_text()) is None


def test_the_extractor_puts_the_lead_first_and_can_be_switched_off() -> None:
    html = page(f'<div class="teaser-text"><p>{LEAD}</p></div>')
    assert Extractor(ExtractConfig(max_seconds=None))(html).text.splitlines()[0] == LEAD
    plain = Extractor(ExtractConfig(max_seconds=None, recover_lead=False))(html).text
    assert LEAD not in plain


def test_a_page_written_with_combining_marks_gets_its_lead_back_composed() -> None:
    """The lead is found in the page's own (decomposed) text; the result is composed."""
    html = unicodedata.normalize("NFD", page(f'<div class="teaser-text"><p>{LEAD}</p></div>'))
    assert Extractor(ExtractConfig(max_seconds=None))(html).text.splitlines()[0] == LEAD


def test_collapse_treats_every_unicode_space_as_the_extracted_text_does() -> None:
    spaced = " a\u00a0\u2003b\n\t c\u3000d\u2028e\x1c "
    assert collapse(spaced) == re.sub(r"\s+", " ", spaced).strip() == "a b c d e"
