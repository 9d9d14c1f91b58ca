"""kill -9 a real ``presswash ingest`` at random points, then check the warehouse.

After every kill the file opens, holds only whole batches, and the killed run is not
``completed``; a final run then leaves exactly the rows an uninterrupted run leaves.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb

from tests.flows.test_ingest import ARTICLE

DOCUMENTS = 300
PREFECT_LOG = re.compile(r"\d\d:\d\d:\d\d\.\d+ \| ")
BATCH = 10
KILLS = 4


def write_corpus(root: Path) -> None:
    """Text and HTML articles that each become one article with removed lines."""
    for i in range(DOCUMENTS):
        body = [f"{line} (story {i})" if n != 2 else line for n, line in enumerate(ARTICLE[:4])]
        if i % 5:
            (root / f"{i:03d}.txt").write_text(f"Story number {i}\n" + "\n".join(body))
        else:
            paragraphs = "".join(f"<p>{line}</p>" for line in body)
            (root / f"{i:03d}.html").write_text(
                f"<html><head><title>Story number {i}</title></head><body><article>"
                f"<h1>Story number {i}</h1>{paragraphs}</article></body></html>"
            )


def snapshot(db: Path) -> dict[str, object]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            # each article with its content hash and how many removed lines it has
            "articles": con.execute(
                "SELECT a.article_id, a.content_sha256, count(r.article_id) FROM articles AS a"
                " LEFT JOIN removed_lines AS r USING (article_id) GROUP BY 1, 2 ORDER BY 1"
            ).fetchall(),
            "orphans": con.execute(
                "SELECT count(*) FROM removed_lines ANTI JOIN articles USING (article_id)"
            ).fetchone(),
            "runs": con.execute(
                "SELECT run_id, status, finished_at IS NULL FROM runs ORDER BY started_at"
            ).fetchall(),
        }


def start(corpus: Path, db: Path, config: Path, *, quiet: bool = True) -> subprocess.Popen[bytes]:
    from prefect.settings import PREFECT_API_URL

    # INFO: the load task's "committed: ..." lines tell the kill loop where the run is;
    # with -q they must not reach the terminal all the same. The console handler's level
    # comes from the test, not from whoever started pytest.
    env = {
        **{k: v for k, v in os.environ.items() if k != "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"},
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
        "PREFECT_LOGGING_LEVEL": "INFO",
    }
    presswash = Path(sys.executable).with_name("presswash")
    return subprocess.Popen(
        [str(presswash), "ingest", str(corpus), "--db", str(db), "--config", str(config)]
        + (["-q"] if quiet else []),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill takes its workers too
    )


def after_commits(process: subprocess.Popen[bytes], batches: int) -> threading.Event:
    """Set once ``process`` has logged ``batches`` committed batches; drains its stderr."""
    reached = threading.Event()

    def read() -> None:
        assert process.stderr is not None
        seen = 0
        if batches == 0:
            reached.set()
        for line in process.stderr:
            seen += b"committed: " in line
            if seen >= batches:
                reached.set()

    threading.Thread(target=read, daemon=True).start()
    return reached


def test_kill_9_at_random_points_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_corpus(corpus)
    config = tmp_path / "c.yaml"
    config.write_text(f"flow:\n  batch_size: {BATCH}\n")

    reference = tmp_path / "reference.duckdb"
    began = time.monotonic()
    done = start(corpus, reference, config)
    errors = done.communicate(timeout=120)[1]
    assert (done.returncode, errors) == (0, b""), "-q printed Prefect's INFO logs"
    full = time.monotonic() - began
    expected = snapshot(reference)
    assert len(expected["articles"]) == DOCUMENTS  # type: ignore[arg-type]

    db = tmp_path / "crashed.duckdb"
    rng = random.Random(8)
    committed: list[int] = []
    outcomes: list[str] = []
    # Kill after the k-th committed batch of the run (k = 0: while it starts up), a little
    # later still so the kill can land mid-batch. Counting commits rather than seconds keeps
    # the kills inside the run however fast this machine is today.
    for after_batches in [0, *rng.sample(range(1, DOCUMENTS // BATCH - 2), KILLS - 1)]:
        victim = start(corpus, db, config, quiet=False)
        reached = after_commits(victim, after_batches)
        assert reached.wait(120), "the run ended before the kill"
        time.sleep(rng.uniform(0.0, 0.3 if after_batches else 0.25 * full))
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait(30)
        if not db.exists():
            committed.append(0)
            outcomes.append("killed before opening the warehouse")
            continue
        state = snapshot(db)  # the file opens (the log is replayed)
        articles = len(state["articles"])  # type: ignore[arg-type]
        committed.append(articles)
        assert articles % BATCH == 0, "a half batch is visible"
        # every stored article is exactly as an uninterrupted run stores it, removed lines too
        assert set(state["articles"]) <= set(expected["articles"])  # type: ignore[call-overload]
        assert state["orphans"] == (0,)
        if not state["runs"]:  # killed while discovering, before the run was registered
            assert articles == 0
            outcomes.append("killed before the run was registered")
            continue
        *earlier, (_, status, unfinished) = state["runs"]  # type: ignore[misc]
        outcomes.append(status)
        # the killed run is `running` (incomplete), unless the kill came after its last write
        assert (status, unfinished) == ("running", True) or (status, articles) == (
            "completed",
            DOCUMENTS,
        )
        # an earlier run that did not complete was marked failed by the next one to start
        assert all(s == "completed" or (s, end) == ("failed", True) for _, s, end in earlier)
    print(f"\nfull run {full:.1f} s; after each kill: articles {committed}, run {outcomes}")
    assert any(0 < n < DOCUMENTS for n in committed), "no kill landed in the middle of a run"

    final = start(corpus, db, config)
    assert final.wait(120) == 0, final.stderr.read() if final.stderr else ""
    after = snapshot(db)
    assert after["articles"] == expected["articles"]
    assert after["orphans"] == (0,)
    statuses = [status for _, status, _ in after["runs"]]  # type: ignore[attr-defined]
    assert statuses[-1] == "completed"
    assert set(statuses[:-1]) <= {"failed", "completed"}


def test_two_ingests_at_once_wait_in_turn_or_fail_with_a_sentence(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_corpus(corpus)
    db = tmp_path / "w.duckdb"
    waiting, impatient = tmp_path / "wait.yaml", tmp_path / "no-wait.yaml"
    waiting.write_text("warehouse:\n  lock_timeout_seconds: 120\n")
    impatient.write_text("warehouse:\n  lock_timeout_seconds: 0\n")

    pair = [start(corpus, db, waiting), start(corpus, db, waiting)]
    codes = [p.wait(180) for p in pair]
    assert codes == [0, 0], [p.stderr.read().decode()[-2000:] for p in pair if p.stderr]
    state = snapshot(db)
    assert len(state["articles"]) == DOCUMENTS  # type: ignore[arg-type]
    assert [s for _, s, _ in state["runs"]] == ["completed", "completed"]  # type: ignore[attr-defined]

    first = start(corpus, db, waiting)
    time.sleep(0.5)
    second = start(corpus, db, impatient)
    codes = [first.wait(180), second.wait(180)]
    errors = [p.stderr.read().decode() if p.stderr else "" for p in (first, second)]
    if codes == [0, 0]:  # the first had not opened the file yet when the second asked
        return
    assert sorted(codes) == [0, 1]
    # Prefect logs the failed flow run around it (its event worker may still log at exit);
    # presswash's own sentence is the last line that is not a Prefect log record
    own = [line for line in errors[codes.index(1)].splitlines() if not PREFECT_LOG.match(line)]
    last_line = own[-1]
    assert last_line.startswith(f"Error: {db} is in use by another process (PID ")
    assert last_line.endswith("wait for it to finish or use --db to write elsewhere")
    after = snapshot(db)
    assert after["articles"] == state["articles"]
    assert [s for _, s, _ in after["runs"]] == ["completed"] * 3  # type: ignore[attr-defined]
