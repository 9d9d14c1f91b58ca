"""HTML to article text and metadata, through trafilatura.

Options come from ``ExtractConfig``. trafilatura's default (recall-leaning) mode without
comments, cleaned by the stripper, measured best on both aeb-dev and trafeval-dev; its
favor_precision mode loses body text the stripper cannot bring back. With ``link_density``
on, links are kept in the XML body so each block's link share can be measured
(``pipeline/structure.py``), and the text is rendered from that body without them.
``deduplicate`` stays off because trafilatura's cache is process-wide and would make output
depend on document order.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import trafilatura
from lxml.html import HtmlElement
from trafilatura.settings import Document, use_config

from pipeline.basic_clean import cleaning_by_attributes
from pipeline.blocks import split_blob
from pipeline.config import ExtractConfig
from pipeline.continuation import Continuation, find_continuation
from pipeline.document import word_count
from pipeline.fallback_gate import skipping_long_texts
from pipeline.html_tree import parse_html
from pipeline.lead import find_lead
from pipeline.metadata import PageMetadata, page_metadata
from pipeline.raw_prune import pruning_by_source
from pipeline.structure import block_signals, plain_text


@dataclass(frozen=True, slots=True)
class Extracted:
    text: str
    """Main text, one paragraph per line."""
    title: str | None
    author: str | None
    published_at: str | None
    site: str | None
    url: str | None
    headline_links: int = 0
    """Links on the page whose text is headline-shaped: what listing pages are made of."""
    headline_link_words: int = 0
    link_density: dict[str, float] = field(default_factory=dict)
    """Block text -> share of it that is link text; empty when not measured. A plain dict:
    results cross a process boundary from the extraction workers (pickle)."""
    elements: dict[str, str] = field(default_factory=dict)
    """Block text -> element kind (``p``, ``h2``, ``item``, ...), measured with the densities."""


HEADLINE_LINK_WORDS = (4, 25)


class ExtractionError(Exception):
    """Raised with a reason code (``extract.empty`` / ``extract.error``)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class Extractor:
    """trafilatura with presswash's options, configured once per process."""

    def __init__(self, config: ExtractConfig = ExtractConfig()) -> None:
        self.options = config
        self._settings = use_config()
        # trafilatura's own timeout uses SIGALRM, which only works in the main thread.
        self._settings.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")

    def _extract(self, page: HtmlElement | str, favor_recall: bool) -> object:
        opts = self.options
        with skipping_long_texts(opts.fallback_below_chars):
            # No url: given one, trafilatura resolves every link's target against it (courlan,
            # 4 % of the extraction), and presswash reads only which text is linked. The URL
            # serves the metadata below.
            return trafilatura.bare_extraction(
                page,
                favor_precision=opts.favor_precision and not favor_recall,
                favor_recall=favor_recall,
                include_comments=opts.include_comments,
                include_tables=opts.include_tables,
                with_metadata=False,
                include_links=opts.link_density,
                deduplicate=False,
                config=self._settings,
                # Not "python": that renders the body as text, which presswash does itself
                # (below) from the same body; "txt" returns the body alone.
                output_format="txt",
            )

    def __call__(self, html: str, *, url: str | None = None) -> Extracted:
        # trafilatura's exact shortcuts (pipeline/raw_prune.py, pipeline/basic_clean.py) hold
        # here only, so other callers in the process get trafilatura as it is.
        with pruning_by_source(html), cleaning_by_attributes():
            return self._extracted(html, url)

    def _extracted(self, html: str, url: str | None) -> Extracted:
        opts = self.options
        try:
            # Parsed once here so the link counts, trafilatura and the metadata share one tree
            # (bare_extraction works on a copy of it).
            tree = parse_html(html)
            links, link_words = _headline_links(tree) if tree is not None else (0, 0)
            page = tree if tree is not None else html
            result = self._extract(page, opts.favor_recall)
            if _words(result) < (opts.min_extracted_words or 0):
                # A near-empty result usually means the wrong block was chosen; recall
                # mode looks wider. Only the longer text counts, so a right short note stays.
                retry = self._extract(page, True)
                result = retry if _words(retry) > _words(result) else result
        except Exception as exc:  # trafilatura and lxml raise many types on broken input
            raise ExtractionError("extract.error", f"{type(exc).__name__}: {exc}") from exc
        densities: dict[str, float] = {}
        kinds: dict[str, str] = {}
        text: str | None = None
        comments: str | None = None
        if isinstance(result, Document) and result.body is not None:
            if opts.link_density:
                densities, kinds = block_signals(result.body)
            text = plain_text(result.body)
            if opts.include_comments and result.commentsbody is not None:
                comments = plain_text(result.commentsbody)
            # Composed only at the end: the lead, continuation and block lookups below find
            # this text in the tree's own (maybe decomposed) text.
            text = _stripped(text)
            if text and tree is not None:
                text = _with_recovered(tree, split_blob(tree, text) or text, opts)
        if opts.include_comments and comments:
            text = f"{text or ''}\n{comments}".strip()
        if not isinstance(result, Document) or not text:
            raise ExtractionError("extract.empty", "no main text found in the HTML")
        meta = PageMetadata()
        try:
            # Last: the author search prunes the tree in place, and the lead reads it above.
            if opts.with_metadata and tree is not None:
                meta = page_metadata(tree, url)
        except Exception as exc:
            raise ExtractionError("extract.error", f"{type(exc).__name__}: {exc}") from exc
        return Extracted(
            text=_composed(text),
            title=_clean(meta.title),
            author=_clean(meta.author),
            published_at=_clean(meta.date),
            site=_clean(meta.sitename) or _clean(meta.hostname),
            url=_clean(meta.url) or url,
            headline_links=links,
            headline_link_words=link_words,
            link_density={_composed(line): share for line, share in densities.items()},
            elements={_composed(line): kind for line, kind in kinds.items()},
        )


def _words(result: object) -> int:
    """Words in trafilatura's own flat text of its result (the rendered text is not made yet)."""
    text = result.raw_text if isinstance(result, Document) else None
    return word_count(text) if isinstance(text, str) else 0


def _with_recovered(tree: HtmlElement, text: str, opts: ExtractConfig) -> str:
    """Put back what trafilatura left out around its text, in page order: the lead paragraph
    (``pipeline/lead.py``), then the body's chunks above and below the ones it took
    (``pipeline/continuation.py``). Both look at trafilatura's own text only."""
    lead = find_lead(tree, text) if opts.recover_lead else None
    more = find_continuation(tree, text) if opts.recover_continuation else Continuation([], [])
    return "\n".join([*([lead] if lead else []), *more.before, text, *more.after])


def _headline_links(tree: HtmlElement) -> tuple[int, int]:
    """Count links of 4-25 words (headlines, not "Home" or "Next") and the words in them."""
    count = words = 0
    for link in tree.iter("a"):
        n = len(link.text_content().split())
        if HEADLINE_LINK_WORDS[0] <= n <= HEADLINE_LINK_WORDS[1]:
            count += 1
            words += n
    return count, words


def _stripped(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _clean(value: object) -> str | None:
    stripped = _stripped(value)
    return _composed(stripped) if stripped else None


def _composed(text: str) -> str:
    """Unicode NFC, as trafilatura's own text output is: a word typed with a combining mark
    then hashes, searches and compares like the same word precomposed. Only the extracted
    text is normalised, not the page (0.4 ms for an average 150k-character page, for 34 of
    781 dev pages that change); composed text passes a quick check uncopied."""
    return unicodedata.normalize("NFC", text)
