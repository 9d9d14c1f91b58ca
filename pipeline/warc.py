"""WARC archives (e.g. Common Crawl News) as a local source, read with warcio.

Only HTML ``response`` records become documents, with their target URI and WARC-Date; the
rest of an archive (requests, metadata, robots.txt, images) is not news and is passed over
silently. Records are streamed, so an archive of any size reads in constant memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from pipeline.decode import DecodeError, decode
from pipeline.document import Failure, RawDocument

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.I)


def read_warc(path: Path, *, max_bytes: int) -> Iterator[RawDocument | Failure]:
    """Yield one document per HTML response record (``path#N`` for the N-th record)."""
    try:
        with path.open("rb") as stream:
            for number, record in enumerate(ArchiveIterator(stream), start=1):
                if not record.format.startswith("warc"):
                    # warcio also reads legacy ARC, and takes most non-WARC text for it.
                    raise ValueError(f"record {number} is not a WARC record")
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                content_type = record.http_headers.get_header("Content-Type") or ""
                if not content_type.split(";")[0].strip().lower().startswith(_HTML_TYPES):
                    continue
                yield _document(f"{path}#{number}", record, content_type, max_bytes)
    except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
        yield Failure(str(path), "read", "read.bad_warc", type(exc).__name__, str(exc))


def _document(
    source: str, record: object, content_type: str, max_bytes: int
) -> RawDocument | Failure:
    data = record.content_stream().read(max_bytes + 1)  # type: ignore[attr-defined]
    if len(data) > max_bytes:
        return Failure(
            source, "read", "read.too_large", "InputTooLarge", f"record over {max_bytes} bytes"
        )
    charset = _CHARSET.search(content_type)
    try:
        text = decode(data, declared=charset.group(1) if charset else None, html=True)
    except DecodeError as exc:
        return Failure(source, "read", exc.reason, "DecodeError", str(exc))
    headers = record.rec_headers  # type: ignore[attr-defined]
    date = headers.get_header("WARC-Date")
    return RawDocument(
        source=source,
        content=text,
        kind="html",
        url=headers.get_header("WARC-Target-URI"),
        fetched_at=datetime.fromisoformat(date) if date else None,
    )
