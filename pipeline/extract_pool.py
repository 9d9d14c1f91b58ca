"""Extraction under a per-document time limit, in worker processes that can be killed.

trafilatura can take minutes on a pathological page, and its own timeout uses SIGALRM, which
works only in the main thread (the flow runs batches in threads). A thread cannot be stopped,
but a process can: each extraction runs in a worker process, and a worker that misses its
deadline (or dies, e.g. segfaults in lxml) is killed and replaced, the document fails with
``extract.timeout`` / ``extract.crashed`` and the batch goes on.

The limit counts the worker's CPU time, not the clock: on a busy machine a page gets the same
verdict as on an idle one, so a re-run of the same input fails the same pages. A worker that
stops using CPU without answering is caught by a wall-clock backstop (``WALL_FACTOR`` times
the limit).

A pool built with the whole ``Config`` also runs the rest of the per-document work there
(``Processor.process_timed``: strip, quality, language and compressing the raw input), so
those CPU-bound steps use both cores too and the parent's threads only read, pickle and load.

Workers are plain ``python -c`` subprocesses talking over their stdin/stdout, not
``multiprocessing`` children: spawn and forkserver re-import the caller's ``__main__`` (which
breaks under scripts and notebooks) and fork is unsafe in the flow's threaded process. A
caller thread checks out a worker per document, and at most ``workers`` run (one per core by
default). With more batch threads than workers, a caller that finds every worker busy queues
its document behind one: the document waits in the worker's pipe, and the worker starts it as
soon as it has answered the one before, while that caller's thread collects the reply. Without
the queue a worker sat idle for each hand-over (a thread waking, pickling and writing the page):
~5 % of its time with one worker. Replies come back in order, and a document queued behind one
that times out or crashes goes to another worker, as it was never read. A worker ignores Ctrl-C
and exits when its stdin closes, so none outlives a killed parent for longer than the document
it is working on.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from typing import Any

import psutil

from pipeline.config import Config, ExtractConfig
from pipeline.document import Article, Failure, RawDocument
from pipeline.extract import Extracted, ExtractionError, Extractor
from pipeline.heap import trim_heap
from pipeline.raw import StoredRaw

if sys.platform == "linux":
    import fcntl

EXTRACTED = "extracted"
"""What a processing worker sends between finishing the extraction and replying."""
Processed = tuple[Article | Failure, StoredRaw | None, dict[str, float]]
"""A document's outcome, its packed raw input (articles only) and the stage times it took."""

_WORKER_CODE = "from pipeline.extract_pool import serve; serve()"
_WAIT_SECONDS = 5.0
_START_SECONDS = 120.0
"""A worker imports trafilatura (~0.5 s, far more on a loaded machine) before its deadlines."""
WALL_FACTOR = 10
"""Wall-clock backstop as a multiple of the CPU limit, for a worker that hangs without working."""
_POLL_SECONDS = 0.05
_PIPE_BYTES = 1 << 20
"""The largest pipe an unprivileged Linux process may make by default (``pipe-max-size``)."""


