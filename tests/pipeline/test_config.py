from pathlib import Path

import pytest

from pipeline.config import Config, ConfigError, load_config, parse_config


def test_missing_default_file_means_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_config() == Config()


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yaml")


def test_yaml_overrides_only_what_it_sets(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("language:\n  min_prob: 0.9\n")
    config = load_config(path)
    assert config.language.min_prob == 0.9
    assert config.language.max_chars == Config().language.max_chars
    assert config.extract == Config().extract


def test_unknown_key_names_file_key_and_allowed_keys(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("extract:\n  favor_precison: true\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert str(path) in message
    assert "extract.favor_precison: unknown key" in message
    assert "favor_precision" in message


def test_bad_value_names_key_and_value() -> None:
    with pytest.raises(
        ConfigError, match=r"origin: language.min_prob: .*less than or equal to 1.*3"
    ):
        parse_config({"language": {"min_prob": 3}}, origin="origin")


def test_invalid_yaml_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("language: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(path)


def test_top_level_must_be_mapping() -> None:
    with pytest.raises(ConfigError, match="mapping"):
        parse_config(["a"])


def test_repo_config_is_valid_and_hash_is_stable() -> None:
    config = load_config(Path(__file__).parents[2] / "config.yaml")
    assert config.sha256() == load_config(Path(__file__).parents[2] / "config.yaml").sha256()
    assert config.sha256() != parse_config({"quality": {"min_words": 1}}).sha256()


def test_schedules_need_exactly_one_trigger_and_unique_names() -> None:
    good = {"name": "feeds", "sources": ["a"], "cron": "0 * * * *"}
    assert parse_config({"schedules": [good]}).schedules[0].timezone == "UTC"
    with pytest.raises(ConfigError, match=r"schedules.0: give exactly one of cron or interval"):
        parse_config({"schedules": [{**good, "interval_minutes": 5}]}, origin="c")
    with pytest.raises(ConfigError, match=r"schedule names must be unique: feeds"):
        parse_config({"schedules": [good, good]})
    with pytest.raises(ConfigError, match=r"schedules.0.sources"):
        parse_config({"schedules": [{**good, "sources": []}]})


def test_unknown_key_inside_a_list_item_lists_the_allowed_keys() -> None:
    with pytest.raises(ConfigError) as info:
        parse_config({"schedules": [{"name": "a", "sources": ["x"], "cron": "*", "crn": 1}]})
    assert "schedules.0.crn: unknown key (allowed here: name, sources, cron, interval_minutes" in (
        str(info.value)
    )


def test_flow_executor_is_threads_or_dask_and_an_address_needs_dask() -> None:
    assert Config().flow.executor == "threads"
    dask = parse_config({"flow": {"executor": "dask", "dask_address": "tcp://10.0.0.5:8786"}})
    assert (dask.flow.executor, dask.flow.dask_address) == ("dask", "tcp://10.0.0.5:8786")
    with pytest.raises(ConfigError, match=r"flow.executor: Input should be 'threads' or 'dask'"):
        parse_config({"flow": {"executor": "ray"}})
    with pytest.raises(ConfigError, match=r"dask_address is only used with executor: dask"):
        parse_config({"flow": {"dask_address": "tcp://10.0.0.5:8786"}})
    with pytest.raises(ConfigError, match=r"flow.dask_workers"):
        parse_config({"flow": {"executor": "dask", "dask_workers": 0}})
    with pytest.raises(ConfigError, match=r"flow.dask_address"):
        parse_config({"flow": {"executor": "dask", "dask_address": "tcp://a b:1"}})


def test_warehouse_memory_limit_is_a_size_duckdb_takes_or_none() -> None:
    assert Config().warehouse.memory_limit == "96MB"
    assert parse_config({"warehouse": {"memory_limit": "1.5GiB"}}).warehouse.memory_limit == (
        "1.5GiB"
    )
    assert parse_config({"warehouse": {"memory_limit": None}}).warehouse.memory_limit is None
    for bad in ("lots", "256", "-1GB", "80%"):
        with pytest.raises(ConfigError, match=r"warehouse.memory_limit"):
            parse_config({"warehouse": {"memory_limit": bad}})
