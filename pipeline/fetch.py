"""Polite, bounded HTTP fetching: the only module that talks to the web.

One ``Fetcher`` per batch: a shared httpx client (connection reuse), a per-host gate
(concurrency and delay between request starts), robots.txt per host, retries with backoff
that honour Retry-After, manual redirects (each hop re-checked), a body cap enforced while
streaming and decoding, and the address guard of ``pipeline.netguard`` on every connect.
Every problem becomes a ``FetchError`` with a reason code, so callers turn it into a
``Failure`` and go on.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

import httpx

from pipeline import netguard
from pipeline.config import FetchConfig
from pipeline.decode import DecodeError, decode
from pipeline.document import Failure, RawDocument
from pipeline.http_body import (
    ACCEPT_ENCODING,
    CHUNK_BYTES,
    BadContentEncoding,
    BodyTooLarge,
    DeadlineExceeded,
    read_body,
)
from pipeline.robots import RobotsRules
from pipeline.source_state import SourceState

T = TypeVar("T")
R = TypeVar("R")

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_NOT_RETRIED_5XX = frozenset({501, 505})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.I)
_MAX_ROBOTS_BYTES = 500_000
_MAX_CRAWL_DELAY_SECONDS = 60.0


class FetchError(Exception):
    """A URL that could not be fetched, with everything its failure row needs."""

    def __init__(
        self,
        reason: str,
        error_class: str,
        message: str,
        *,
        http_status: int | None = None,
        retryable: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.error_class = error_class
        self.http_status = http_status
        self.retryable = retryable
        self.retry_after = retry_after

    def failure(self, source: str) -> Failure:
        return Failure(
            source=source,
            stage=self.reason.split(".")[0],
            reason=self.reason,
            error_class=self.error_class,
            message=str(self),
            http_status=self.http_status,
        )


@dataclass(frozen=True, slots=True)
class Fetched:
    """An answer to a GET: 2xx with its body, or 304 (not modified) without one."""

    url: str
    """The URL asked for."""
    final_url: str
    """Where the answer came from, after redirects."""
    status: int
    headers: httpx.Headers
    body: bytes
    fetched_at: datetime

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def media_type(self) -> str:
        content_type: str = self.headers.get("content-type", "")
        return content_type.split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        match = _CHARSET.search(self.headers.get("content-type", ""))
        return match.group(1) if match else None


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Parse Retry-After, which is either delay-seconds or an HTTP-date (RFC 9110 10.2.3)."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def check_url(url: str) -> str:
    """Refuse what is not an absolute http(s) URL with a host; return it without its fragment."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        raise FetchError("fetch.bad_url", "InvalidURL", f"malformed URL: {exc}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(
            "fetch.unsupported_scheme",
            "UnsupportedScheme",
            f"only http and https URLs are fetched, not {parts.scheme or 'a relative URL'}",
        )
    if not parts.hostname:
        raise FetchError("fetch.bad_url", "InvalidURL", "the URL has no host")
    return parts._replace(fragment="").geturl()


class _HostGate:
    """At most ``concurrency`` requests at once on a host, starts ``delay`` seconds apart."""

    def __init__(self, concurrency: int, delay: float) -> None:
        self._slots = threading.Semaphore(concurrency)
        self._lock = threading.Lock()
        self._next_start = 0.0
        self.delay = delay

    @contextmanager
    def slot(self) -> Iterator[None]:
        with self._slots:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start)
                self._next_start = start + self.delay
            if start > now:
                time.sleep(start - now)
            yield


