"""Cheap metadata: the same answers as trafilatura's defaults, without their costly paths."""

from __future__ import annotations

from copy import deepcopy

import pytest
from trafilatura.metadata import extract_metadata

from pipeline import metadata
from pipeline.html_tree import parse_html
from pipeline.metadata import page_metadata
from tests.pipeline.test_extract import PAGE

BODY = "<p>" + "The harbour authority approved a second ferry terminal on Tuesday. " * 6 + "</p>"


def both(html: str) -> tuple[object, object]:
    tree = parse_html(html)
    assert tree is not None
    return extract_metadata(deepcopy(tree)), page_metadata(tree)


@pytest.mark.parametrize(
    "html",
    [
        PAGE,
        f'<html><body><article><h1>Ferry terminal</h1><p class="byline">Jane Doe</p>{BODY}'
        "</article></body></html>",
        f'<html><body><div class="author-name">Ana Pérez</div>{BODY}</body></html>',
        f"<html><head><title>Plain page</title></head><body>{BODY}</body></html>",
    ],
    ids=["meta-tags", "byline-class", "author-class", "no-author"],
)
def test_fields_agree_with_trafilatura_defaults(html: str) -> None:
    theirs, ours = both(html)
    for name in ("title", "author", "date", "sitename", "hostname", "url"):
        assert getattr(ours, name) == getattr(theirs, name), name


def test_a_page_without_author_hints_skips_the_author_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(tree: object) -> None:
        raise AssertionError("searched the body for an author")

    monkeypatch.setattr(metadata, "_body_author", fail)
    tree = parse_html(f"<html><body><div class='story'>{BODY}</div></body></html>")
    assert tree is not None
    assert page_metadata(tree).author is None


def test_an_author_hint_in_the_body_is_searched() -> None:
    tree = parse_html(f'<html><body><span class="writer">Ben Okafor</span>{BODY}</body></html>')
    assert tree is not None
    assert page_metadata(tree).author == "Ben Okafor"


def test_a_date_only_in_free_text_comes_from_the_extensive_search() -> None:
    html = (
        f"<html><body><div>{BODY}<p>Published on March 3, 2021 by the desk.</p></div></body></html>"
    )
    theirs, ours = both(html)
    assert ours.date == theirs.date == "2021-03-03"
