from pathlib import Path

from pipeline.config import Config, QualityConfig
from pipeline.document import Article, Failure, RawDocument, article_id_for
from pipeline.process import Processor
from pipeline.sources import SourceItem

BODY = [
    "The museum will reopen its east wing in October after three years of restoration work, "
    "the director told reporters on Wednesday.",
    "READ MORE: Record crowds for summer exhibition",
    "Conservators cleaned more than two hundred paintings and rebuilt the glass roof, "
    "which had leaked since the storm of 2019.",
    "Entry to the new galleries will be free for residents during the first month.",
]
PAGE = (
    "<html><head><title>East wing reopens</title>"
    '<meta name="author" content="Ana Lima"></head><body><article><h1>East wing reopens</h1>'
    + "".join(f"<p>{line}</p>" for line in BODY)
    + "</article></body></html>"
)


def test_text_document_becomes_clean_article_with_reasons() -> None:
    doc = RawDocument(source="s.txt", content="\n".join(BODY), kind="text", title="Museum")
    article = Processor(Config()).process(doc)
    assert isinstance(article, Article)
    assert article.text.splitlines() == [BODY[0], BODY[2], BODY[3]]
    assert [(r.position, r.reason) for r in article.removals] == [(1, "strip.read_more")]
    assert article.language == "en"
    assert article.words_before == len("\n".join(BODY).split())
    assert article.words_after == len(article.text.split())
    assert article.article_id == article_id_for("s.txt", None)


def test_html_document_gets_metadata_and_title_line_removed() -> None:
    doc = RawDocument(source="p.html", content=PAGE, kind="html", url="https://m.example.test/a")
    article = Processor(Config()).process(doc)
    assert isinstance(article, Article)
    assert article.title == "East wing reopens"
    assert article.author == "Ana Lima"
    assert article.url == "https://m.example.test/a"
    assert article.article_id == article_id_for("p.html", "https://m.example.test/a")
    assert "East wing reopens" not in article.text.splitlines()
    assert "READ MORE" not in article.text


def test_content_hash_changes_with_text_or_title() -> None:
    processor = Processor(Config())
    docs = [
        RawDocument(source="s", content="\n".join(BODY), kind="text", title="A"),
        RawDocument(source="s", content="\n".join(BODY), kind="text", title="B"),
        RawDocument(source="s", content="\n".join(BODY[:3]), kind="text", title="A"),
    ]
    hashes = {getattr(processor.process(d), "content_sha256", None) for d in docs}
    assert len(hashes) == 3


def test_decomposed_letters_are_stored_composed_so_equal_words_hash_alike() -> None:
    decomposed = [line.replace("museum", "me\u0301moire") for line in BODY]  # e + combining acute
    composed = [line.replace("museum", "m\u00e9moire") for line in BODY]
    page = PAGE.replace("East wing", "Cafe\u0301 wing").replace("<p>", "<p>Cafe\u0301. ")
    processor = Processor(Config())
    as_text = [
        processor.process(RawDocument("s", "\n".join(lines), "text", title="Cafe\u0301"))
        for lines in (decomposed, composed)
    ]
    as_html = processor.process(RawDocument("p.html", page, "html"))
    assert isinstance(as_text[0], Article) and isinstance(as_text[1], Article)
    assert isinstance(as_html, Article)
    assert as_text[0].text == as_text[1].text and "m\u00e9moire" in as_text[0].text
    assert as_text[0].title == "Caf\u00e9"
    assert as_text[0].content_sha256 == as_text[1].content_sha256
    assert as_html.title == "Caf\u00e9 wing reopens"
    assert "Caf\u00e9. " in as_html.text and "\u0301" not in as_html.text


def test_too_short_article_is_a_quality_failure() -> None:
    doc = RawDocument(source="s", content="Only five words are here.", kind="text")
    failure = Processor(Config()).process(doc)
    assert isinstance(failure, Failure)
    assert (failure.stage, failure.reason) == ("quality", "quality.too_few_words")
    assert "5 words" in failure.message
    relaxed = Config(quality=QualityConfig(min_words=None))
    assert isinstance(Processor(relaxed).process(doc), Article)


def test_html_without_text_is_an_extract_failure() -> None:
    doc = RawDocument(source="s.html", content="<html><body></body></html>", kind="html")
    failure = Processor(Config()).process(doc)
    assert isinstance(failure, Failure)
    assert failure.reason == "extract.empty"


def test_process_items_reads_times_and_sorts_outcomes(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Museum Reopens\n" + "\n".join(BODY))
    (tmp_path / "b.txt").write_text("")
    items = [SourceItem(str(tmp_path / n)) for n in ("a.txt", "b.txt", "missing.txt")]
    result = Processor(Config()).process_items(items)
    assert result.documents == 3
    assert [a.title for a in result.articles] == ["Museum Reopens"]
    assert [f.reason for f in result.failures] == ["read.empty", "read.missing"]
    assert {"read", "strip", "language"} <= set(result.seconds)


def test_two_threads_sharing_a_processor_time_only_their_own_batch(tmp_path: Path) -> None:
    import threading

    (tmp_path / "a.txt").write_text("Museum Reopens\n" + "\n".join(BODY))
    processor = Processor(Config())
    results = []

    def run() -> None:
        results.append(processor.process_items([SourceItem(str(tmp_path / "a.txt"))] * 20))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for result in results:  # each batch read its 20 files: its own read time is never empty
        assert result.documents == 20
        assert result.seconds["read"] > 0 and result.seconds["strip"] > 0