def serve() -> None:
    """Worker entry point: read the config, then answer each request until stdin closes.

    Requests are ``("extract", html, url)`` or, for a pool given the whole config,
    ``("process", RawDocument)``.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    requests, replies = Connection(os.dup(0)), Connection(os.dup(1))
    os.dup2(2, 1)  # stray prints from libraries must not corrupt the reply stream
    try:
        config: ExtractConfig | Config = requests.recv()
        extract, process = _worker_steps(config, replies)
        replies.send("ready")
        while True:
            request = requests.recv()
            if request[0] == "process" and process is not None:
                replies.send(process(request[1]))
                continue
            try:
                replies.send(extract(request[1], url=request[2]))
            except ExtractionError as exc:
                replies.send((exc.reason, str(exc)))
    except (EOFError, OSError):  # the parent closed the pipe or died
        return


class _SignallingExtractor(Extractor):
    """Tells the parent when extraction is done, so its limit covers extraction alone."""

    def __init__(self, config: ExtractConfig, replies: Connection) -> None:
        super().__init__(config)
        self._replies = replies

    def __call__(self, html: str, *, url: str | None = None) -> Extracted:
        try:
            return super().__call__(html, url=url)
        finally:
            self._replies.send(EXTRACTED)


def _worker_steps(
    config: ExtractConfig | Config, replies: Connection
) -> tuple[Extractor, Callable[[RawDocument], Processed] | None]:
    if isinstance(config, ExtractConfig):
        return Extractor(config), None
    from pipeline.cleaner import cleaner_version
    from pipeline.process import Processor  # it imports this module

    # Inside the worker everything runs in-process: the parent enforces the time limit.
    extract = config.extract.model_copy(update={"max_seconds": None})
    processor = Processor(config.model_copy(update={"extract": extract}))
    processor.cleaner_version = cleaner_version(config)  # the time limit is not a cleaner setting
    processor.warm_up()  # lazy loading belongs to the start-up, not to the first page's limit
    trim_heap()  # what loading the profiles freed: ~6 MB a worker
    plain = processor.extract
    assert isinstance(plain, Extractor)
    processor.extract = _SignallingExtractor(extract, replies)
    return plain, processor.process_timed


def _widen(pipe: Connection) -> None:
    """Grow a pipe to hold a whole page (Linux; elsewhere, or past the user's limit, it keeps
    its 64 KB): a request queued behind another then waits in the pipe entire, and the worker
    reads it at once instead of in turns with the writing thread."""
    if sys.platform == "linux":
        with suppress(OSError):
            fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_BYTES)


class _Worker:
    def __init__(self, config: ExtractConfig | Config) -> None:
        root = str(Path(__file__).resolve().parents[1])
        path = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, "-c", _WORKER_CODE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": path},
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.requests = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.replies = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        for pipe in (self.requests, self.replies):
            _widen(pipe)
        self.usage = psutil.Process(self.process.pid)
        self.sent = 0
        """Requests handed to this worker (tickets issued), counted under the pool's lock."""
        self.answered = 0
        """Replies collected: the caller holding ticket ``answered`` reads the next one."""
        self.gone = False
        self._sending = threading.Lock()
        self.requests.send(config)
        try:
            ready = self.replies.poll(_START_SECONDS) and self.replies.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.stop()
            raise RuntimeError(f"the extraction worker did not start within {_START_SECONDS} s")

    def cpu_seconds(self) -> float:
        """CPU time the worker has used so far (0 once it is gone: the reply says why)."""
        try:
            times = self.usage.cpu_times()
        except psutil.Error:
            return 0.0
        return float(times.user + times.system)

    def take_ticket(self) -> int:
        self.sent += 1
        return self.sent - 1

    def send(self, payload: bytes | memoryview) -> None:
        """Write a pickled request. If the worker is dead, its reply pipe tells the caller whose
        turn it is; a caller queued behind finds it gone before its turn."""
        with self._sending, suppress(OSError):
            self.requests.send_bytes(payload)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()  # first: a caller blocked writing a queued request gets EPIPE
        with self._sending:
            self.requests.close()
        self.replies.close()
        self.process.wait(_WAIT_SECONDS)

    def death(self) -> str:
        try:
            code = self.process.wait(_WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            return "it stopped answering"
        return f"signal {-code}" if code < 0 else f"exit code {code}"


class ExtractorPool:
    """Callable like ``Extractor``; safe to share between threads.

    Given ``pipeline`` (the whole config), ``process`` runs a document's every step in a worker.
    At most ``workers`` worker processes run (default: one per CPU core). A caller finding them
    all busy sends its document to a worker that has only one in hand, so the worker starts it
    the moment it answers the one before instead of waiting for the parent's hand-over (~5 % of
    a worker's time); with that queue full too, it waits.
    """

    def __init__(
        self,
        config: ExtractConfig = ExtractConfig(),
        pipeline: Config | None = None,
        workers: int | None = None,
    ) -> None:
        if config.max_seconds is None:
            raise ValueError("ExtractorPool needs extract.max_seconds; use Extractor without one")
        self.options = config
        self.pipeline = pipeline
        self.max_seconds: float = config.max_seconds
        self.workers = workers or os.cpu_count() or 1
        self._idle: list[_Worker] = []
        self._busy: list[_Worker] = []
        self._running = 0
        """Workers started and not stopped: idle, busy or starting."""
        self._free = threading.Condition()

    def __call__(self, html: str, *, url: str | None = None) -> Extracted:
        reply = self._run(("extract", html, url))
        if isinstance(reply, Extracted):
            return reply
        reason, message = reply
        raise ExtractionError(reason, message)

    def process(self, doc: RawDocument) -> Processed:
        """``Processor.process_timed`` in a worker; a timeout or crash fails the document."""
        if self.pipeline is None:
            raise ValueError("ExtractorPool.process needs the pool to be built with pipeline=")
        try:
            processed: Processed = self._run(("process", doc))
        except ExtractionError as exc:
            return Failure(doc.source, "extract", exc.reason, "ExtractionError", str(exc)), None, {}
        return processed

    def _run(self, request: tuple[object, ...]) -> Any:
        payload = ForkingPickler.dumps(request)
        while True:
            worker, ticket = self._checkout()
            try:
                worker.send(payload)  # may be the queue behind another caller's document
                if not self._await_turn(worker, ticket):
                    continue  # the document before ours failed and took the worker unread
                reply = self._answer(worker)
            except BaseException:
                self._discard(worker)
                raise
            self._checkin(worker)
            return reply

    def _answer(self, worker: _Worker) -> Any:
        """Wait for the reply: ``max_seconds`` for the extraction, and as long again for the
        steps after it when the worker reports the extraction done."""
        try:
            reply = self._reply(worker)
            return self._reply(worker) if reply == EXTRACTED else reply
        except (EOFError, OSError):
            raise ExtractionError(
                "extract.crashed", f"the extraction process died ({worker.death()})"
            ) from None

    def _reply(self, worker: _Worker) -> Any:
        """The worker's next message, unless it uses ``max_seconds`` of CPU first."""
        cpu_start = worker.cpu_seconds()
        deadline = time.monotonic() + self.max_seconds * WALL_FACTOR
        while not worker.replies.poll(min(_POLL_SECONDS, self.max_seconds)):
            used = worker.cpu_seconds() - cpu_start
            if used > self.max_seconds or time.monotonic() > deadline:
                raise ExtractionError(
                    "extract.timeout",
                    f"extraction took longer than extract.max_seconds ({self.max_seconds:g} s"
                    f" of CPU time; {used:.1f} s used)",
                )
        return worker.replies.recv()

    def close(self) -> None:
        """Stop the idle workers; a pool stays usable and starts new ones when called again."""
        with self._free:
            idle, self._idle = self._idle, []
            self._running -= len(idle)
            self._free.notify_all()
        for worker in idle:
            worker.stop()

    def _checkout(self) -> tuple[_Worker, int]:
        """A worker for one request and the request's place in its queue (its ticket)."""
        with self._free:
            while not self._idle and self._running >= self.workers:
                if queue := next((w for w in self._busy if w.sent - w.answered == 1), None):
                    return queue, queue.take_ticket()
                self._free.wait()
            if self._idle:
                worker = self._idle.pop()
                self._busy.append(worker)
                return worker, worker.take_ticket()
            self._running += 1
        try:
            worker = _Worker(self.pipeline or self.options)
        except BaseException:
            self._forget()
            raise
        with self._free:
            self._busy.append(worker)
            return worker, worker.take_ticket()

    def _await_turn(self, worker: _Worker, ticket: int) -> bool:
        """Wait until the requests before ours are answered; False if the worker is gone first."""
        with self._free:
            while worker.answered != ticket and not worker.gone:
                self._free.wait()
            return worker.answered == ticket

    def _checkin(self, worker: _Worker) -> None:
        with self._free:
            worker.answered += 1
            if worker.answered == worker.sent:
                self._busy.remove(worker)
                self._idle.append(worker)
            self._free.notify_all()

    def _discard(self, worker: _Worker) -> None:
        """Stop a worker that failed or timed out; a request queued behind is sent elsewhere and a
        waiting caller may start a new one."""
        worker.stop()
        with self._free:
            if worker.gone:
                return
            worker.gone = True
            self._busy.remove(worker)
            self._running -= 1
            self._free.notify_all()

    def _forget(self) -> None:
        with self._free:
            self._running -= 1
            self._free.notify_all()


def make_extractor(
    config: ExtractConfig, pipeline: Config | None = None, workers: int | None = None
) -> Extractor | ExtractorPool:
    """The extractor the config asks for: time-limited in workers, or in-process without a limit."""
    if config.max_seconds is None:
        return Extractor(config)
    return ExtractorPool(config, pipeline, workers)
