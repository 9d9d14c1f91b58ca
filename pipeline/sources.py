"""Where documents come from: discovery (cheap, a list of items) and reading (per item).

Discovery and reading are split so a flow can batch items before doing any I/O, and so a
remote source only has to add its own item kind: a URL item is read by fetching instead of
opening a file.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pipeline.decode import DecodeError, decode
from pipeline.document import Failure, Kind, RawDocument
from pipeline.warc import read_warc

SUFFIXES: dict[str, Kind | None] = {
    ".html": "html",
    ".htm": "html",
    ".html.gz": "html",
    ".htm.gz": "html",
    ".txt": "text",
    ".jsonl": None,
    ".warc": None,
    ".warc.gz": None,
    ".urls": None,
}
"""File name endings presswash reads, and the kind of document each holds (None: per record).

A ``.urls`` file is a list of article URLs, one per line (``#`` starts a comment); its URLs
become items to fetch at discovery.
"""

ItemKind = Literal["file", "url"]

_MAX_URL_LIST_BYTES = 50_000_000
_HEADLINE_MAX_CHARS = 160
_HEADLINE_MAX_WORDS = 25
_SENTENCE_END = re.compile(r"[.!?…:;]['\"”’»)]*$")


@dataclass(frozen=True, slots=True)
class SourceItem:
    """One unit of reading: a file (read here) or a URL (fetched by ``pipeline.fetch``)."""

    locator: str
    kind: ItemKind = "file"
    origin: str | None = None
    """The feed or sitemap a URL came from: its state commits with this item's batch."""


_LONGEST_FIRST = sorted(SUFFIXES, key=len, reverse=True)


def suffix_of(path: Path | str) -> str | None:
    name = os.path.basename(path).lower()
    return next((s for s in _LONGEST_FIRST if name.endswith(s)), None)


def discover(paths: Iterable[str]) -> tuple[list[SourceItem], list[Failure]]:
    """Expand files and directories into readable items, sorted for reproducible batches.

    Directories are walked without following symlinks, so a link loop cannot hang discovery;
    files with other endings inside directories are skipped silently, but a file named
    explicitly that presswash cannot read is a failure the user should see. URL lists
    (``.urls``) expand into URL items here, since reading them needs no network.
    """
    files: list[str] = []
    failures: list[Failure] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(_files_under(os.path.realpath(path)))
        elif path.is_file() and suffix_of(path):
            files.append(os.path.realpath(path))
        elif path.is_file():
            failures.append(
                _failure(
                    str(path),
                    "read.unsupported",
                    "UnsupportedFile",
                    f"presswash reads {', '.join(SUFFIXES)} files",
                )
            )
        else:
            failures.append(
                _failure(
                    str(path), "read.missing", "FileNotFoundError", "no such file or directory"
                )
            )
    items: list[SourceItem] = []
    for file in files:
        if suffix_of(file) == ".urls":
            try:
                items.extend(_url_list(Path(file)))
            except _ReadError as exc:
                failures.append(_failure(file, exc.reason, exc.error_class, str(exc)))
        else:
            items.append(SourceItem(file))
    return list(dict.fromkeys(items)), failures


def _files_under(directory: str) -> Iterator[str]:
    """The readable files under a resolved directory, in path order, as resolved strings.

    Strings, not ``Path`` objects, and no ``resolve()`` per file: only file symlinks need
    resolving below a resolved directory. Measured on 100,000 files, discovery had left the
    ingest's main process 106 MB larger for the whole run; this way it leaves 23 MB, in 0.3x
    the time.
    """
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:  # unreadable: skipped, as os.walk does
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _files_under(entry.path)
        elif suffix_of(entry.name) and not entry.is_dir():  # a link to a directory is skipped
            yield os.path.realpath(entry.path) if entry.is_symlink() else entry.path


def read_item(item: SourceItem, *, max_bytes: int) -> Iterator[RawDocument | Failure]:
    """Read one item; every problem becomes a Failure so one bad file never stops a run."""
    path = Path(item.locator)
    suffix = suffix_of(path)
    if suffix in (".warc", ".warc.gz"):
        yield from read_warc(path, max_bytes=max_bytes)
        return
    try:
        data = _read_bytes(path, max_bytes=max_bytes, gz=bool(suffix and suffix.endswith(".gz")))
    except _ReadError as exc:
        yield _failure(item.locator, exc.reason, exc.error_class, str(exc))
        return
    if suffix == ".jsonl":
        yield from _jsonl_documents(item.locator, data)
        return
    kind = SUFFIXES.get(suffix or "")
    if kind is None:
        yield _failure(item.locator, "read.unsupported", "UnsupportedFile", "unknown file type")
        return
    try:
        text = decode(data, html=kind == "html")
    except DecodeError as exc:
        yield _failure(item.locator, exc.reason, "DecodeError", str(exc))
        return
    if not text.strip():
        yield _failure(item.locator, "read.empty", "EmptyInput", "the file holds no text")
    elif kind == "text":
        title, body = split_headline(text)
        yield RawDocument(source=item.locator, content=body, kind="text", title=title)
    else:
        yield RawDocument(source=item.locator, content=text, kind="html")


def _url_list(path: Path) -> list[SourceItem]:
    """One URL per line; blank lines and lines starting with ``#`` are skipped."""
    try:
        text = decode(_read_bytes(path, max_bytes=_MAX_URL_LIST_BYTES, gz=False))
    except DecodeError as exc:
        raise _ReadError(exc.reason, "DecodeError", str(exc)) from None
    lines = (line.strip() for line in text.splitlines())
    return [SourceItem(line, kind="url") for line in lines if line and not line.startswith("#")]


def split_headline(text: str) -> tuple[str | None, str]:
    """Use a first line that looks like a headline (short, no closing punctuation) as the title."""
    first, sep, rest = text.strip().partition("\n")
    first = first.strip()
    is_headline = (
        sep
        and rest.strip()
        and len(first) <= _HEADLINE_MAX_CHARS
        and len(first.split()) <= _HEADLINE_MAX_WORDS
        and not _SENTENCE_END.search(first)
    )
    return (first, rest.strip()) if is_headline else (None, text.strip())


class _ReadError(Exception):
    def __init__(self, reason: str, error_class: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.error_class = error_class


def _read_bytes(path: Path, *, max_bytes: int, gz: bool) -> bytes:
    try:
        # O_NONBLOCK: opening a FIFO named like an article must not wait for a writer forever.
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as raw:
            if not stat.S_ISREG(os.fstat(raw.fileno()).st_mode):
                raise _ReadError("read.unsupported", "NotARegularFile", "not a regular file")
            if not gz:
                data = raw.read(max_bytes + 1)
            else:
                with gzip.GzipFile(fileobj=raw) as unzipped:
                    data = unzipped.read(max_bytes + 1)
    except _ReadError:
        raise
    except FileNotFoundError:
        raise _ReadError("read.missing", "FileNotFoundError", "the file disappeared") from None
    except PermissionError:
        raise _ReadError("read.permission", "PermissionError", "permission denied") from None
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise _ReadError("read.bad_gzip", type(exc).__name__, f"corrupt gzip data: {exc}") from None
    except OSError as exc:
        raise _ReadError("read.missing", type(exc).__name__, str(exc)) from None
    if len(data) > max_bytes:
        raise _ReadError(
            "read.too_large",
            "InputTooLarge",
            f"larger than sources.max_file_bytes ({max_bytes} bytes)",
        )
    return data


def _jsonl_documents(locator: str, data: bytes) -> Iterator[RawDocument | Failure]:
    try:
        text = decode(data)
    except DecodeError as exc:
        yield _failure(locator, exc.reason, "DecodeError", str(exc))
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        source = f"{locator}#{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _failure(source, "read.bad_record", "JSONDecodeError", str(exc))
            continue
        if not isinstance(record, dict):
            yield _failure(source, "read.bad_record", "TypeError", "the line is not a JSON object")
            continue
        yield _record_document(source, record)


def _record_document(source: str, record: dict[str, object]) -> RawDocument | Failure:
    content, kind = record.get("html"), "html"
    if not isinstance(content, str) or not content.strip():
        content, kind = record.get("text"), "text"
    if not isinstance(content, str) or not content.strip():
        return _failure(
            source,
            "read.missing_field",
            "MissingField",
            "the record has no non-empty `text` or `html` string",
        )
    url, title = record.get("url"), record.get("title")
    return RawDocument(
        source=source,
        content=content,
        kind="html" if kind == "html" else "text",
        url=url if isinstance(url, str) and url else None,
        title=title if isinstance(title, str) and title.strip() else None,
    )


def _failure(source: str, reason: str, error_class: str, message: str) -> Failure:
    return Failure(
        source=source,
        stage=reason.split(".")[0],
        reason=reason,
        error_class=error_class,
        message=message,
    )
