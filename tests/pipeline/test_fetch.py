"""The fetcher's fault matrix against a local server: every fault is a recorded failure."""

from __future__ import annotations

import gzip
import socket
import struct
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import brotli
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from pipeline import netguard
from pipeline.config import FetchConfig
from pipeline.document import Failure, RawDocument
from pipeline.fetch import Fetcher, check_url, retry_after_seconds
from pipeline.source_state import SourceState

FAST = FetchConfig(
    allow_private_addresses=True,
    per_host_delay_seconds=0,
    retries=2,
    backoff_seconds=0.01,
    connect_timeout_seconds=0.5,
    read_timeout_seconds=0.2,
    max_body_bytes=100_000,
)
FRENCH = (
    "<html><body><p>Le café de la gare a rouvert ses portes après des mois de travaux, "
    "à la grande joie des habitués qui s'étaient réfugiés à l'hôtel de ville. Le propriétaire "
    "a promis des prix inchangés et une terrasse élargie dès l'été prochain.</p></body></html>"
)
JAPANESE = "<html><body><p>東京都は新しい図書館を来年開館すると発表した。</p></body></html>"


@pytest.fixture
def server(httpserver: HTTPServer) -> HTTPServer:
    httpserver.no_handler_status_code = 404  # robots.txt is absent unless a test adds one
    return httpserver


def fetch(url: str, config: FetchConfig = FAST) -> RawDocument | Failure:
    with Fetcher(config) as fetcher:
        return fetcher.fetch_document(url)


def failed(result: RawDocument | Failure) -> Failure:
    assert isinstance(result, Failure), result
    return result


def hits(server: HTTPServer, path: str) -> int:
    return sum(request.path == path for request, _ in server.log)


def test_a_page_becomes_a_document_with_its_final_url(server: HTTPServer) -> None:
    server.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/story"})
    server.expect_request("/story").respond_with_data(FRENCH, content_type="text/html")
    doc = fetch(server.url_for("/old"))
    assert isinstance(doc, RawDocument)
    assert (doc.source, doc.url, doc.kind) == (
        server.url_for("/old"),
        server.url_for("/story"),
        "html",
    )
    assert "Le café de la gare" in doc.content
    assert doc.fetched_at is not None


def test_404_is_a_client_error_with_its_status_and_is_not_retried(server: HTTPServer) -> None:
    failure = failed(fetch(server.url_for("/gone")))
    assert (failure.stage, failure.reason, failure.error_class, failure.http_status) == (
        "fetch",
        "fetch.http_client_error",
        "HTTP404",
        404,
    )
    assert hits(server, "/gone") == 1


def test_500_then_success_is_retried(server: HTTPServer) -> None:
    server.expect_oneshot_request("/flaky").respond_with_data("oops", status=500)
    server.expect_request("/flaky").respond_with_data(FRENCH, content_type="text/html")
    assert isinstance(fetch(server.url_for("/flaky")), RawDocument)
    assert hits(server, "/flaky") == 2


def test_persistent_5xx_fails_after_the_retries(server: HTTPServer) -> None:
    server.expect_request("/down").respond_with_data("oops", status=503)
    failure = failed(fetch(server.url_for("/down")))
    assert (failure.reason, failure.http_status) == ("fetch.http_server_error", 503)
    assert hits(server, "/down") == FAST.retries + 1


def test_429_waits_for_retry_after_then_succeeds(server: HTTPServer) -> None:
    server.expect_oneshot_request("/busy").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "1"}
    )
    server.expect_request("/busy").respond_with_data(FRENCH, content_type="text/html")
    start = time.monotonic()
    assert isinstance(fetch(server.url_for("/busy")), RawDocument)
    assert time.monotonic() - start >= 1.0


def test_429_with_a_retry_after_over_the_cap_is_rate_limited_at_once(
    server: HTTPServer,
) -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    server.expect_request("/busy").respond_with_data(
        "slow down", status=429, headers={"Retry-After": later}
    )
    failure = failed(fetch(server.url_for("/busy")))
    assert (failure.reason, failure.http_status) == ("fetch.rate_limited", 429)
    assert "Retry-After" in failure.message
    assert hits(server, "/busy") == 1


