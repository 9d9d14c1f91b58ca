"""Expanding URL sources against a local server: feeds, sitemaps, pages and what fails."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from pipeline.config import FetchConfig
from pipeline.fetch import Fetcher
from pipeline.source_state import SourceState
from pipeline.web_sources import Discovery, discover_remote, is_remote, normalise

CONFIG = FetchConfig(allow_private_addresses=True, per_host_delay_seconds=0, max_sitemaps=2)
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


@pytest.fixture
def server(httpserver: HTTPServer) -> HTTPServer:
    httpserver.no_handler_status_code = 404
    return httpserver


def expand(url: str, states: dict[str, SourceState] | None = None) -> Discovery:
    with Fetcher(CONFIG) as fetcher:
        return discover_remote([url], fetcher, states or {})


def test_an_atom_feed_with_relative_links_expands_into_normalised_urls(
    server: HTTPServer,
) -> None:
    server.expect_request("/atom").respond_with_data(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>T</title><entry><title>A</title><link href='/a?utm_source=rss#c'/></entry>"
        "<entry><title>B</title><link href='/b'/></entry>"
        "<entry><title>A again</title><link href='/a'/></entry></feed>",
        content_type="application/atom+xml",
        headers={"ETag": '"e1"', "Last-Modified": "Fri, 27 Nov 2026 10:00:00 GMT"},
    )
    found = expand(server.url_for("/atom"))
    assert [(i.locator, i.kind, i.origin) for i in found.items] == [
        (server.url_for("/a"), "url", server.url_for("/atom")),
        (server.url_for("/b"), "url", server.url_for("/atom")),
    ]
    assert found.states == [
        SourceState(server.url_for("/atom"), "feed", '"e1"', "Fri, 27 Nov 2026 10:00:00 GMT")
    ]


def test_a_conditional_request_answered_304_expands_to_nothing(server: HTTPServer) -> None:
    server.expect_request("/feed", headers={"If-None-Match": '"e1"'}).respond_with_data(
        "", status=304
    )
    url = server.url_for("/feed")
    found = expand(url, {url: SourceState(url, "feed", etag='"e1"')})
    assert (found.items, found.failures, found.not_modified) == ([], [], [url])


def test_a_broken_feed_is_a_discover_failure(server: HTTPServer) -> None:
    server.expect_request("/feed").respond_with_data(
        b"<rss>\x00\xff<<<", content_type="application/rss+xml"
    )
    (failure,) = expand(server.url_for("/feed")).failures
    assert (failure.stage, failure.reason, failure.http_status) == (
        "discover",
        "discover.bad_feed",
        200,
    )


def test_a_json_answer_is_unrecognised(server: HTTPServer) -> None:
    server.expect_request("/api").respond_with_json({"items": []})
    (failure,) = expand(server.url_for("/api")).failures
    assert failure.reason == "discover.unrecognised"
    assert "application/json" in failure.message


def test_a_sitemap_index_is_capped_and_always_fetched_in_full(server: HTTPServer) -> None:
    children = "".join(
        f"<sitemap><loc>{server.url_for(f'/s{n}.xml')}</loc></sitemap>" for n in range(3)
    )
    server.expect_request("/index.xml").respond_with_data(
        f"<sitemapindex {NS}>{children}</sitemapindex>", headers={"ETag": '"i"'}
    )
    for n in range(3):
        server.expect_request(f"/s{n}.xml").respond_with_data(
            f"<urlset {NS}><url><loc>{server.url_for(f'/p{n}')}</loc></url></urlset>"
        )
    url = server.url_for("/index.xml")
    found = expand(url, {url: SourceState(url, "sitemap_index", etag='"i"')})
    assert [i.locator for i in found.items] == [server.url_for("/p0"), server.url_for("/p1")]
    assert [f.reason for f in found.failures] == ["discover.too_many_sitemaps"]
    index_request = next(r for r, _ in server.log if r.path == "/index.xml")
    assert "If-None-Match" not in index_request.headers


def test_a_corrupt_gzipped_sitemap_is_a_failure(server: HTTPServer) -> None:
    server.expect_request("/s.xml.gz").respond_with_data(
        gzip.compress(b"<urlset>")[:12], content_type="application/gzip"
    )
    (failure,) = expand(server.url_for("/s.xml.gz")).failures
    assert failure.reason == "discover.bad_sitemap"


def test_a_page_url_is_kept_as_a_fetched_document(server: HTTPServer) -> None:
    server.expect_request("/story").respond_with_data(
        "<html><body><p>Text.</p></body></html>", content_type="text/html"
    )
    found = expand(server.url_for("/story"))
    assert [d.source for d in found.documents] == [server.url_for("/story")]
    assert [s.kind for s in found.states] == ["page"]


def test_is_remote_and_normalise() -> None:
    assert is_remote("https://a.example/feed") and not is_remote("samples/feed.xml")
    assert normalise("/x/?utm_medium=a&b=1#frag", "HTTPS://News.Example:443/") == (
        "https://news.example/x/?b=1"
    )
    assert normalise("mailto:desk@news.example") is None


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + ']><rss version="2.0"><channel><title>&lol9;</title>'
    "<item><link>/a</link></item></channel></rss>"
)


@pytest.mark.parametrize("kind", ["feed", "sitemap"])
def test_an_xml_bomb_neither_hangs_nor_expands(server: HTTPServer, kind: str) -> None:
    body = (
        BILLION_LAUGHS
        if kind == "feed"
        else BILLION_LAUGHS.replace(
            "<rss", f"<urlset {NS}><url><loc>&lol9;</loc></url></urlset><!--"
        ).replace("</rss>", "-->")
    )
    server.expect_request("/x").respond_with_data(body, content_type="application/xml")
    started = time.monotonic()
    found = expand(server.url_for("/x"))
    assert time.monotonic() - started < 5
    assert all("lollollol" not in i.locator for i in found.items)
    assert len(found.items) <= 1


def test_an_external_entity_feed_reads_no_local_file(server: HTTPServer, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN")
    feed = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        '<rss version="2.0"><channel><title>t</title>'
        "<item><title>&xxe;</title><link>/a?&xxe;</link></item></channel></rss>"
    )
    sitemap = (
        f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        f"<urlset {NS}><url><loc>{server.url_for('/b')}?&xxe;</loc></url></urlset>"
    )
    server.expect_request("/feed").respond_with_data(feed, content_type="application/rss+xml")
    server.expect_request("/sitemap.xml").respond_with_data(sitemap, content_type="text/xml")
    for path in ("/feed", "/sitemap.xml"):
        found = expand(server.url_for(path))
        assert all("TOP-SECRET" not in i.locator for i in found.items)
        assert all("TOP-SECRET" not in f.message for f in found.failures)


def test_a_sitemap_pointing_at_itself_ends(server: HTTPServer) -> None:
    own = server.url_for("/sitemap.xml")
    server.expect_request("/sitemap.xml").respond_with_data(
        f'<?xml version="1.0"?><sitemapindex {NS}><sitemap><loc>{own}</loc></sitemap>'
        "</sitemapindex>",
        content_type="application/xml",
    )
    started = time.monotonic()
    found = expand(own)
    assert time.monotonic() - started < 5
    assert found.items == []
    assert len(server.log) <= CONFIG.max_sitemaps + 2  # robots.txt, the index, capped children
