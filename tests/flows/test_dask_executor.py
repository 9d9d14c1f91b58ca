"""flow.executor: dask — the same warehouse as the threads executor, the writer kept at home."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
from pathlib import Path
from uuid import UUID

import duckdb
import pytest
from click.testing import CliRunner
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from pytest_httpserver import HTTPServer

from flows.cli import main
from flows.dask_executor import ClusterError
from flows.ingest import ingest
from pipeline.process import Processor
from pipeline.warehouse import Warehouse

SAMPLES = Path(__file__).parents[2] / "samples"

RESULT = """
    SELECT a.article_id, a.content_sha256, a.language,
           (SELECT count(*) FROM removed_lines AS l
            WHERE l.article_id = a.article_id AND l.run_id = a.run_id) AS removed
    FROM articles AS a ORDER BY a.article_id
"""
FAILURES = "SELECT regexp_replace(source, '.*/', ''), reason FROM failures ORDER BY ALL"


def rows(db: Path, query: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(query).fetchall()


def write_config(path: Path, flow: str) -> Path:
    path.write_text(f"fetch:\n  per_host_delay_seconds: 0\n  retries: 0\nflow:\n{flow}")
    return path


def test_dask_run_equals_the_threads_run_and_loads_in_the_flow_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, httpserver: HTTPServer
) -> None:
    corpus = shutil.copytree(SAMPLES, tmp_path / "corpus")  # html, text, jsonl, an empty file
    httpserver.no_handler_status_code = 404  # robots.txt and /news/missing
    for n, name in enumerate(["en-elden-mussel-survey", "fr-montcalvel-festival"], start=1):
        page = (SAMPLES / "html" / f"{name}.html").read_text(encoding="utf-8")
        httpserver.expect_request(f"/news/{n}").respond_with_data(page, content_type="text/html")
    listed = tmp_path / "news.urls"  # article URLs, fetched by a fetch task
    listed.write_text(f"{httpserver.url_for('/news/1')}\n{httpserver.url_for('/news/missing')}\n")
    # files; a URL list; a page URL, which discovery itself fetches
    sources = [str(corpus), str(listed), httpserver.url_for("/news/2")]

    def run(config: Path, db: Path) -> object:
        return ingest(
            sources=sources,
            config_path=str(config),
            db=str(db),
            allow_private_addresses=True,
            return_state=True,
        )

    threads = tmp_path / "threads.duckdb"
    run(write_config(tmp_path / "threads.yaml", "  batch_size: 3\n"), threads)

    here: dict[str, list[int]] = {"load": [], "extract": []}
    load, process_items, process_documents = (
        Warehouse.load_batch,
        Processor.process_items,
        Processor.process_documents,
    )

    def load_here(self: Warehouse, *args: object, **kwargs: object) -> object:
        here["load"].append(os.getpid())
        return load(self, *args, **kwargs)  # type: ignore[arg-type]

    def extract_here(method: object) -> object:
        def wrapper(self: Processor, *args: object) -> object:
            here["extract"].append(os.getpid())
            return method(self, *args)  # type: ignore[operator]

        return wrapper

    # Patched in this (the flow's) process only: calls made on a Dask worker are not seen.
    monkeypatch.setattr(Warehouse, "load_batch", load_here)
    monkeypatch.setattr(Processor, "process_items", extract_here(process_items))
    monkeypatch.setattr(Processor, "process_documents", extract_here(process_documents))
    config = write_config(
        tmp_path / "dask.yaml", "  batch_size: 3\n  executor: dask\n  dask_workers: 2\n"
    )
    dask = tmp_path / "dask.duckdb"
    state = run(config, dask)
    summary = state.result()  # type: ignore[attr-defined]

    assert summary.status == "completed"
    assert summary.counts.inserted == len(rows(threads, RESULT)) >= 10
    assert rows(dask, RESULT) == rows(threads, RESULT)
    assert sum(removed for *_, removed in rows(dask, RESULT)) > 0  # type: ignore[misc]
    assert rows(dask, FAILURES) == rows(threads, FAILURES) != []
    assert here["extract"] == []  # every batch was cleaned on a worker

    async def task_runs() -> list[tuple[str, str]]:
        async with get_client() as client:
            runs = await client.read_task_runs(
                flow_run_filter=FlowRunFilter(
                    id=FlowRunFilterId(any_=[UUID(str(state.state_details.flow_run_id))])  # type: ignore[attr-defined]
                )
            )
        return [(run.name, run.state_name or "") for run in runs]

    task_runs_ = asyncio.run(task_runs())
    extract_runs = [r for r in task_runs_ if r[0].startswith("extract-clean")]
    # Workers reported their task runs to the flow's Prefect server, under the flow run.
    batches = len(extract_runs)
    assert batches == 6  # 12 input files, 3 per batch, then the listed URLs, then the page
    assert [r for r in task_runs_ if r[0].startswith("fetch")] == [("fetch-5", "Completed")]
    assert sorted(extract_runs) == sorted(
        (f"extract-clean-{n}", "Completed") for n in range(1, batches + 1)
    )
    assert len(here["load"]) >= batches
    assert set(here["load"]) == {os.getpid()}  # the writer stayed in the flow's process


def free_port() -> int:
    with socket.socket() as sock:  # bound, then closed: nothing listens on it
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_unreachable_scheduler_stops_the_run_before_writing_and_the_cli_says_so(
    tmp_path: Path,
) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"
    config = write_config(
        tmp_path / "c.yaml",
        f"  executor: dask\n  dask_address: {address}\n  dask_connect_timeout_seconds: 0.5\n",
    )
    db = tmp_path / "w.duckdb"
    state = ingest(sources=[str(SAMPLES)], config_path=str(config), db=str(db), return_state=True)
    assert state.is_failed()
    with pytest.raises(ClusterError, match=rf"the Dask scheduler at {address} does not answer"):
        state.result()
    assert not db.exists()  # the warehouse was never opened

    result = CliRunner().invoke(
        main, ["ingest", str(SAMPLES), "--config", str(config), "--db", str(db)]
    )
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"Error: the Dask scheduler at {address} does not answer")
    assert "flow.executor: threads" in line


class FakeClient:
    """Answers ``Client.run`` as workers would: a value or an error per call."""

    def __init__(self, answer: dict[str, str] | Exception) -> None:
        self.answer = answer

    def run(self, function: object, *args: object) -> dict[str, str]:
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def test_workers_with_another_presswash_are_refused_by_name() -> None:
    from flows.dask_executor import _check_workers
    from pipeline.cleaner import cleaner_version
    from pipeline.config import Config

    config = Config()
    same = cleaner_version(config)
    _check_workers(FakeClient({"tcp://a:1": same, "tcp://b:1": same}), config)  # type: ignore[arg-type]
    with pytest.raises(ClusterError, match=r"Dask workers tcp://b:1 run another presswash"):
        _check_workers(FakeClient({"tcp://a:1": same, "tcp://b:1": "0.0.9+x"}), config)  # type: ignore[arg-type]
    missing = ModuleNotFoundError("No module named 'pipeline'")
    with pytest.raises(ClusterError, match=r"cannot run presswash \(ModuleNotFoundError"):
        _check_workers(FakeClient(missing), config)  # type: ignore[arg-type]
