"""The ingest flow against a local HTTP server: feeds, sitemaps, pages; incremental re-runs."""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from flows.ingest import ingest

PARAGRAPH = (
    "The harbour authority approved a plan on Tuesday to dredge the northern channel, "
    "which has silted up so badly that larger ferries now wait for the tide before they "
    "can enter. Fishermen welcomed the decision but asked for the work to avoid the "
    "spawning season, when the bay is closed to trawlers for eight weeks."
)


def page(title: str) -> str:
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{title}. {PARAGRAPH}</p><p>{PARAGRAPH}</p></article></body></html>"
    )


def rss(base: str, paths: list[str]) -> str:
    items = "".join(f"<item><title>Story {p}</title><link>{base}{p}</link></item>" for p in paths)
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour news</title>'
        f"<link>{base}/</link>{items}</channel></rss>"
    )


def rows(db: Path, query: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(query).fetchall()


def row_counts(db: Path) -> dict[str, int]:
    tables = ("articles", "removed_lines", "failures", "source_state")
    return {t: rows(db, f"SELECT count(*) FROM {t}")[0][0] for t in tables}  # type: ignore[misc]


@pytest.fixture
def site(httpserver: HTTPServer) -> HTTPServer:
    httpserver.no_handler_status_code = 404  # unknown paths (robots.txt, /news/missing)
    for n in (1, 2, 3):
        httpserver.expect_request(f"/news/{n}").respond_with_data(
            page(f"Harbour story {n}"), content_type="text/html"
        )
    return httpserver


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(
        "fetch:\n  per_host_delay_seconds: 0\n  retries: 1\n  backoff_seconds: 0.01\n"
        "  read_timeout_seconds: 0.5\n"
    )
    return path


def run(sources: list[str], db: Path, config: Path) -> object:
    return ingest(
        sources=sources, db=str(db), config_path=str(config), allow_private_addresses=True
    )


def test_feed_loads_articles_and_a_second_run_fetches_nothing_new(
    site: HTTPServer, tmp_path: Path, config: Path
) -> None:
    base = site.url_for("").rstrip("/")
    feed = rss(base, ["/news/1", "/news/2", "/news/3", "/news/missing"])

    def feed_handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(feed, content_type="application/rss+xml", headers={"ETag": '"v1"'})

    site.expect_request("/feed.xml").respond_with_handler(feed_handler)
    db = tmp_path / "w.duckdb"

    first = run([site.url_for("/feed.xml")], db, config)
    assert first.status == "completed"  # type: ignore[attr-defined]
    assert first.counts.inserted == 3  # type: ignore[attr-defined]
    assert first.failures_by_reason == {"fetch.http_client_error": 1}  # type: ignore[attr-defined]
    assert rows(db, "SELECT http_status, stage FROM failures") == [(404, "fetch")]
    assert rows(db, "SELECT kind, etag FROM source_state") == [("feed", '"v1"')]
    assert rows(db, "SELECT count(*) FROM articles WHERE fetched_at IS NOT NULL") == [(3,)]
    before = row_counts(db)
    requests_before = len(site.log)

    second = run([site.url_for("/feed.xml")], db, config)
    assert second.counts.inserted == 0  # type: ignore[attr-defined]
    assert row_counts(db) == before
    asked = [(req.path, resp.status_code) for req, resp in site.log[requests_before:]]
    assert asked == [("/robots.txt", 404), ("/feed.xml", 304)]


def test_without_validators_seen_urls_are_not_fetched_again(
    site: HTTPServer, tmp_path: Path, config: Path
) -> None:
    base = site.url_for("").rstrip("/")
    site.expect_request("/feed.xml").respond_with_data(
        rss(base, ["/news/1", "/news/2"]), content_type="application/rss+xml"
    )
    db = tmp_path / "w.duckdb"
    run([site.url_for("/feed.xml")], db, config)
    requests_before = len(site.log)

    second = run([site.url_for("/feed.xml")], db, config)
    assert second.counts.inserted == 0  # type: ignore[attr-defined]
    assert [req.path for req, _ in site.log[requests_before:]] == ["/robots.txt", "/feed.xml"]


def test_sitemap_index_with_gzipped_child_and_a_page_url(
    site: HTTPServer, tmp_path: Path, config: Path
) -> None:
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    site.expect_request("/sitemap_index.xml").respond_with_data(
        f'<?xml version="1.0"?><sitemapindex {ns}><sitemap><loc>'
        f"{site.url_for('/news-sitemap.xml.gz')}</loc></sitemap></sitemapindex>",
        content_type="application/xml",
    )
    child = (
        f'<?xml version="1.0"?><urlset {ns}><url><loc>{site.url_for("/news/1")}</loc></url>'
        f"<url><loc>{site.url_for('/news/2')}</loc></url></urlset>"
    )
    site.expect_request("/news-sitemap.xml.gz").respond_with_data(
        gzip.compress(child.encode()), content_type="application/gzip"
    )
    db = tmp_path / "w.duckdb"
    result = run([site.url_for("/sitemap_index.xml"), site.url_for("/news/3")], db, config)
    assert result.counts.inserted == 3  # type: ignore[attr-defined]
    assert result.failures_by_reason == {}  # type: ignore[attr-defined]
    assert sorted(rows(db, "SELECT kind FROM source_state")) == [
        ("page",),
        ("sitemap",),
        ("sitemap_index",),
    ]


def test_a_transient_failure_keeps_the_feed_state_so_the_next_run_retries(
    site: HTTPServer, tmp_path: Path, config: Path
) -> None:
    base = site.url_for("").rstrip("/")
    site.expect_request("/feed.xml").respond_with_data(
        rss(base, ["/news/1", "/flaky"]),
        content_type="application/rss+xml",
        headers={"ETag": '"v1"'},
    )
    site.expect_request("/flaky").respond_with_data("down", status=503)
    db = tmp_path / "w.duckdb"
    first = run([site.url_for("/feed.xml")], db, config)
    assert first.failures_by_reason == {"fetch.http_server_error": 1}  # type: ignore[attr-defined]
    assert rows(db, "SELECT http_status FROM failures") == [(503,)]
    assert rows(db, "SELECT count(*) FROM source_state") == [(0,)]


def test_private_addresses_are_refused_without_the_switch(
    site: HTTPServer, tmp_path: Path, config: Path
) -> None:
    db = tmp_path / "w.duckdb"
    result = ingest(sources=[site.url_for("/news/1")], db=str(db), config_path=str(config))
    assert result.failures_by_reason == {"fetch.blocked_address": 1}
    assert site.log == []
