from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.document import Failure, RawDocument
from pipeline.sources import SourceItem, discover, read_item

PAGE = "<html><body><p>Le café ouvre à huit heures.</p></body></html>"


def write_warc(path: Path, *, gz: bool) -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gz)
        for uri, content_type, body in [
            ("https://news.example/a", "text/html; charset=windows-1252", PAGE.encode("cp1252")),
            ("https://news.example/logo.png", "image/png", b"\x89PNG"),
        ]:
            http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri,
                "response",
                payload=BytesIO(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": "2026-11-20T08:30:00Z"},
            )
            writer.write_record(record)


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_html_response_records_become_documents_with_uri_and_date(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    write_warc(path, gz=name.endswith(".gz"))
    items, failures = discover([str(tmp_path)])
    assert failures == []
    docs = [d for item in items for d in read_item(item, max_bytes=1_000_000)]
    assert len(docs) == 1
    doc = docs[0]
    assert isinstance(doc, RawDocument)
    assert (doc.url, doc.content, doc.kind) == ("https://news.example/a", PAGE, "html")
    assert doc.fetched_at == datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
    assert doc.source == f"{path.resolve()}#1"


def test_a_file_that_is_not_warc_is_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "broken.warc"
    path.write_text("this is not a WARC file\n")
    (failure,) = list(read_item(SourceItem(str(path)), max_bytes=1_000_000))
    assert isinstance(failure, Failure)
    assert failure.reason == "read.bad_warc"


def test_a_urls_file_lists_url_items(tmp_path: Path) -> None:
    path = tmp_path / "list.urls"
    path.write_text("# morning list\nhttps://news.example/a\n\nhttps://news.example/b#top\n")
    items, failures = discover([str(path)])
    assert failures == []
    assert [(i.locator, i.kind) for i in items] == [
        ("https://news.example/a", "url"),
        ("https://news.example/b#top", "url"),
    ]
