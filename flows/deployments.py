"""The ingest flow as scheduled deployments, one per ``schedules`` entry in config.yaml.

``presswash serve`` runs them in one process with ``prefect.serve`` (no work pool needed on one
machine); ``prefect.yaml`` describes the same deployments for the work-pool route.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron, Interval, Schedule

from flows.ingest import group_tags, ingest
from pipeline.config import Config
from pipeline.config import Schedule as ScheduleConfig


def build_deployments(config: Config, config_path: Path | None) -> list[RunnerDeployment]:
    """One deployment per schedule; each runs at most one flow run at a time."""
    return [
        ingest.to_deployment(  # type: ignore[misc]  # sync outside an event loop
            name=entry.name,
            schedules=[_schedule(entry)],
            parameters={
                "sources": list(entry.sources),
                "config_path": str(config_path.resolve()) if config_path else None,
                "group": entry.name,
            },
            tags=group_tags(entry.name),
            concurrency_limit=1,
            description=f"presswash ingest of {', '.join(entry.sources)}",
        )
        for entry in config.schedules
    ]


def _schedule(entry: ScheduleConfig) -> Schedule:
    if entry.cron is not None:
        return Cron(entry.cron, timezone=entry.timezone)
    assert entry.interval_minutes is not None, "the config model requires cron or an interval"
    return Interval(timedelta(minutes=entry.interval_minutes), timezone=entry.timezone)
