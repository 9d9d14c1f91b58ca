"""One driver for every per-document step: read → extract → strip → language → quality.

Steps do no counting and no I/O of their own; this module times them and turns every
problem into a ``Failure`` so a batch always completes. Flows and ``presswash eval`` both
call it, so what is evaluated is exactly what is ingested.
"""

from __future__ import annotations

import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from pipeline.cleaner import cleaner_version
from pipeline.config import Config
from pipeline.document import (
    Article,
    Failure,
    RawDocument,
    article_id_for,
    sha256_text,
    word_count,
)
from pipeline.extract import ExtractionError
from pipeline.extract_pool import ExtractorPool, Processed, make_extractor
from pipeline.language import detect_language
from pipeline.quality import PageSignals, quality_problem
from pipeline.raw import StoredRaw, pack, raw_sha256
from pipeline.sources import SourceItem, read_item
from pipeline.strip import Stripper
from pipeline.terms import term_counts

WARM_UP_HTML = (
    "<html><head><title>Warm-up</title></head><body><article><p>"
    + "The council met on Tuesday evening to discuss the new harbour budget and agreed "
    "to fund repairs to the northern pier before the start of the summer season. "
    * 3
    + "</p></article></body></html>"
)
"""A small page that makes every step load its lazy state (langdetect's profiles, the cue
lexicon) before a clock or a time limit starts. Not dateparser's locales: they load the first
time htmldate's free-text date search meets a string no locale parses, 1.5 CPU-s compiling
~840 patterns, which a run without such a date never needs; that page pays it within its limit."""


@dataclass(slots=True)
class BatchResult:
    articles: list[Article] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    raw: list[StoredRaw] = field(default_factory=list)
    """The compressed raw input of each article, written with it in the same transaction."""
    documents: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall time per stage (read, extract, strip, language, index, pack), summed over the batch; the
    stages that run in an extraction worker are timed there."""


class Processor:
    """Builds each step once from the config and applies them to documents.

    ``workers`` caps the extraction worker processes (default: one per CPU core).
    """

    def __init__(self, config: Config, workers: int | None = None) -> None:
        self.config = config
        self.extract = make_extractor(config.extract, pipeline=config, workers=workers)
        self.strip = Stripper(config.strip)
        self.cleaner_version = cleaner_version(config)
        # One Processor serves both batch threads of a flow: each thread times its own batch.
        self._local = threading.local()

    def close(self) -> None:
        """Stop the extraction workers, if any (the pool starts new ones when used again)."""
        if isinstance(self.extract, ExtractorPool):
            self.extract.close()

    def warm_up(self) -> None:
        self.process(RawDocument("warm-up", WARM_UP_HTML, "html"))

    def process_items(self, items: Iterable[SourceItem]) -> BatchResult:
        """Read and process a batch of local source items (files; URLs are fetched first)."""
        result = BatchResult()
        self._local.seconds = result.seconds
        for item in items:
            self._collect(result, self._timed_read(item))
        return result

    def process_documents(self, docs: Iterable[RawDocument | Failure]) -> BatchResult:
        """Process documents read elsewhere (fetched pages); failures pass straight through."""
        result = BatchResult()
        self._local.seconds = result.seconds
        self._collect(result, docs)
        return result

    def _collect(self, result: BatchResult, docs: Iterable[RawDocument | Failure]) -> None:
        for doc in docs:
            result.documents += 1
            if isinstance(doc, Failure):
                result.failures.append(doc)
                continue
            outcome, raw = self.process_packed(doc)
            if isinstance(outcome, Failure):
                result.failures.append(outcome)
            else:
                result.articles.append(outcome)
                if raw is not None:
                    result.raw.append(raw)

    def process_packed(self, doc: RawDocument) -> tuple[Article | Failure, StoredRaw | None]:
        """``process`` plus the article's compressed raw input, in a worker when there is one."""
        if isinstance(self.extract, ExtractorPool):
            outcome, raw, seconds = self.extract.process(doc)
            spent: dict[str, float] = getattr(self._local, "seconds", {})
            for stage, value in seconds.items():
                spent[stage] = spent.get(stage, 0.0) + value
            return outcome, raw
        outcome = self.process(doc)
        if isinstance(outcome, Failure):
            return outcome, None
        with self._stage("pack"):
            return outcome, pack(doc, outcome.raw_sha256)

    def process_timed(self, doc: RawDocument) -> Processed:
        """``process_packed`` with the stage times of this one document (the worker's entry)."""
        seconds: dict[str, float] = {}
        self._local.seconds = seconds
        outcome, raw = self.process_packed(doc)
        return outcome, raw, seconds

    def process(self, doc: RawDocument) -> Article | Failure:
        # One Unicode form for all stored text (NFC), as the extractor gives for HTML: a word
        # typed with a combining mark then hashes, searches and compares like the same word
        # precomposed. Already-composed text (nearly all) passes a quick check uncopied.
        title = unicodedata.normalize("NFC", doc.title) if doc.title else doc.title
        author, published_at, site, url = None, None, None, doc.url
        body = unicodedata.normalize("NFC", doc.content) if doc.kind != "html" else doc.content
        link_counts = (0, 0)
        densities: Mapping[str, float] = {}
        elements: Mapping[str, str] = {}
        if doc.kind == "html":
            try:
                with self._stage("extract"):
                    extracted = self.extract(doc.content, url=doc.url)
            except ExtractionError as exc:
                return Failure(doc.source, "extract", exc.reason, "ExtractionError", str(exc))
            body, densities = extracted.text, extracted.link_density
            elements = extracted.elements
            title = title or extracted.title
            author, published_at, site = extracted.author, extracted.published_at, extracted.site
            url = url or extracted.url
            link_counts = (extracted.headline_links, extracted.headline_link_words)
        with self._stage("strip"):
            stripped = self.strip(
                body, title=title, link_density=densities, elements=elements, author=author
            )
        text = stripped.text
        words_after = word_count(text)
        page = PageSignals(text, body, *link_counts)
        if problem := quality_problem(page, self.config.quality):
            reason, evidence = problem
            return Failure(doc.source, "quality", reason, "QualityCheck", evidence)
        with self._stage("language"):
            language, probability = detect_language(text, self.config.language)
        terms = None
        if self.config.warehouse.search_index:
            with self._stage("index"):
                terms = term_counts(title, text)
        return Article(
            article_id=article_id_for(doc.source, url),
            source=doc.source,
            url=url,
            title=title,
            author=author,
            published_at=published_at,
            site=site,
            language=language,
            language_prob=probability,
            text=text,
            words_before=word_count(body),
            words_after=words_after,
            content_sha256=sha256_text("\n".join(filter(None, (title, text)))),
            removals=stripped.removals,
            fetched_at=doc.fetched_at,
            raw_sha256=raw_sha256(doc),
            cleaner_version=self.cleaner_version,
            search_terms=terms,
        )

    def _timed_read(self, item: SourceItem) -> Iterator[RawDocument | Failure]:
        with self._stage("read"):
            docs = list(read_item(item, max_bytes=self.config.sources.max_file_bytes))
        return iter(docs)

    @contextmanager
    def _stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            seconds: dict[str, float] = getattr(self._local, "seconds", {})
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - start
