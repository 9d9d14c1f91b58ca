"""Give the C heap's free pages back to the system, where glibc provides the call.

glibc keeps pages freed inside its heap resident until something at the heap's top is freed
too, so a long-lived process holds the high-water mark of every fragmented phase. Two places
free much and then live long: the writer after each batch (Arrow's staging tables and DuckDB's
own C++ objects, everything but its buffers, come from this heap) and each extraction worker
after loading langdetect's profiles from JSON.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to call
        return None
    return trim


_MALLOC_TRIM = _malloc_trim()


def trim_heap() -> None:
    """Release the heap's free pages (a no-op without glibc).

    Measured: after 30,000 synthetic articles the writer held 352 MB, 41 MB of them free in
    the heap, and one call brought it to 325 MB. A worker holds 73 MB after its warm-up
    instead of 79, and 75 MB through a 100k run instead of 80.
    """
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)
