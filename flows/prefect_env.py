"""Prefect settings presswash needs, and a health check for a configured server.

Measured here: offline machines log telemetry errors unless analytics are off, and the
ephemeral server's default 20 s start-up timeout was exceeded under load. With an API URL
set and the server down, Prefect fails with a traceback rather than falling back, so we ask
the server first and say what to do.
"""

from __future__ import annotations

import os

HEALTH_TIMEOUT_SECONDS = 3.0


def prefect_defaults() -> None:
    """Set defaults before prefect is imported; explicit user settings win."""
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
    import httpx

    url = configured_api_url()
    if url is None:
        return None
    try:
        response = httpx.get(f"{url.rstrip('/')}/health", timeout=HEALTH_TIMEOUT_SECONDS)
        if response.status_code == 200:
            return None
        reason = f"answered HTTP {response.status_code}"
    except httpx.HTTPError as exc:
        reason = f"does not answer ({type(exc).__name__})"
    return (
        f"the Prefect server at {url} {reason}. Start it with `prefect server start` "
        "(or `prefect server start --background`), or run without a server: "
        "`PREFECT_API_URL= presswash ingest ...`"
    )
