"""`presswash sql` while a real second process ingests: no errors, no waiting, consistent data.

The ingest runs as a separate `presswash ingest` process (against this session's Prefect
server) and publishes the snapshot after every batch; meanwhile this process queries through
the CLI and keeps one read-only connection open for the whole run, which would stall the
writer if readers touched the live file.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from flows.cli import main
from flows.ingest import ingest
from pipeline.warehouse import snapshot_path

PARAGRAPH = (
    "The city council voted on Monday to extend the night bus network to the northern "
    "districts, after a two-year trial showed that demand had doubled since the pilot began."
)
FIRST, MORE = 4, 24
HOLD_SESSION = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
query = "SELECT count(*) FROM articles"
print(con.execute(query).fetchone()[0], flush=True)
sys.stdin.read()
print(con.execute(query).fetchone()[0], flush=True)
"""


def write_stories(folder: Path, start: int, count: int) -> None:
    folder.mkdir(exist_ok=True)
    for i in range(start, start + count):
        (folder / f"story{i:03}.txt").write_text(f"Night Buses Story {i}\n{PARAGRAPH} ({i})\n")


def test_sql_during_a_concurrent_ingest(tmp_path: Path) -> None:
    from prefect.settings import PREFECT_API_URL

    corpus, db = tmp_path / "corpus", tmp_path / "w.duckdb"
    config = tmp_path / "c.yaml"
    config.write_text("flow:\n  batch_size: 2\nwarehouse:\n  min_snapshot_interval_seconds: 0\n")
    write_stories(corpus, 0, FIRST)
    ingest(sources=[str(corpus)], config_path=str(config), db=str(db))
    write_stories(corpus, FIRST, MORE)

    # Another process keeps a session open on the snapshot all along (in this process it
    # would share DuckDB's cached instance with the CLI's connections and pin the old file).
    held = subprocess.Popen(
        [sys.executable, "-c", HOLD_SESSION, str(snapshot_path(db))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert held.stdout is not None and held.stdout.readline() == f"{FIRST}\n"
    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    writer = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "presswash"),
            *("ingest", str(corpus), "--db", str(db), "--config", str(config)),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    runner = CliRunner()
    query = "SELECT (SELECT count(*) FROM current_articles), (SELECT count(*) FROM articles)"
    seen: list[tuple[int, int]] = []
    failures: list[str] = []
    try:
        while writer.poll() is None:
            result = runner.invoke(main, ["sql", query, "--db", str(db), "--format", "csv"])
            if result.exit_code != 0:
                failures.append(result.output)
            else:
                current, written = next(csv.reader(result.output.splitlines()[1:]))
                seen.append((int(current), int(written)))
            time.sleep(0.1)
        output = writer.communicate(timeout=120)[0]
    finally:
        if writer.poll() is None:
            writer.kill()
        held_output = held.communicate(timeout=60)[0]

    assert writer.returncode == 0, output
    assert failures == []
    assert len(seen) >= 3
    # Batches show up in `articles` as they commit; the views wait for the run to complete.
    written_counts = [w for _, w in seen]
    assert written_counts == sorted(written_counts)
    assert any(FIRST < w < FIRST + MORE for w in written_counts), str(seen)
    assert {c for c, w in seen if w < FIRST + MORE} == {FIRST}
    # The session held open all along still sees the snapshot it opened, and it did not
    # stop the writer from publishing newer ones.
    assert held_output == f"{FIRST}\n"
    final = runner.invoke(main, ["sql", query, "--db", str(db), "--format", "csv"])
    assert final.output.splitlines()[1] == f"{FIRST + MORE},{FIRST + MORE}"
