"""A context variable set for the length of a ``with`` block.

presswash's exact shortcuts into trafilatura (``fallback_gate``, ``raw_prune``,
``basic_clean``) each hold only while presswash's ``Extractor`` runs, so every other caller
in the process, such as the bench's reference loops, gets trafilatura as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")


@contextmanager
def scoped(variable: ContextVar[T], value: T) -> Iterator[None]:
    """``variable`` holds ``value`` within the block and what it held before after it."""
    token = variable.set(value)
    try:
        yield
    finally:
        variable.reset(token)
