"""Bring back the rest of an article that the page splits into chunks.

Some publishers cut the body into several containers of one kind, with an advert, a video
or a sign-up box between them: ``<div class="body-chunk">…</div><div class="ad">…</div>
<div class="body-chunk">…</div>``. trafilatura picks some of the containers and the story
stops half-way, or starts half-way: on a magazine interview set in a dozen ``text``
modules it kept three from the middle. The rule is structural and needs no page-specific
knowledge:

- every extracted paragraph found in the page (a ``<p>`` whose text is an extracted line,
  and the ``<p>`` holding the last extracted line) locates part of the body; walking up from
  it, the first ancestor with a sibling of the same tag and the same (non-empty) class is
  its chunk, and the other siblings of that kind are candidate continuations, before or
  after it. All paragraphs count, not just the last: trafilatura's text can end in a
  comment form or a teaser that is no part of the chunked body,
- a continuation counts only if trafilatura took nothing from it (then it did not look
  there, rather than judging it boilerplate) and it has no ``<h1>`` (a following article
  on an endless-scroll page has its own title),
- of a continuation only prose paragraphs are added: ``<p>`` elements of enough words that
  end like a sentence, not mostly link text, and not inside navigation, an aside, a list,
  a link, a figure or a form; and only if there are at least two of them (one paragraph in
  a container of the body's kind is a box: an author bio, a promotion).

Chunks above the first extracted paragraph are returned apart, to go before the text.
The original tree is only read: trafilatura works on copies of it.
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from lxml.html import HtmlElement

from pipeline.lead import (
    ANCHOR_CHARS,
    ANCHOR_MIN_WORDS,
    EXCLUDED_ANCESTORS,
    collapse,
    unlinked,
)

MIN_WORDS = 12
MIN_PARAGRAPHS = 2
"""A continuation holds a run of body paragraphs; a lone one is a box (author bio, promo)."""
MAX_LEVELS = 4
"""How far above a paragraph a chunk may start (wrapper divs inside a chunk)."""
BODY_SHARE = 0.5
"""The chunks of one kind hold at least this share of the extracted paragraphs' words: then
they are the body. A comment or a cookie notice that trafilatura took a paragraph of is not."""
_SENTENCE_END = (".", "!", "?", "…", '"', "“", "”", "»", "«", ")", ":")


class Continuation(NamedTuple):
    """Prose of the body's other chunks, in page order, split at the extracted text."""

    before: list[str]
    after: list[str]


def find_continuation(tree: HtmlElement, extracted: str) -> Continuation:
    """Paragraphs of other chunks of the article that trafilatura's text lacks."""
    lines = {collapse(line) for line in extracted.splitlines() if line.strip()}
    anchors = _anchors(tree, extracted, lines)
    chunks: list[HtmlElement] = []
    has_kin: dict[HtmlElement, bool] = {}
    words: Counter[tuple[str, str | None] | None] = Counter()
    for anchor in anchors:
        chunk = _chunk(anchor, has_kin)
        words[_kind(chunk)] += len(anchor.text_content().split())
        if chunk is not None and chunk not in chunks:
            chunks.append(chunk)
    total = sum(words.values())
    body = [chunk for chunk in chunks if words[_kind(chunk)] >= BODY_SHARE * total]
    candidates = [kin for chunk in body for kin in _kin(chunk) if kin not in chunks]
    if not candidates:
        return Continuation([], [])
    position = {element: index for index, element in enumerate(tree.iter())}
    start = position[anchors[0]]
    before: list[str] = []
    after: list[str] = []
    for candidate in sorted(set(candidates), key=position.__getitem__):
        found = before if position[candidate] < start else after
        found.extend(_paragraphs(candidate, lines))
    return Continuation(before, after)


def _anchors(tree: HtmlElement, extracted: str, lines: set[str]) -> list[HtmlElement]:
    """The page's ``<p>`` elements that trafilatura's text holds, in page order.

    A paragraph counts when its text is an extracted line of enough words; the last
    extracted line is also looked up by its start, as trafilatura may join inline elements
    with other spacing than the page has.
    """
    last_text = next(
        (
            collapse(line)[:ANCHOR_CHARS]
            for line in reversed(extracted.splitlines())
            if len(line.split()) >= ANCHOR_MIN_WORDS
        ),
        None,
    )
    if last_text is None:
        return []
    anchors: list[HtmlElement] = []
    last = None
    for paragraph in tree.iter("p"):
        text = collapse(paragraph.text_content())
        if len(text.split()) >= ANCHOR_MIN_WORDS and text in lines:
            anchors.append(paragraph)
        if last_text in text:
            last = paragraph  # the last match: the body's end
    if last is not None and last not in anchors:
        anchors.append(last)
    return anchors


def _chunk(anchor: HtmlElement, has_kin: dict[HtmlElement, bool]) -> HtmlElement | None:
    """The first ancestor (up to ``MAX_LEVELS``) of a class that a sibling shares."""
    for ancestor in list(anchor.iterancestors())[:MAX_LEVELS]:
        if ancestor.tag in ("html", "body"):
            return None
        if not ancestor.get("class"):
            continue
        if ancestor not in has_kin:  # many paragraphs share a chunk: look once
            has_kin[ancestor] = next(iter(_kin(ancestor)), None) is not None
        if has_kin[ancestor]:
            return ancestor
    return None


def _kind(chunk: HtmlElement | None) -> tuple[str, str | None] | None:
    return None if chunk is None else (chunk.tag, chunk.get("class"))


def _kin(chunk: HtmlElement) -> list[HtmlElement]:
    """The chunk's siblings of its tag and class."""
    parent = chunk.getparent()
    if parent is None:
        return []
    kind = (chunk.tag, chunk.get("class"))
    return [s for s in parent if s is not chunk and (s.tag, s.get("class")) == kind]


def _paragraphs(chunk: HtmlElement, extracted_lines: set[str]) -> list[str]:
    if next(chunk.iter("h1"), None) is not None:
        return []
    found: list[str] = []
    for paragraph in chunk.iter("p"):
        text = collapse(paragraph.text_content())
        if text in extracted_lines:
            return []  # trafilatura read this chunk and chose what to keep
        if _prose(text) and _placed(paragraph, chunk) and unlinked(paragraph, text):
            found.append(text)
    return found if len(found) >= MIN_PARAGRAPHS else []


def _prose(text: str) -> bool:
    return len(text.split()) >= MIN_WORDS and text.endswith(_SENTENCE_END)


def _placed(paragraph: HtmlElement, chunk: HtmlElement) -> bool:
    for ancestor in paragraph.iterancestors():
        if ancestor is chunk:
            return True
        if ancestor.tag in EXCLUDED_ANCESTORS:
            return False
    return False
