"""A hook for whoever watches a run in this process (the CLI's progress bar).

The flow reports to it after discovery and after each committed batch; with nobody listening
the calls cost nothing. It is process-local on purpose: the Prefect UI gets its own view of
the same run through task states and logs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol


class ProgressListener(Protocol):
    def discovered(self, documents: int) -> None: ...

    def committed(self, documents: int, failures: int) -> None: ...


_listener: ProgressListener | None = None


@contextmanager
def listening(listener: ProgressListener) -> Iterator[None]:
    global _listener
    previous, _listener = _listener, listener
    try:
        yield
    finally:
        _listener = previous


def discovered(documents: int) -> None:
    if _listener is not None:
        _listener.discovered(documents)


def committed(documents: int, failures: int) -> None:
    if _listener is not None:
        _listener.committed(documents, failures)
