"""Bytes to text: declared charsets first, then detection, and a clear refusal otherwise.

Shared by local files and (later) HTTP bodies, so both fail the same way with the same codes.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]{2,40})""", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SNIFF_BYTES = 4096


class DecodeError(Exception):
    """Raised with a reason code (``read.binary`` or ``read.undecodable``) for the failure row."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def decode(data: bytes, *, declared: str | None = None, html: bool = False) -> str:
    """Decode ``data``: BOM, UTF-8, declared charset, HTML meta charset, then detection.

    Bytes that are valid UTF-8 are read as UTF-8 whatever a header or meta tag claims: other
    encodings almost never produce valid multi-byte UTF-8 by chance, while servers and pages
    often mislabel. A declared charset that fails to decode is skipped, not trusted.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(data.decode(encoding, errors="strict"))
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise DecodeError("read.binary", "the data contains NUL bytes: not text")
    candidates = ["utf-8"]
    if declared:
        candidates.append(declared)
    if html and (match := _META_CHARSET.search(data[:_SNIFF_BYTES])):
        candidates.append(match.group(1).decode("ascii", "ignore"))
    for encoding in candidates:
        try:
            return _checked(data.decode(_normalise(encoding), errors="strict"))
        except (LookupError, UnicodeDecodeError):
            continue
    if (mostly := _mostly_utf8(data)) is not None:
        return _checked(mostly)
    best = charset_normalizer.from_bytes(data[:1_000_000]).best()
    if best is None:
        raise DecodeError("read.undecodable", "no text encoding decodes these bytes")
    try:
        return _checked(data.decode(best.encoding, errors="strict"))
    except UnicodeDecodeError as exc:
        raise DecodeError(
            "read.undecodable", f"bytes are not valid {best.encoding} either: {exc.reason}"
        ) from None


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few bad bytes (pages pasted together from two encodings), else None.

    When most non-ASCII characters are valid multi-byte UTF-8, the page is UTF-8 and the rest
    is damage: replacing the bad bytes keeps every good character, where guessing a single-byte
    encoding for the whole page would garble them all. Legacy-encoded pages have almost no
    valid multi-byte sequences, so they still go to detection.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for char in text if char > "\x7f") - bad
    return text if good > bad else None


def _normalise(encoding: str) -> str:
    # Browsers read pages labelled latin-1 / ascii as windows-1252; so do we.
    name = codecs.lookup(encoding).name
    return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name


def _checked(text: str) -> str:
    sample = text[:_SNIFF_BYTES]
    if sample and len(_CONTROL.findall(sample)) > len(sample) * 0.05:
        raise DecodeError("read.binary", "the data is mostly control characters: not text")
    return text
