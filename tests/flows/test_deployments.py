from datetime import timedelta
from pathlib import Path

import yaml

from flows.deployments import build_deployments
from pipeline.config import load_config, parse_config

ROOT = Path(__file__).parents[2]


def test_schedules_become_deployments_with_parameters_tags_and_limits(tmp_path: Path) -> None:
    config_file = tmp_path / "c.yaml"
    config_file.write_text(
        "schedules:\n"
        "  - {name: feeds, sources: [a, b], cron: '*/15 * * * *', timezone: Europe/Berlin}\n"
        "  - {name: backfill, sources: [c], interval_minutes: 90}\n"
    )
    feeds, backfill = build_deployments(load_config(config_file), config_file)

    assert feeds.name == "feeds"
    assert feeds.parameters == {
        "sources": ["a", "b"],
        "config_path": str(config_file.resolve()),
        "group": "feeds",
    }
    assert feeds.tags == ["presswash", "group:feeds"]
    assert feeds.concurrency_limit == 1
    (cron,) = feeds.schedules
    assert (cron.schedule.cron, cron.schedule.timezone) == ("*/15 * * * *", "Europe/Berlin")

    assert backfill.parameters["sources"] == ["c"]
    (interval,) = backfill.schedules
    assert interval.schedule.interval == timedelta(minutes=90)


def test_no_schedules_no_deployments() -> None:
    assert build_deployments(parse_config({}), None) == []


def test_prefect_yaml_matches_the_schedules_in_config_yaml() -> None:
    config = load_config(ROOT / "config.yaml")
    documented = yaml.safe_load((ROOT / "prefect.yaml").read_text())["deployments"]
    assert [d["name"] for d in documented] == [s.name for s in config.schedules]
    for entry, schedule in zip(documented, config.schedules, strict=True):
        assert entry["entrypoint"] == "flows/ingest.py:ingest"
        assert entry["parameters"]["sources"] == list(schedule.sources)
        assert entry["parameters"]["group"] == schedule.name
        assert entry["tags"] == ["presswash", f"group:{schedule.name}"]
        assert entry["concurrency_limit"] == 1
        (trigger,) = entry["schedules"]
        assert trigger.get("cron") == schedule.cron
        assert trigger.get("timezone") == schedule.timezone
