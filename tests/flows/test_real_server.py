"""Against a real Prefect server: `presswash ui` starts it, an ingest reports to it, the API
gives the run and its artifact back. Slow (~20-40 s: the server's start-up), so it is one test."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

BIN = Path(sys.executable).parent
STORY = (
    "The city library will open on Sundays from next month, the council decided on Monday "
    "after a petition signed by more than four thousand residents.\n"
    "READ MORE: Council approves new budget for parks\n"
    "Staff will work the extra hours on a voluntary basis and be paid a weekend supplement, "
    "the head librarian said, adding that the reading rooms were full every Saturday.\n"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(tmp_path_factory.mktemp("prefect-home"))}
    env.pop("PREFECT_API_URL", None)
    ui = subprocess.Popen(
        [str(BIN / "presswash"), "ui", "--port", str(port), "--timeout", "180"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert ui.stdout is not None
        # The server's own banner shares stdout; our line comes once /api/health answers.
        lines = iter(ui.stdout.readline, "")
        line = next((line for line in lines if line.startswith("Prefect UI:")), "")
        assert line.startswith(f"Prefect UI: http://127.0.0.1:{port}"), ui.poll()
        threading.Thread(target=lambda: all(lines), daemon=True).start()  # keep the pipe drained
        yield f"http://127.0.0.1:{port}/api"
    finally:
        ui.send_signal(signal.SIGTERM)  # presswash ui stops its server on SIGTERM
        ui.wait(timeout=60)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)


def test_ingest_reports_to_a_running_server(server: str, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "library.txt").write_text("Library Opens on Sundays\n" + STORY)
    db = tmp_path / "w.duckdb"
    env = {**os.environ, "PREFECT_API_URL": server}
    started = time.time()
    done = subprocess.run(
        [str(BIN / "presswash"), "ingest", str(corpus), "--db", str(db), "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["counts"]["inserted"] == 1

    query = [str(BIN / "presswash"), "sql", "--db", str(db), "--format", "json"]
    stored = subprocess.run(
        [
            *query[:2],
            "SELECT flow_run_id, epoch(started_at) AS registered,"
            " (SELECT epoch(min(ingested_at)) FROM articles) AS committed FROM runs",
            *query[2:],
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    record = json.loads(stored.stdout)
    print(
        f"ingest start -> run registered {record['registered'] - started:.1f} s,"
        f" first batch committed {record['committed'] - started:.1f} s"
    )

    run = httpx.get(f"{server}/flow_runs/{record['flow_run_id']}", timeout=10).json()
    assert run["state"]["type"] == "COMPLETED"
    assert run["name"].startswith("adhoc-")
    assert set(run["tags"]) >= {"presswash", "group:adhoc"}
    # ... but not its task runs: a tagged task run takes a concurrency lease per tag
    task_runs = httpx.post(
        f"{server}/task_runs/filter",
        json={"flow_runs": {"id": {"any_": [record["flow_run_id"]]}}},
        timeout=10,
    ).json()
    assert {t["name"].split("-")[0] for t in task_runs} >= {"discover", "extract", "load"}
    assert [t["tags"] for t in task_runs] == [[] for _ in task_runs]
    artifacts = httpx.post(
        f"{server}/artifacts/filter",
        json={"artifacts": {"flow_run_id": {"any_": [record["flow_run_id"]]}}},
        timeout=10,
    ).json()
    (artifact,) = artifacts
    assert artifact["key"] == "presswash-report-adhoc"
    assert summary["run_id"] in artifact["data"]
    assert "| `strip.read_more` | 1 |" in artifact["data"]
