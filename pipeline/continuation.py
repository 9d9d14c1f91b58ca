"""Bring back the rest of an article that the page splits into chunks.

Some publishers cut the body into several containers of one kind, with an advert or a
sign-up box between them: ``<div class="body-chunk">…</div><div class="ad">…</div>
<div class="body-chunk">…</div>``. trafilatura picks one container and the story stops
half-way. The rule is structural and needs no page-specific knowledge:

- the last extracted paragraph locates the body in the page; walking up from it, the first
  ancestor with a later sibling of the same tag and the same (non-empty) class is the chunk,
  and those siblings are its continuations,
- a continuation counts only if trafilatura took nothing from it (then it did not look
  there, rather than judging it boilerplate) and it has no ``<h1>`` (a following article
  on an endless-scroll page has its own title),
- of a continuation only prose paragraphs are added: ``<p>`` elements of enough words that
  end like a sentence, not mostly link text, and not inside navigation, an aside, a list,
  a link, a figure or a form; and only if there are at least two of them (one paragraph in
  a container of the body's kind is a box: an author bio, a promotion).

The original tree is only read: trafilatura works on copies of it.
"""

from __future__ import annotations

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
"""How far above the last paragraph a chunk may start (wrapper divs inside a chunk)."""
_SENTENCE_END = (".", "!", "?", "…", '"', "“", "”", "»", "«", ")", ":")


def find_continuation(tree: HtmlElement, extracted: str) -> list[str]:
    """Paragraphs of later chunks of the article that trafilatura's text lacks, in order."""
    anchor_text = next(
        (
            collapse(line)[:ANCHOR_CHARS]
            for line in reversed(extracted.splitlines())
            if len(line.split()) >= ANCHOR_MIN_WORDS
        ),
        None,
    )
    if anchor_text is None:
        return []
    anchor = None
    for paragraph in tree.iter("p"):
        if anchor_text in collapse(paragraph.text_content()):
            anchor = paragraph  # the last match: the body's end
    if anchor is None:
        return []
    lines = {collapse(line) for line in extracted.splitlines() if line.strip()}
    for chunk in list(anchor.iterancestors())[:MAX_LEVELS]:
        if chunk.tag in ("html", "body"):
            break
        kind = (chunk.tag, chunk.get("class"))
        if not kind[1]:
            continue
        siblings = [s for s in chunk.itersiblings() if (s.tag, s.get("class")) == kind]
        if siblings:
            return [text for sibling in siblings for text in _paragraphs(sibling, lines)]
    return []


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
