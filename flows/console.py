"""The progress bar an interactive ``presswash ingest`` shows on stderr."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} docs/s" if speed else "– docs/s", style="progress.data.speed")


class ProgressBar:
    """Documents processed, docs/s, ETA and failures so far; a no-op when disabled.

    It listens to ``flows.progress``: discovery sets the total (source items; a JSONL file
    counts as one item but may hold many documents, so the bar grows its total if needed).
    """

    def __init__(self, *, enabled: bool) -> None:
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._failures = 0
        if enabled:
            self._progress = Progress(
                TextColumn("[bold]ingest"),
                BarColumn(),
                MofNCompleteColumn(),
                _RateColumn(),
                TimeElapsedColumn(),
                TextColumn("eta"),
                TimeRemainingColumn(),
                TextColumn("{task.fields[failures]} failed"),
                console=Console(stderr=True),
                transient=True,
            )

    def __enter__(self) -> ProgressBar:
        if self._progress is not None:
            self._progress.start()
            self._task = self._progress.add_task("ingest", total=None, failures=0)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def discovered(self, documents: int) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, total=documents)

    def committed(self, documents: int, failures: int) -> None:
        if self._progress is None or self._task is None:
            return
        self._failures += failures
        task = self._progress.tasks[0]
        if task.total is not None and task.completed + documents > task.total:
            self._progress.update(self._task, total=task.completed + documents)
        self._progress.update(self._task, advance=documents, failures=self._failures)
