"""Reading a response body within a byte cap, before and after content decoding.

httpx decodes gzip/deflate/brotli chunk by chunk without an output limit, so a few kilobytes
of a compression bomb can expand to gigabytes in one call. Here every decompressor call is
given the remaining budget as its output limit (zlib ``max_length``, brotli >= 1.2
``output_buffer_limit``), so memory never exceeds the cap by more than one read.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterable
from typing import Protocol

import brotli

ACCEPT_ENCODING = "gzip, deflate, br"
CHUNK_BYTES = 16_384
"""Raw bytes per read: the most one decompressor call is fed at once."""


class BodyTooLarge(Exception):
    """The body, as sent or decoded, is larger than allowed."""


class BadContentEncoding(Exception):
    """The body is not valid data in its declared content coding."""


class DeadlineExceeded(Exception):
    """Reading the body took longer than the per-request wall-clock cap."""


class _Decoder(Protocol):
    def feed(self, data: bytes, limit: int) -> bytes: ...


class _ZlibDecoder:
    def __init__(self, wbits: int) -> None:
        self._wbits = wbits
        self._inner = zlib.decompressobj(wbits)
        self._started = False

    def feed(self, data: bytes, limit: int) -> bytes:
        try:
            out = self._inner.decompress(data, limit)
        except zlib.error:
            # "deflate" is zlib-wrapped by the standard and raw in many servers: retry raw once.
            if self._started or self._wbits != zlib.MAX_WBITS:
                raise
            self._inner = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._inner.decompress(data, limit)
        self._started = True
        return out


class _BrotliDecoder:
    def __init__(self) -> None:
        self._inner = brotli.Decompressor()

    def feed(self, data: bytes, limit: int) -> bytes:
        return bytes(self._inner.process(data, output_buffer_limit=limit))


def _decoder(coding: str) -> _Decoder:
    if coding in ("gzip", "x-gzip"):
        return _ZlibDecoder(16 + zlib.MAX_WBITS)
    if coding == "deflate":
        return _ZlibDecoder(zlib.MAX_WBITS)
    if coding == "br":
        return _BrotliDecoder()
    raise BadContentEncoding(f"unsupported Content-Encoding {coding!r}")


def read_body(
    chunks: Iterable[bytes], *, content_encoding: str, max_bytes: int, deadline: float
) -> bytes:
    """Join raw ``chunks``, undoing ``content_encoding``; raise past ``max_bytes`` or ``deadline``.

    A decoder asked for at most "budget + 1" bytes that returns that many proves the body is
    too large without producing the rest.
    """
    codings = [c.strip().lower() for c in content_encoding.split(",")]
    decoders = [_decoder(c) for c in reversed(codings) if c and c != "identity"]
    received = 0
    body = bytearray()
    for chunk in chunks:
        if time.monotonic() > deadline:
            raise DeadlineExceeded("the response took longer than fetch.max_request_seconds")
        received += len(chunk)
        if received > max_bytes:
            raise BodyTooLarge(f"more than {max_bytes} bytes sent")
        data = chunk
        try:
            for decoder in decoders:
                data = decoder.feed(data, max_bytes - len(body) + 1)
        except (zlib.error, brotli.error) as exc:
            raise BadContentEncoding(f"corrupt {content_encoding} body: {exc}") from None
        body += data
        if len(body) > max_bytes:
            raise BodyTooLarge(f"more than {max_bytes} bytes after {content_encoding} decoding")
    return bytes(body)
