import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from pipeline.config import ExtractConfig, parse_config
from pipeline.document import Article, Failure
from pipeline.extract import ExtractionError, Extractor
from pipeline.extract_pool import WALL_FACTOR, ExtractorPool, make_extractor
from pipeline.process import Processor
from pipeline.sources import SourceItem
from tests.pipeline.test_extract import PAGE

SENTENCE = "The council approved the new budget after a long debate about schools and roads. "
SLOW_PAGE = "<html><body>" + f"<p>{SENTENCE * 3}</p>" * 20_000 + "</body></html>"
"""5 MB of paragraphs: trafilatura needs 1.5-4 s for it, far above the 0.3 s limit below."""
LIMIT = 0.3


@pytest.fixture
def pool() -> Iterator[ExtractorPool]:
    # One worker: a timed-out or dead worker must give its place back, or the next call hangs.
    extractor = ExtractorPool(ExtractConfig(max_seconds=LIMIT), workers=1)
    yield extractor
    extractor.close()


def test_workers_extract_exactly_what_the_in_process_extractor_does(pool: ExtractorPool) -> None:
    assert pool(PAGE, url="https://x.test/a") == Extractor()(PAGE, url="https://x.test/a")


def test_extraction_errors_keep_their_reason(pool: ExtractorPool) -> None:
    with pytest.raises(ExtractionError) as caught:
        pool("<html><body><script>var a = 1;</script></body></html>")
    assert caught.value.reason == "extract.empty"


def test_a_slow_page_times_out_and_the_next_page_still_extracts(pool: ExtractorPool) -> None:
    pool(PAGE)  # the worker is started and warm: only the slow page counts
    start = time.perf_counter()
    with pytest.raises(ExtractionError) as caught:
        pool(SLOW_PAGE)
    assert caught.value.reason == "extract.timeout"
    assert "extract.max_seconds (0.3 s of CPU time" in str(caught.value)
    assert time.perf_counter() - start < LIMIT * WALL_FACTOR + 1
    assert pool(PAGE).title == Extractor()(PAGE).title


def test_the_limit_counts_cpu_time_so_a_stalled_machine_does_not_fail_a_page(
    pool: ExtractorPool,
) -> None:
    pool(PAGE)
    (worker,) = pool._idle
    worker.process.send_signal(signal.SIGSTOP)  # as if other processes took every core
    threading.Timer(3 * LIMIT, worker.process.send_signal, [signal.SIGCONT]).start()
    start = time.perf_counter()
    assert pool(PAGE).text == Extractor()(PAGE).text
    assert time.perf_counter() - start >= 3 * LIMIT


def test_a_worker_that_hangs_without_using_cpu_is_stopped_by_the_wall_clock(
    pool: ExtractorPool,
) -> None:
    pool(PAGE)
    (worker,) = pool._idle
    worker.process.send_signal(signal.SIGSTOP)
    with pytest.raises(ExtractionError) as caught:
        pool(PAGE)
    assert caught.value.reason == "extract.timeout"
    assert worker.process.poll() is not None  # killed, not left stopped
    assert pool(PAGE).text


def test_a_dead_worker_is_reported_and_replaced(pool: ExtractorPool) -> None:
    pool(PAGE)
    (worker,) = pool._idle
    worker.process.kill()
    worker.process.wait()
    with pytest.raises(ExtractionError) as caught:
        pool(PAGE)
    assert caught.value.reason == "extract.crashed"
    assert "signal 9" in str(caught.value)
    assert pool(PAGE).text


def test_threads_get_their_own_workers(request: pytest.FixtureRequest) -> None:
    pool = ExtractorPool(ExtractConfig(max_seconds=30), workers=2)
    request.addfinalizer(pool.close)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def work() -> None:
        barrier.wait()
        results.append(pool(PAGE).text)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [Extractor()(PAGE).text] * 2
    assert 1 <= len(pool._idle) <= 2
    assert len({w.process.pid for w in pool._idle}) == len(pool._idle)


def test_more_callers_than_workers_wait_for_one(pool: ExtractorPool) -> None:
    """Three batch threads on one worker: each document waits for it, none starts another."""
    with ThreadPoolExecutor(max_workers=3) as threads:
        texts = list(threads.map(lambda _: pool(PAGE).text, range(6)))
    assert texts == [Extractor()(PAGE).text] * 6
    assert len(pool._idle) == 1


def _when(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.01)


def test_a_busy_worker_already_holds_the_next_document(pool: ExtractorPool) -> None:
    """The second caller's document is in the worker's pipe before the first one's reply, so
    the worker goes on without waiting for the parent; the replies keep their callers."""
    pool(PAGE)
    (worker,) = pool._idle
    worker.process.send_signal(signal.SIGSTOP)  # hold the first document in flight
    other = PAGE.replace("Northern pier", "Southern quay")
    with ThreadPoolExecutor(max_workers=2) as threads:
        first = threads.submit(pool, PAGE)
        _when(lambda: worker.sent == 2)
        second = threads.submit(pool, other)
        _when(lambda: worker.sent == 3)
        assert worker.answered == 1  # both sent, neither answered
        worker.process.send_signal(signal.SIGCONT)
        assert first.result() == Extractor()(PAGE)
        assert second.result() == Extractor()(other) != first.result()
    assert pool._idle == [worker]


@pytest.mark.parametrize("failure", ["timeout", "crashed"])
def test_a_document_queued_behind_a_failing_one_moves_to_a_new_worker(
    pool: ExtractorPool, failure: str
) -> None:
    pool(PAGE)
    (worker,) = pool._idle
    with ThreadPoolExecutor(max_workers=2) as threads:
        first = threads.submit(pool, SLOW_PAGE)
        _when(lambda: worker.sent == 2)
        queued = threads.submit(pool, PAGE)
        _when(lambda: worker.sent == 3)
        if failure == "crashed":
            worker.process.kill()
        with pytest.raises(ExtractionError) as caught:
            first.result()
        assert caught.value.reason == f"extract.{failure}"
        assert queued.result().text == Extractor()(PAGE).text
    (replacement,) = pool._idle
    assert replacement is not worker and worker.process.poll() is not None


def test_a_worker_exits_when_its_parent_goes_away(pool: ExtractorPool) -> None:
    pool(PAGE)
    (worker,) = pool._idle
    worker.requests.close()  # what the kernel does to the pipe when the parent dies
    assert worker.process.wait(10) == 0


def test_no_limit_means_in_process_extraction() -> None:
    assert type(make_extractor(ExtractConfig(max_seconds=None))) is Extractor
    assert type(make_extractor(ExtractConfig())) is ExtractorPool
    with pytest.raises(ValueError, match="max_seconds"):
        ExtractorPool(ExtractConfig(max_seconds=None))


def test_a_timeout_fails_one_document_and_the_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a_slow.html").write_text(SLOW_PAGE)
    (tmp_path / "b_good.html").write_text(PAGE)
    processor = Processor(parse_config({"extract": {"max_seconds": LIMIT}}))
    items = [SourceItem(str(tmp_path / name)) for name in ("b_good.html", "a_slow.html")]
    processor.process_items(items[:1])  # warm the worker
    result = processor.process_items(items)
    (article,) = result.articles
    assert isinstance(article, Article) and article.source == items[0].locator
    (failure,) = result.failures
    assert isinstance(failure, Failure)
    assert (failure.source, failure.stage, failure.reason) == (
        items[1].locator,
        "extract",
        "extract.timeout",
    )
