"""Extract-clean batches on a Dask cluster (``flow.executor: dask``), through prefect-dask.

Only the CPU-bound step leaves the flow's process. The flow still reads files and fetches
URLs and sends the workers documents, so workers need neither its files nor its network, the
fetcher's per-host politeness limits stay global, and the one DuckDB writer never leaves the
machine that holds the file. On a worker, extraction still runs in killable subprocesses
under ``extract.max_seconds``: Dask cannot stop a running task, and a page that hangs or
crashes lxml in-process would take the worker, and with it the whole batch, down.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from prefect.context import FlowRunContext
from prefect.futures import PrefectFuture
from prefect.settings import PREFECT_API_URL, temporary_settings

from flows.tasks import process_fetched
from pipeline.cleaner import cleaner_version
from pipeline.config import Config
from pipeline.document import Failure, RawDocument
from pipeline.process import BatchResult

if TYPE_CHECKING:
    from distributed import Client
    from prefect_dask.task_runners import DaskTaskRunner

INSTALL_HINT = "pip install 'presswash[dask]'"


class ClusterError(Exception):
    """The Dask cluster cannot be reached or cannot run this presswash; nothing was written."""


@dataclass(frozen=True, slots=True)
class DaskBatches:
    runner: DaskTaskRunner
    slots: int
    """Worker threads when the run started: how many batches can be processed at once."""
    api_url: str | None
    """The Prefect API the flow talks to, for workers when no API URL is configured."""

    def submit(
        self, name: str, docs: list[RawDocument | Failure], config: Config
    ) -> PrefectFuture[BatchResult]:
        task = process_fetched.with_options(task_run_name=name)
        # Workers take the flow's settings with each task. Without an API URL every worker
        # would start a temporary Prefect server of its own (measured: ~6 s of CPU each);
        # the flow's temporary server is the one to report to.
        with temporary_settings(updates={PREFECT_API_URL: PREFECT_API_URL.value() or self.api_url}):
            # Scattered as one piece, the pages (~16 MB of HTML per 100) go straight to the
            # worker that will clean them, not through the scheduler inside the task graph.
            [data] = self.runner.client.scatter([docs], hash=False)  # type: ignore[no-untyped-call]
            return self.runner.submit(task, {"docs": data, "config": config})


@contextmanager
def dask_batches(config: Config) -> Iterator[DaskBatches | None]:
    """A connected cluster for the run's batches, or None when they run on the flow's threads.

    It connects (or starts the local cluster) before the warehouse is opened, so an
    unreachable scheduler stops the run at once with nothing written.
    """
    if config.flow.executor != "dask":
        yield None
        return
    runner = _runner(config)
    with _quiet_distributed(), runner:
        client = _connect(runner, config)
        _check_workers(client, config)
        threads: dict[str, int] = client.nthreads()  # type: ignore[no-untyped-call]
        context = FlowRunContext.get()
        api_url = str(context.client.api_url) if context else None
        yield DaskBatches(runner, slots=max(1, sum(threads.values())), api_url=api_url)


@contextmanager
def _quiet_distributed() -> Iterator[None]:
    """Keep distributed's INFO lines (a dozen per cluster start and stop) off the terminal."""
    logger = logging.getLogger("distributed")
    level = logger.level
    logger.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        logger.setLevel(level)


def _runner(config: Config) -> DaskTaskRunner:
    try:
        from distributed import LocalCluster
        from prefect_dask.task_runners import DaskTaskRunner
    except ImportError:
        raise ClusterError(
            f"flow.executor is dask but prefect-dask is not installed: {INSTALL_HINT}"
        ) from None
    flow = config.flow
    client_kwargs = {"timeout": flow.dask_connect_timeout_seconds}
    if flow.dask_address:
        return DaskTaskRunner(address=flow.dask_address, client_kwargs=client_kwargs)
    cluster: dict[str, Any] = {
        "n_workers": flow.dask_workers,
        "threads_per_worker": 1,  # a batch keeps one core busy: one per worker process
        "processes": True,
        "host": "127.0.0.1",
        "dashboard_address": None,
    }
    return DaskTaskRunner(
        cluster_class=LocalCluster, cluster_kwargs=cluster, client_kwargs=client_kwargs
    )


def _connect(runner: DaskTaskRunner, config: Config) -> Client:
    address = config.flow.dask_address
    try:
        return runner.client
    except OSError as exc:  # distributed's "Timed out trying to connect to ..."
        where = f"the Dask scheduler at {address}" if address else "the local Dask cluster"
        raise ClusterError(
            f"{where} does not answer ({exc}); check flow.dask_address and that the scheduler"
            " runs, or set flow.executor: threads"
        ) from None
    except RuntimeError as exc:  # LocalCluster: "Nanny failed to start."
        raise ClusterError(f"could not start a local Dask cluster ({exc})") from None


def _check_workers(client: Client, config: Config) -> None:
    """Refuse workers whose presswash would clean differently from the flow's.

    Each article records the cleaner version computed where it was cleaned; a worker with
    other code, cues or trafilatura would mix versions into one run without a word.
    """
    expected = cleaner_version(config)
    try:
        found: dict[str, str] = client.run(cleaner_version, config)
    except Exception as exc:  # whatever the worker raised, e.g. ModuleNotFoundError
        raise ClusterError(
            f"the Dask workers cannot run presswash ({type(exc).__name__}: {exc}); install"
            f" the same presswash on every worker: {INSTALL_HINT}"
        ) from None
    if wrong := sorted(worker for worker, version in found.items() if version != expected):
        raise ClusterError(
            f"Dask workers {', '.join(wrong)} run another presswash (cleaner version"
            f" {found[wrong[0]]}, the flow has {expected}); install the same version there"
        )