class Fetcher:
    """Fetches URLs under one ``FetchConfig``; thread-safe; close it (or use ``with``)."""

    def __init__(self, config: FetchConfig, *, sleep: Callable[[float], None] = time.sleep):
        self.config = config
        self._sleep = sleep
        self._client = httpx.Client(
            transport=netguard.transport(allow_private=config.allow_private_addresses),
            follow_redirects=False,
            timeout=httpx.Timeout(
                config.read_timeout_seconds, connect=config.connect_timeout_seconds
            ),
            headers={"User-Agent": config.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        )
        self._lock = threading.Lock()
        self._gates: dict[str, _HostGate] = {}
        self._robots: dict[str, RobotsRules] = {}
        self._robots_locks: dict[str, threading.Lock] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def map(self, fn: Callable[[T], R], values: Sequence[T]) -> list[R]:
        """``fn`` over ``values`` on ``global_concurrency`` threads, results in input order."""
        if len(values) <= 1:
            return [fn(v) for v in values]
        workers = min(self.config.global_concurrency, len(values))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fetch") as pool:
            return list(pool.map(fn, values))

    def fetch_documents(self, urls: Sequence[str]) -> list[RawDocument | Failure]:
        """Fetch article pages concurrently; one document or failure per URL, in order."""
        return self.map(self.fetch_document, urls)

    def fetch_document(self, url: str) -> RawDocument | Failure:
        try:
            return document_from(self.get(url))
        except FetchError as exc:
            return exc.failure(url)

    def get(self, url: str, state: SourceState | None = None) -> Fetched:
        """GET ``url`` following redirects; conditional when ``state`` has validators."""
        current = check_url(url)
        headers: dict[str, str] = {}
        if state and state.etag:
            headers["If-None-Match"] = state.etag
        if state and state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        seen = {current}
        for _hop in range(self.config.max_redirects + 1):
            if self.config.respect_robots:
                self._check_robots(current)
            answer = self._with_retries(current, headers, self.config.max_body_bytes)
            if answer.status not in _REDIRECTS:
                return Fetched(
                    url, current, answer.status, answer.headers, answer.body, datetime.now(UTC)
                )
            current = self._redirect_target(current, answer)
            if current in seen:
                raise FetchError(
                    "fetch.too_many_redirects",
                    "RedirectLoop",
                    f"redirect loop back to {current}",
                    http_status=answer.status,
                )
            seen.add(current)
        raise FetchError(
            "fetch.too_many_redirects",
            "TooManyRedirects",
            f"more than fetch.max_redirects ({self.config.max_redirects}) redirects",
        )

    @staticmethod
    def _redirect_target(current: str, answer: Fetched) -> str:
        location = answer.headers.get("location")
        if not location:
            raise FetchError(
                "fetch.bad_url",
                "RedirectWithoutLocation",
                f"HTTP {answer.status} without a Location header",
                http_status=answer.status,
            )
        return check_url(urljoin(current, location))

    def _with_retries(self, url: str, headers: dict[str, str], max_bytes: int) -> Fetched:
        config = self.config
        for attempt in range(config.retries + 1):
            try:
                return self._attempt(url, headers, max_bytes)
            except FetchError as exc:
                if not exc.retryable or attempt == config.retries:
                    raise
                delay = config.backoff_seconds * 2**attempt
                if exc.retry_after is not None:
                    if exc.retry_after > config.max_retry_after_seconds:
                        raise FetchError(
                            exc.reason,
                            exc.error_class,
                            f"{exc}; Retry-After {exc.retry_after:.0f} s is longer than"
                            f" fetch.max_retry_after_seconds ({config.max_retry_after_seconds})",
                            http_status=exc.http_status,
                        ) from None
                    delay = max(delay, exc.retry_after)
                self._sleep(delay)
        raise AssertionError("the loop returns or raises")

    def _attempt(self, url: str, headers: dict[str, str], max_bytes: int) -> Fetched:
        """One request through the host gate; transient problems are marked retryable."""
        with self._gate(url).slot():
            try:
                return self._request(url, headers, max_bytes)
            except netguard.BlockedAddressError as exc:
                raise FetchError("fetch.blocked_address", "BlockedAddress", str(exc)) from None
            except (httpx.TimeoutException, DeadlineExceeded) as exc:
                raise FetchError(
                    "fetch.timeout", type(exc).__name__, _describe(exc), retryable=True
                ) from None
            except httpx.TransportError as exc:
                raise FetchError(
                    "fetch.connection", type(exc).__name__, _describe(exc), retryable=True
                ) from None
            except BodyTooLarge as exc:
                raise FetchError("fetch.too_large", "BodyTooLarge", str(exc)) from None
            except BadContentEncoding as exc:
                raise FetchError("fetch.bad_encoding", "BadContentEncoding", str(exc)) from None

    def _request(self, url: str, headers: dict[str, str], max_bytes: int) -> Fetched:
        deadline = time.monotonic() + self.config.max_request_seconds
        with self._client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            _raise_for_status(status, response.headers)
            body = b""
            if 200 <= status < 300:
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise BodyTooLarge(f"Content-Length {declared} is over {max_bytes} bytes")
                body = read_body(
                    response.iter_raw(CHUNK_BYTES),
                    content_encoding=response.headers.get("content-encoding", ""),
                    max_bytes=max_bytes,
                    deadline=deadline,
                )
            return Fetched(url, url, status, response.headers, body, datetime.now(UTC))

    def _gate(self, url: str) -> _HostGate:
        host = urlsplit(url).netloc.lower()
        with self._lock:
            gate = self._gates.get(host)
            if gate is None:
                gate = _HostGate(
                    self.config.per_host_concurrency, self.config.per_host_delay_seconds
                )
                self._gates[host] = gate
            return gate

    def _check_robots(self, url: str) -> None:
        rules = self._robots_for(url)
        if not rules.allows(url):
            raise FetchError("fetch.robots_disallowed", "RobotsDisallowed", rules.explain(url))

    def _robots_for(self, url: str) -> RobotsRules:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        with self._lock:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:
            if origin not in self._robots:
                self._robots[origin] = self._load_robots(origin)
                delay = self._robots[origin].crawl_delay()
                if delay:
                    gate = self._gate(url)
                    gate.delay = max(gate.delay, min(delay, _MAX_CRAWL_DELAY_SECONDS))
            return self._robots[origin]

    def _load_robots(self, origin: str) -> RobotsRules:
        """RFC 9309: 4xx means no rules; an unreachable robots.txt (5xx, network) means keep out."""
        agent = self.config.user_agent
        url = f"{origin}/robots.txt"
        try:
            current = url
            for _hop in range(self.config.max_redirects + 1):
                answer = self._with_retries(current, {}, _MAX_ROBOTS_BYTES)
                if answer.status not in _REDIRECTS:
                    break
                current = self._redirect_target(current, answer)
            else:
                return RobotsRules.unreachable(agent, url, "too many redirects")
        except FetchError as exc:
            if exc.reason == "fetch.http_client_error":
                return RobotsRules.allow_all(agent)
            if exc.reason == "fetch.blocked_address":
                raise
            return RobotsRules.unreachable(agent, url, str(exc))
        if answer.status >= 300:
            return RobotsRules.allow_all(agent)
        try:
            text = decode(answer.body)
        except DecodeError:
            return RobotsRules.allow_all(agent)
        return RobotsRules.parse(agent, url, text)


def _raise_for_status(status: int, headers: httpx.Headers) -> None:
    if status == 429:
        raise FetchError(
            "fetch.rate_limited",
            "HTTP429",
            "HTTP 429 Too Many Requests",
            http_status=status,
            retryable=True,
            retry_after=retry_after_seconds(headers.get("retry-after")),
        )
    if status >= 500:
        raise FetchError(
            "fetch.http_server_error",
            f"HTTP{status}",
            f"HTTP {status}",
            http_status=status,
            retryable=status not in _NOT_RETRIED_5XX,
            retry_after=retry_after_seconds(headers.get("retry-after")),
        )
    if 400 <= status < 500:
        raise FetchError(
            "fetch.http_client_error", f"HTTP{status}", f"HTTP {status}", http_status=status
        )


def document_from(fetched: Fetched) -> RawDocument | Failure:
    """Turn a fetched page into a document: HTML or plain text, decoded by its charset."""
    media = fetched.media_type
    if media in _HTML_TYPES or (not media and _looks_like_html(fetched.body)):
        kind = "html"
    elif media == "text/plain":
        kind = "text"
    else:
        return FetchError(
            "fetch.unsupported_type",
            "UnsupportedContentType",
            f"Content-Type {media or '(none)'} is not HTML or plain text",
            http_status=fetched.status,
        ).failure(fetched.url)
    try:
        text = decode(fetched.body, declared=fetched.charset, html=kind == "html")
    except DecodeError as exc:
        return Failure(
            fetched.url, "read", exc.reason, "DecodeError", str(exc), http_status=fetched.status
        )
    if not text.strip():
        return Failure(
            fetched.url, "read", "read.empty", "EmptyInput", "the page is empty", fetched.status
        )
    return RawDocument(
        source=fetched.url,
        content=text,
        kind="html" if kind == "html" else "text",
        url=fetched.final_url,
        fetched_at=fetched.fetched_at,
    )


def _looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


def _describe(exc: Exception) -> str:
    return str(exc) or type(exc).__name__
