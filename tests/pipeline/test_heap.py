"""Trimming the C heap: freed pages leave the process's resident memory."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's heap")
def test_trim_heap_returns_freed_pages() -> None:
    """60 MB freed inside the heap (its last block still in use, so glibc cannot shrink the
    heap's top by itself) stays resident until the heap is trimmed."""
    code = (
        "import os\n"
        "from pipeline.heap import trim_heap\n"
        "def rss():\n"
        "    with open('/proc/self/statm') as f:\n"
        "        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')\n"
        "blocks = [bytearray(100_000) for _ in range(600)]\n"
        "pinned = blocks[-1]\n"
        "del blocks\n"
        "before = rss()\n"
        "trim_heap()\n"
        "print(before - rss())"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(done.stdout) > 40_000_000
