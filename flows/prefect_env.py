"""Prefect settings presswash needs, and a health check for a configured server.

Measured here: offline machines log telemetry errors unless analytics are off, and the
ephemeral server's default 20 s start-up timeout was exceeded under load. With an API URL
set and the server down, Prefect fails with a traceback rather than falling back, so we ask
the server first and say what to do.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

HEALTH_TIMEOUT_SECONDS = 3.0


def prefect_defaults(*, quiet: bool = False) -> None:
    """Set defaults before prefect is imported; explicit user settings win.

    ``quiet`` silences Prefect's terminal handler below ERROR (``ingest -q`` under cron) but
    not the run's logs: the UI still gets them.
    """
    if quiet:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "ERROR")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    if not os.environ.get("PREFECT_API_URL"):
        # Nobody watches an ephemeral run in a UI: keep the terminal for the summary.
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def configured_api_url() -> str | None:
    """The Prefect API URL from the environment, profile or prefect.toml; None = ephemeral."""
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    return str(url) if url else None


def check_prefect_server() -> str | None:
    """Return a one-line explanation when a configured server does not answer, else None."""
    url = configured_api_url()
    if url is None or server_health(url):
        return None
    return (
        f"the Prefect server at {url} does not answer. Start it with `presswash ui --background`"
        " (or `prefect server start`), or run without it: `presswash ingest --ephemeral-fallback"
        " ...` or `PREFECT_API_URL= presswash ingest ...`"
    )


def server_health(url: str) -> bool:
    import httpx

    try:
        return httpx.get(f"{url.rstrip('/')}/health", timeout=HEALTH_TIMEOUT_SECONDS).is_success
    except httpx.HTTPError:
        return False


def wait_until_healthy(url: str, *, timeout: float, alive: Callable[[], bool]) -> bool:
    """Poll ``/health`` until it answers, the deadline passes, or the server process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive():
        if server_health(url):
            return True
        time.sleep(0.5)
    return False


def server_command(host: str, port: int, *, background: bool) -> list[str]:
    """``prefect server start`` from this environment, analytics off (the machine is offline)."""
    prefect = Path(sys.executable).with_name("prefect")
    command = [str(prefect), "server", "start", "--host", host, "--port", str(port)]
    return [*command, "--analytics-off", *(["--background"] if background else [])]


def stop_command() -> list[str]:
    return [str(Path(sys.executable).with_name("prefect")), "server", "stop"]


@contextmanager
def ephemeral() -> Iterator[None]:
    """Run flows on a temporary in-process server even though an API URL is configured."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: None}):
        yield
