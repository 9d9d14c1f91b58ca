"""Tests for link density and element types read from trafilatura's XML body."""

from __future__ import annotations

from lxml import etree

from pipeline.structure import (
    block_key,
    block_signals,
    density_of,
    heading_level,
    is_heading,
    plain_text,
)

BODY = (
    "<body>"
    "<p>The council met on Monday and <ref target='/a'>approved</ref> the budget.</p>"
    "<list><item><ref target='/b'>Ferry strike ends</ref></item>"
    "<item><ref target='/c'>Pier reopens</ref><head>Repairs took six months</head></item></list>"
    "</body>"
)


def _body() -> etree._Element:
    return etree.fromstring(BODY)


def test_paragraph_with_one_link_is_mostly_prose() -> None:
    densities, _ = block_signals(_body())
    value = densities["The council met on Monday and approved the budget."]
    assert 0.1 < value < 0.3


def test_each_rendered_line_of_an_item_gets_its_own_density() -> None:
    densities, _ = block_signals(_body())
    assert densities["Ferry strike ends"] == 1.0
    assert densities["Pier reopens"] == 1.0
    assert densities["Repairs took six months"] == 0.0


def test_plain_text_drops_links_but_keeps_their_words() -> None:
    text = plain_text(_body())
    assert "approved the budget" in text
    assert "<ref" not in text and "](" not in text
    assert "- Ferry strike ends" in text.splitlines()


def test_lines_are_looked_up_without_list_markers_and_extra_spaces() -> None:
    densities, _ = block_signals(_body())
    assert block_key("  -  Ferry   strike ends ") == "Ferry strike ends"
    assert density_of("- Ferry strike ends", densities) == 1.0
    assert density_of("A line that is in no block", densities) is None


def test_element_kinds_name_headings_with_their_level_and_pieces_by_their_block() -> None:
    body = etree.fromstring(
        "<body><head rend='h2'>Harbour <ref target='/h'>news</ref></head><head>Untitled</head>"
        "<quote>Never again, she said.</quote>" + BODY[6:]
    )
    _, kinds = block_signals(body)
    assert kinds["Harbour news"] == "h2"
    assert kinds["Untitled"] == "h"
    assert kinds["Never again, she said."] == "quote"
    assert kinds["The council met on Monday and approved the budget."] == "p"
    # An item holding a heading renders as two lines: each takes its innermost block.
    assert kinds["Pier reopens"] == "item"
    assert kinds["Repairs took six months"] == "h"
    assert kinds["Ferry strike ends"] == "item"


def test_heading_levels_rank_unknown_lowest() -> None:
    assert [heading_level(k) for k in ("h1", "h4", "h")] == [1, 4, 7]
    assert is_heading("h3") and is_heading("h")
    assert not is_heading("p") and not is_heading(None)
