"""Remote sources: a URL named by the user becomes article URLs (feed, sitemap) or a page.

What a URL is comes from its answer, not its name: the root element of an XML body says
feed (``rss``, ``feed``, ``RDF``) or sitemap (``urlset``, ``sitemapindex``; gzipped or not),
and HTML is an article page, kept as a document at once rather than fetched twice. Feeds
and sitemaps are fetched conditionally with the validators of the last committed run; a
sitemap index is always fetched, since its children carry their own validators.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin

import feedparser
from courlan import normalize_url
from lxml import etree

from pipeline.document import Failure, RawDocument
from pipeline.fetch import Fetched, Fetcher, FetchError, check_url, document_from
from pipeline.http_body import BadContentEncoding, BodyTooLarge, read_body
from pipeline.source_state import SourceKind, SourceState
from pipeline.sources import SourceItem, discover

_ROOT_ELEMENT = re.compile(rb"<(?:[A-Za-z][\w.-]*:)?([A-Za-z][\w.-]*)[\s>/]")
_FEED_ROOTS = frozenset({b"rss", b"feed", b"RDF"})
_SITEMAP_ROOTS = frozenset({b"urlset", b"sitemapindex"})
_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_SNIFF_BYTES = 4096
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(slots=True)
class Discovery:
    """What remote sources expanded into."""

    items: list[SourceItem] = field(default_factory=list)
    """Article URLs to fetch, each with the source (feed or sitemap) it came from."""
    documents: list[RawDocument] = field(default_factory=list)
    """Pages named directly, already fetched while finding out what they were."""
    failures: list[Failure] = field(default_factory=list)
    states: list[SourceState] = field(default_factory=list)
    """New validators, to be committed only with the items they led to."""
    not_modified: list[str] = field(default_factory=list)
    """Sources that answered 304: nothing new since the last committed run."""

    def extend(self, other: Discovery) -> None:
        self.items += other.items
        self.documents += other.documents
        self.failures += other.failures
        self.states += other.states
        self.not_modified += other.not_modified


def is_remote(source: str) -> bool:
    """Sources with a scheme are URLs (and only http/https will be fetched); the rest are paths."""
    return "://" in source


def normalise(url: str, base: str | None = None) -> str | None:
    """Absolute, normalised (courlan: case, default port, tracking parameters), fragment-free."""
    try:
        absolute = check_url(urljoin(base, url.strip()) if base else url)
        return check_url(normalize_url(absolute))
    except (FetchError, ValueError):
        return None


def discover_sources(
    sources: Sequence[str], fetcher: Fetcher, states: Mapping[str, SourceState]
) -> Discovery:
    """Files, directories, URL lists and URLs, expanded into items, pages and failures."""
    local = [s for s in sources if not is_remote(s)]
    items, failures = discover(local)
    result = discover_remote([s for s in sources if is_remote(s)], fetcher, states)
    result.items = items + result.items
    result.failures = failures + result.failures
    return result


def discover_remote(
    urls: Sequence[str], fetcher: Fetcher, states: Mapping[str, SourceState]
) -> Discovery:
    """Expand each URL source concurrently; every problem becomes a failure row."""
    result = Discovery()
    for part in fetcher.map(lambda url: _expand(url, fetcher, states), list(dict.fromkeys(urls))):
        result.extend(part)
    seen: set[str] = set()
    unique = []
    for item in result.items:
        if item.locator not in seen:
            seen.add(item.locator)
            unique.append(item)
    result.items = unique
    return result


def _expand(url: str, fetcher: Fetcher, states: Mapping[str, SourceState]) -> Discovery:
    state = states.get(url)
    try:
        fetched = fetcher.get(url, None if state and state.kind == "sitemap_index" else state)
    except FetchError as exc:
        return Discovery(failures=[exc.failure(url)])
    if fetched.not_modified:
        return Discovery(not_modified=[url])
    try:
        body = _gunzipped(fetched.body, fetcher.config.max_body_bytes)
    except FetchError as exc:
        return Discovery(failures=[exc.failure(url)])
    root = _root_element(body)
    if root in _FEED_ROOTS:
        return _from_feed(url, fetched, body)
    if root in _SITEMAP_ROOTS:
        return _from_sitemap(url, fetched, body, fetcher, states, top=True)
    if fetched.body.startswith(_GZIP_MAGIC):
        reason = "gzipped, but not a complete sitemap (truncated?)"
        return Discovery(failures=[_bad_sitemap(url, reason, fetched.status)])
    if fetched.media_type in ("text/html", "application/xhtml+xml") or root == b"html":
        page = document_from(fetched)
        if isinstance(page, Failure):
            return Discovery(failures=[page])
        return Discovery(documents=[page], states=[_state(url, fetched, "page")])
    return Discovery(
        failures=[
            Failure(
                url,
                "discover",
                "discover.unrecognised",
                "UnrecognisedSource",
                f"neither a feed, a sitemap nor HTML (Content-Type {fetched.media_type or '-'})",
                fetched.status,
            )
        ]
    )


def _from_feed(url: str, fetched: Fetched, body: bytes) -> Discovery:
    parsed = feedparser.parse(
        body,
        response_headers={
            "content-location": fetched.final_url,
            "content-type": fetched.headers.get("content-type", "application/xml"),
        },
    )
    links = [entry.get("link") for entry in parsed.entries]
    if parsed.bozo and not parsed.entries:
        return Discovery(
            failures=[
                Failure(
                    url,
                    "discover",
                    "discover.bad_feed",
                    type(parsed.bozo_exception).__name__,
                    f"the feed could not be parsed: {parsed.bozo_exception}",
                    fetched.status,
                )
            ]
        )
    items = _items(links, fetched.final_url, origin=url)
    return Discovery(items=items, states=[_state(url, fetched, "feed")])


def _from_sitemap(
    url: str,
    fetched: Fetched,
    body: bytes,
    fetcher: Fetcher,
    states: Mapping[str, SourceState],
    *,
    top: bool,
) -> Discovery:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        root, error = None, str(exc)
    else:
        error = "no root element"
    if root is None:
        return Discovery(failures=[_bad_sitemap(url, error, fetched.status)])
    locations = [
        (loc.text or "").strip() for loc in root.iter(f"{_SITEMAP_NS}loc", "loc") if loc.text
    ]
    if etree.QName(root).localname == "urlset":
        return Discovery(
            items=_items(locations, fetched.final_url, origin=url),
            states=[_state(url, fetched, "sitemap")],
        )
    result = Discovery(states=[_state(url, fetched, "sitemap_index")])
    if not top:
        result.failures.append(
            _bad_sitemap(url, "a sitemap index inside a sitemap index", fetched.status)
        )
        return result
    children = [u for u in (normalise(loc, fetched.final_url) for loc in locations) if u]
    limit = fetcher.config.max_sitemaps
    if len(children) > limit:
        result.failures.append(
            Failure(
                url,
                "discover",
                "discover.too_many_sitemaps",
                "TooManySitemaps",
                f"{len(children)} sitemaps listed, only the first fetch.max_sitemaps ({limit})"
                " were read",
                fetched.status,
            )
        )
    for child in fetcher.map(lambda u: _child(u, fetcher, states), children[:limit]):
        result.extend(child)
    return result


def _child(url: str, fetcher: Fetcher, states: Mapping[str, SourceState]) -> Discovery:
    try:
        fetched = fetcher.get(url, states.get(url))
        if fetched.not_modified:
            return Discovery(not_modified=[url])
        body = _gunzipped(fetched.body, fetcher.config.max_body_bytes)
    except FetchError as exc:
        return Discovery(failures=[exc.failure(url)])
    if _root_element(body) not in _SITEMAP_ROOTS:
        return Discovery(failures=[_bad_sitemap(url, "not sitemap XML", fetched.status)])
    return _from_sitemap(url, fetched, body, fetcher, states, top=False)


def _items(links: Sequence[object], base: str, *, origin: str) -> list[SourceItem]:
    urls = (normalise(link, base) for link in links if isinstance(link, str) and link.strip())
    return [SourceItem(u, kind="url", origin=origin) for u in dict.fromkeys(u for u in urls if u)]


def _gunzipped(body: bytes, max_bytes: int) -> bytes:
    """Sitemaps are often ``.xml.gz`` files (gzip as content, not as Content-Encoding)."""
    if not body.startswith(_GZIP_MAGIC):
        return body
    try:
        return read_body([body], content_encoding="gzip", max_bytes=max_bytes, deadline=math.inf)
    except BodyTooLarge as exc:
        raise FetchError("fetch.too_large", "BodyTooLarge", str(exc)) from None
    except BadContentEncoding as exc:
        raise FetchError("discover.bad_sitemap", "BadGzip", str(exc)) from None


def _root_element(body: bytes) -> bytes | None:
    match = _ROOT_ELEMENT.search(body[:_SNIFF_BYTES])
    return match.group(1) if match else None


def _state(url: str, fetched: Fetched, kind: SourceKind) -> SourceState:
    return SourceState(
        source=url,
        kind=kind,
        etag=fetched.headers.get("etag"),
        last_modified=fetched.headers.get("last-modified"),
    )


def _bad_sitemap(url: str, why: str, status: int) -> Failure:
    return Failure(url, "discover", "discover.bad_sitemap", "BadSitemap", why, status)
