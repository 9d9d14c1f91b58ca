from collections.abc import Callable
from copy import copy
from importlib import import_module

import pytest
from lxml.etree import _Element
from lxml.html import HtmlElement, fromstring

from pipeline import basic_clean
from pipeline.basic_clean import cleaning_by_attributes
from pipeline.extract import Extractor

baseline = import_module("trafilatura.baseline")

STORY = (
    "The harbour board agreed on Monday to repair the northern pier before the summer "
    "season, after divers found the old timber piles badly worn by the winter storms. "
)
BANNER = "We use cookies to improve your experience. Accept all or manage your choices."


def page(banner: str = "") -> HtmlElement:
    tree: HtmlElement = fromstring(
        f'<html><body><div class="story"><p>{STORY}</p></div>{banner}'
        "<aside><p>Most read this week</p></aside><script>var cookieConsent = 1;</script>"
        "</body></html>"
    )
    return tree


def cleaned_text(tree: HtmlElement, *, shortcut: bool) -> str:
    body = copy(tree)
    if shortcut:
        with cleaning_by_attributes():
            baseline.basic_cleaning(body)
    else:
        baseline.basic_cleaning(body)
    return " ".join(body.text_content().split())


@pytest.fixture
def expressions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which of the two cleaning expressions ran, in order."""
    runs: list[str] = []
    full, without = basic_clean._full, basic_clean._without_consent

    def counted(name: str, expression: Callable[[_Element], object]) -> Callable[..., object]:
        def run(element: _Element) -> object:
            runs.append(name)
            return expression(element)

        return run

    monkeypatch.setattr(basic_clean, "_full", counted("full", full))
    monkeypatch.setattr(basic_clean, "_without_consent", counted("without consent", without))
    return runs


def test_the_shortcut_knows_the_installed_trafilaturas_expression() -> None:
    # Fails after a trafilatura upgrade that changed the cleaning expression or its consent
    # regex: read the words from the new regex, then update basic_clean._READ_FROM.
    assert basic_clean.ACTIVE


def test_a_page_without_consent_classes_skips_the_regex(expressions: list[str]) -> None:
    # "cookie" in a script's text is not a class or id: the regex tests attributes only.
    tree = page()
    assert cleaned_text(tree, shortcut=True) == cleaned_text(tree, shortcut=False) == STORY.strip()
    assert expressions == ["without consent", "full"]


@pytest.mark.parametrize(
    "banner",
    [
        f'<div class="Cookie-Banner"><p>{BANNER}</p></div>',
        f'<div id="CONSENT_SDK"><p>{BANNER}</p></div>',
        f'<div class="borlabs-box"><p>{BANNER}</p></div>',
        f'<section class="cmplz-popup"><p>{BANNER}</p></section>',
        f'<div id="onetrust-banner"><p>{BANNER}</p></div>',
        f'<div class="moove_gdpr_box"><p>{BANNER}</p></div>',
        # The long s matches "s" in the regex, but lower-cases to itself, not to "s".
        f'<div class="con\u017fent-banner"><p>{BANNER}</p></div>',
    ],
)
def test_a_consent_banner_is_removed_as_trafilatura_removes_it(
    expressions: list[str], banner: str
) -> None:
    tree = page(banner)
    assert cleaned_text(tree, shortcut=True) == cleaned_text(tree, shortcut=False) == STORY.strip()
    assert expressions == ["full", "full"]


def test_the_extractor_cleans_with_the_shortcut(expressions: list[str]) -> None:
    # A short text on a page with more text around it: trafilatura measures the whole page
    # (html2txt, which cleans it) to decide whether to retry in recall mode.
    nav = "".join(f"<li><a href='/{n}'>Section number {n} of the site</a></li>" for n in range(40))
    html = f"<html><body><ul>{nav}</ul><article><p>{STORY}</p></article></body></html>"
    assert Extractor()(html).text.startswith("The harbour board")
    assert "without consent" in expressions
    assert "full" not in expressions