def test_a_slow_response_times_out(server: HTTPServer) -> None:
    def slow(_request: Request) -> Response:
        time.sleep(0.5)
        return Response(FRENCH, content_type="text/html")

    server.expect_request("/slow").respond_with_handler(slow)
    failure = failed(fetch(server.url_for("/slow"), FAST.model_copy(update={"retries": 0})))
    assert (failure.reason, failure.error_class, failure.http_status) == (
        "fetch.timeout",
        "ReadTimeout",
        None,
    )


@pytest.fixture
def resetting_server() -> Iterator[str]:
    """Accepts connections, reads the request and answers with a TCP reset."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            conn.recv(65536)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    listener.close()


def test_a_connection_reset_is_a_connection_failure(resetting_server: str) -> None:
    config = FAST.model_copy(update={"respect_robots": False})
    failure = failed(fetch(f"{resetting_server}/page", config))
    assert (failure.reason, failure.error_class, failure.http_status) == (
        "fetch.connection",
        "ReadError",
        None,
    )
    assert "reset" in failure.message


def test_a_redirect_loop_is_stopped(server: HTTPServer) -> None:
    server.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    server.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    failure = failed(fetch(server.url_for("/a")))
    assert (failure.reason, failure.error_class, failure.http_status) == (
        "fetch.too_many_redirects",
        "RedirectLoop",
        302,
    )


def test_too_many_redirects(server: HTTPServer) -> None:
    for n in range(4):
        server.expect_request(f"/r{n}").respond_with_data(
            "", status=307, headers={"Location": f"/r{n + 1}"}
        )
    config = FAST.model_copy(update={"max_redirects": 2})
    assert failed(fetch(server.url_for("/r0"), config)).error_class == "TooManyRedirects"


def test_a_redirect_to_another_scheme_is_refused(server: HTTPServer) -> None:
    server.expect_request("/a").respond_with_data(
        "", status=302, headers={"Location": "file:///etc/passwd"}
    )
    assert failed(fetch(server.url_for("/a"))).reason == "fetch.unsupported_scheme"


def test_an_oversize_streamed_body_is_aborted(server: HTTPServer) -> None:
    def endless(_request: Request) -> Response:
        chunks = (b"<p>" + b"x" * 10_000 + b"</p>" for _ in range(10_000))
        return Response(chunks, content_type="text/html")  # no Content-Length: streamed

    server.expect_request("/big").respond_with_handler(endless)
    failure = failed(fetch(server.url_for("/big")))
    assert (failure.reason, failure.message) == ("fetch.too_large", "more than 100000 bytes sent")


def test_a_declared_oversize_body_is_refused_before_reading(server: HTTPServer) -> None:
    server.expect_request("/big").respond_with_data(b"x" * 200_000, content_type="text/html")
    assert "Content-Length" in failed(fetch(server.url_for("/big"))).message


@pytest.mark.parametrize(
    ("coding", "compress"),
    [("gzip", gzip.compress), ("br", brotli.compress)],
)
def test_a_compression_bomb_is_stopped_at_the_decoded_cap(
    server: HTTPServer, coding: str, compress: object
) -> None:
    assert callable(compress)
    bomb = compress(b" " * 20_000_000)
    assert len(bomb) < FAST.max_body_bytes
    server.expect_request("/bomb").respond_with_data(
        bomb, content_type="text/html", headers={"Content-Encoding": coding}
    )
    failure = failed(fetch(server.url_for("/bomb")))
    assert failure.reason == "fetch.too_large"
    assert f"after {coding} decoding" in failure.message


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br"])
def test_compressed_pages_are_decoded(server: HTTPServer, coding: str) -> None:
    import zlib

    data = FRENCH.encode()
    body = {"gzip": gzip.compress, "deflate": zlib.compress, "br": brotli.compress}[coding](data)
    server.expect_request("/z").respond_with_data(
        body, content_type="text/html; charset=utf-8", headers={"Content-Encoding": coding}
    )
    doc = fetch(server.url_for("/z"))
    assert isinstance(doc, RawDocument)
    assert doc.content == FRENCH


def test_a_corrupt_gzip_body_is_a_bad_encoding(server: HTTPServer) -> None:
    server.expect_request("/z").respond_with_data(
        b"\x1f\x8bnot gzip at all", content_type="text/html", headers={"Content-Encoding": "gzip"}
    )
    assert failed(fetch(server.url_for("/z"))).reason == "fetch.bad_encoding"


def test_charset_from_the_header_shift_jis(server: HTTPServer) -> None:
    server.expect_request("/ja").respond_with_data(
        JAPANESE.encode("shift_jis"), headers={"Content-Type": "text/html; charset=Shift_JIS"}
    )
    doc = fetch(server.url_for("/ja"))
    assert isinstance(doc, RawDocument)
    assert doc.content == JAPANESE


@pytest.mark.parametrize(
    "content_type", ["text/html", "text/html; charset=utf-8"], ids=["missing", "wrong"]
)
def test_cp1252_with_a_missing_or_wrong_charset_is_detected(
    server: HTTPServer, content_type: str
) -> None:
    server.expect_request("/fr").respond_with_data(
        FRENCH.encode("cp1252"), headers={"Content-Type": content_type}
    )
    doc = fetch(server.url_for("/fr"))
    assert isinstance(doc, RawDocument)
    assert doc.content == FRENCH


def test_charset_from_a_meta_tag(server: HTTPServer) -> None:
    html = FRENCH.replace("<html>", '<html><head><meta charset="windows-1252"></head>')
    server.expect_request("/fr").respond_with_data(
        html.encode("cp1252"), headers={"Content-Type": "text/html"}
    )
    doc = fetch(server.url_for("/fr"))
    assert isinstance(doc, RawDocument)
    assert doc.content == html


def test_an_undecodable_page_is_a_read_failure(server: HTTPServer) -> None:
    server.expect_request("/bin").respond_with_data(
        bytes(range(256)) * 20, headers={"Content-Type": "text/html"}
    )
    failure = failed(fetch(server.url_for("/bin")))
    assert (failure.stage, failure.reason, failure.http_status) == ("read", "read.binary", 200)


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", "application/json"])
def test_non_html_content_types_are_refused(server: HTTPServer, content_type: str) -> None:
    server.expect_request("/file").respond_with_data(b"%PDF-1.4", content_type=content_type)
    failure = failed(fetch(server.url_for("/file")))
    assert (failure.reason, failure.http_status) == ("fetch.unsupported_type", 200)
    assert content_type in failure.message


def test_plain_text_is_a_text_document(server: HTTPServer) -> None:
    server.expect_request("/t").respond_with_data("Just text.", content_type="text/plain")
    doc = fetch(server.url_for("/t"))
    assert isinstance(doc, RawDocument)
    assert doc.kind == "text"


def test_robots_txt_disallow_is_honoured_and_can_be_switched_off(server: HTTPServer) -> None:
    server.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /private/\n\nUser-agent: presswash\nDisallow: /nopress/\n",
        content_type="text/plain",
    )
    server.expect_request("/private/x").respond_with_data(FRENCH, content_type="text/html")
    server.expect_request("/public/x").respond_with_data(FRENCH, content_type="text/html")
    server.expect_request("/nopress/x").respond_with_data(FRENCH, content_type="text/html")
    with Fetcher(FAST) as fetcher:
        nopress = failed(fetcher.fetch_document(server.url_for("/nopress/x")))
        public = fetcher.fetch_document(server.url_for("/public/x"))
    assert nopress.reason == "fetch.robots_disallowed"
    assert isinstance(public, RawDocument)
    assert hits(server, "/robots.txt") == 1
    assert hits(server, "/nopress/x") == 0
    ignoring = FAST.model_copy(update={"respect_robots": False})
    assert isinstance(fetch(server.url_for("/nopress/x"), ignoring), RawDocument)


def test_an_unreachable_robots_txt_keeps_the_fetcher_out(server: HTTPServer) -> None:
    server.expect_request("/robots.txt").respond_with_data("", status=503)
    server.expect_request("/page").respond_with_data(FRENCH, content_type="text/html")
    failure = failed(fetch(server.url_for("/page")))
    assert failure.reason == "fetch.robots_disallowed"
    assert "could not be read" in failure.message
    assert hits(server, "/page") == 0


def test_conditional_get_returns_not_modified(server: HTTPServer) -> None:
    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"abc"':
            return Response(status=304)
        return Response("<rss/>", headers={"ETag": '"abc"'})

    server.expect_request("/feed").respond_with_handler(handler)
    with Fetcher(FAST) as fetcher:
        first = fetcher.get(server.url_for("/feed"))
        again = fetcher.get(server.url_for("/feed"), SourceState("f", "feed", etag='"abc"'))
    assert (first.status, first.not_modified, first.headers["etag"]) == (200, False, '"abc"')
    assert (again.status, again.not_modified, again.body) == (304, True, b"")


def test_private_addresses_are_blocked_by_default_before_any_request(server: HTTPServer) -> None:
    guarded = FAST.model_copy(update={"allow_private_addresses": False})
    for url in (f"http://127.0.0.1:{server.port}/x", f"http://localhost:{server.port}/x"):
        failure = failed(fetch(url, guarded))
        assert (failure.reason, failure.error_class) == ("fetch.blocked_address", "BlockedAddress")
    assert server.log == []


def test_every_redirect_hop_is_checked(server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    # The server (localhost) stands in for a public host; 127.0.0.2 for a private one.
    monkeypatch.setattr(netguard, "is_blocked", lambda address: str(address) == "127.0.0.2")
    target = f"http://127.0.0.2:{server.port}/inside"
    server.expect_request("/out").respond_with_data("", status=302, headers={"Location": target})
    guarded = FAST.model_copy(update={"allow_private_addresses": False})
    failure = failed(fetch(server.url_for("/out"), guarded))
    assert (failure.reason, failure.message) == (
        "fetch.blocked_address",
        "127.0.0.2 resolves to 127.0.0.2, a non-public address",
    )
    assert hits(server, "/out") == 1


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/a", "fetch.unsupported_scheme"),
        ("file:///etc/passwd", "fetch.unsupported_scheme"),
        ("/relative/path", "fetch.unsupported_scheme"),
        ("http:///no-host", "fetch.bad_url"),
        ("http://example.com:99999/", "fetch.bad_url"),
    ],
)
def test_only_absolute_http_urls_are_fetched(url: str, reason: str) -> None:
    assert failed(fetch(url)).reason == reason


def test_check_url_drops_the_fragment() -> None:
    assert check_url("https://example.com/a?b=1#top") == "https://example.com/a?b=1"


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert retry_after_seconds("120", now) == 120.0
    assert retry_after_seconds("Sat, 28 Nov 2026 12:01:30 GMT", now) == 90.0
    assert retry_after_seconds("Sat, 28 Nov 2026 11:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None


def test_requests_to_one_host_start_at_least_the_delay_apart(server: HTTPServer) -> None:
    starts: list[float] = []

    def handler(_request: Request) -> Response:
        starts.append(time.monotonic())
        return Response(FRENCH, content_type="text/html")

    server.expect_request("/p").respond_with_handler(handler)
    config = FAST.model_copy(
        update={"per_host_delay_seconds": 0.15, "respect_robots": False, "global_concurrency": 4}
    )
    with Fetcher(config) as fetcher:
        results = fetcher.fetch_documents([server.url_for("/p") + f"?n={n}" for n in range(4)])
    assert all(isinstance(r, RawDocument) for r in results)
    gaps = [b - a for a, b in zip(sorted(starts), sorted(starts)[1:], strict=False)]
    assert min(gaps) >= 0.12  # server-side clock: allow a little arrival jitter
