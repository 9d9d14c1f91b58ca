from collections.abc import Callable

import pytest
import trafilatura
import trafilatura.external
from lxml.html import HtmlElement

from pipeline.config import ExtractConfig
from pipeline.extract import Extractor
from pipeline.fallback_gate import skipping_long_texts

SENTENCE = (
    "The harbour authority confirmed on Monday that the northern pier will close for repairs "
    "until the end of the summer season, affecting ferry routes to three islands. "
)


def page(paragraphs: int, *, tables: int = 0) -> str:
    table = "<table><tr><td>Route</td><td>Departures</td></tr><tr><td>A</td><td>9</td></tr></table>"
    body = f"<p>{SENTENCE * 2}</p>" * paragraphs + table * tables
    return f"<html><body><article><h1>Pier closes</h1>{body}</article></body></html>"


@pytest.fixture
def readability_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts trafilatura's readability runs (one per comparison it makes)."""
    runs: list[int] = []
    original: Callable[[HtmlElement], HtmlElement] = trafilatura.external.try_readability

    def counted(tree: HtmlElement) -> HtmlElement:
        runs.append(1)
        return original(tree)

    monkeypatch.setattr(trafilatura.external, "try_readability", counted)
    return runs


def test_long_well_formed_text_skips_the_comparison(readability_runs: list[int]) -> None:
    html = page(12)  # ~4,000 characters
    with skipping_long_texts(2500):
        skipped = trafilatura.extract(html)
    assert readability_runs == []
    compared = trafilatura.extract(html)
    assert readability_runs == [1]
    assert skipped == compared


def test_outside_the_block_trafilatura_compares_as_usual(readability_runs: list[int]) -> None:
    with skipping_long_texts(2500):
        pass
    trafilatura.extract(page(12))
    with skipping_long_texts(None):
        trafilatura.extract(page(12))
    assert readability_runs == [1, 1]


def test_short_text_is_still_compared(readability_runs: list[int]) -> None:
    with skipping_long_texts(2500):
        trafilatura.extract(page(3))  # ~1,000 characters
    assert readability_runs == [1]


def test_table_dominated_text_is_still_compared(readability_runs: list[int]) -> None:
    # More tables than paragraphs is one of trafilatura's reasons to prefer readability.
    with skipping_long_texts(500):
        trafilatura.extract(page(3, tables=4), include_tables=True)
    assert readability_runs == [1]


def test_extractor_skips_by_default_and_compares_when_switched_off(
    readability_runs: list[int],
) -> None:
    html = page(12)
    default = Extractor()(html)
    assert readability_runs == []
    every_page = Extractor(ExtractConfig(fallback_below_chars=None))(html)
    assert readability_runs == [1]
    assert default.text == every_page.text
