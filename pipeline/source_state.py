"""Per-source incremental state, and when it may be committed.

A feed's new ETag may only be stored once every article it led to is in the warehouse:
stored earlier, a crash would leave the next run with a 304 and the missing articles would
never be fetched. So the state of a source travels with the batch holding its last item
(dlt's rule: state is committed with the data), and is held back entirely when one of its
items failed in a way a later run could fix (a timeout, a 5xx).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from pipeline.document import Failure

SourceKind = Literal["feed", "sitemap", "sitemap_index", "page"]

TRANSIENT_REASONS = frozenset(
    {
        "fetch.connection",
        "fetch.timeout",
        "fetch.rate_limited",
        "fetch.http_server_error",
        "fetch.robots_disallowed",
    }
)
"""Failures a later run may not repeat: a source with one of these keeps its old state."""


@dataclass(frozen=True, slots=True)
class SourceState:
    """What to send next time so an unchanged source answers 304."""

    source: str
    kind: SourceKind
    etag: str | None = None
    last_modified: str | None = None


class StateLedger:
    """Decides, batch by batch, which source states are due to be committed.

    ``batches`` lists, for each batch the flow will load, the ``(locator, origin)`` of its
    items in order; a state whose origin has no item is due at the end of the run.
    """

    def __init__(
        self, states: Iterable[SourceState], batches: Sequence[Sequence[tuple[str, str | None]]]
    ) -> None:
        self._states = {state.source: state for state in states}
        self._origin_of: dict[str, str] = {}
        self._last_batch: dict[str, int] = {}
        for index, batch in enumerate(batches):
            for locator, origin in batch:
                if origin is not None:
                    self._origin_of[locator] = origin
                    self._last_batch[origin] = index
        self._held_back: set[str] = set()

    def due(self, index: int, failures: Iterable[Failure]) -> list[SourceState]:
        """States to commit with batch ``index``, given the failures that batch recorded."""
        self.note(failures)
        return self._release([s for s in self._states if self._last_batch.get(s) == index])

    def remaining(self, failures: Iterable[Failure] = ()) -> list[SourceState]:
        """States not committed with any batch (sources without new items): commit at the end."""
        self.note(failures)
        return self._release(list(self._states))

    def note(self, failures: Iterable[Failure]) -> None:
        """Hold back the state of every source one of ``failures`` came from, if transient."""
        for failure in failures:
            if failure.reason in TRANSIENT_REASONS:
                self._held_back.add(self._origin_of.get(failure.source, failure.source))

    def _release(self, sources: list[str]) -> list[SourceState]:
        released = [self._states.pop(source) for source in sources]
        return [state for state in released if state.source not in self._held_back]
