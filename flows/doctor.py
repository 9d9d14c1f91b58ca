"""``presswash doctor``: one line per check, so a broken setup is found before a run fails."""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

MIN_FREE_BYTES = 1_000_000_000
PACKAGES = ("trafilatura", "prefect", "duckdb", "langdetect", "pydantic")


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str

    @property
    def mark(self) -> str:
        return "ok  " if self.ok else "FAIL"


def run_checks(config_path: Path | None, db: Path | None) -> list[Check]:
    checks = [_python(), *(_package(name) for name in PACKAGES)]
    config_check, warehouse_path = _config(config_path)
    checks.append(config_check)
    path = db or warehouse_path
    if path is not None:
        checks += [_warehouse(path), _disk(path)]
    checks.append(_prefect())
    return checks


def _python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    return Check("python", sys.version_info >= (3, 11), f"{version} (needs 3.11+)")


def _package(name: str) -> Check:
    try:
        return Check(name, True, metadata.version(name))
    except metadata.PackageNotFoundError:
        return Check(name, False, "not installed: run `make run` or `pip install -e .`")


def _config(config_path: Path | None) -> tuple[Check, Path | None]:
    from pipeline.config import DEFAULT_CONFIG_FILE, ConfigError, load_config

    shown = config_path or DEFAULT_CONFIG_FILE
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        return Check("config", False, str(exc).replace("\n", "; ")), None
    origin = str(shown) if shown.exists() else "defaults (no config file)"
    return Check("config", True, f"valid: {origin}"), config.warehouse.path


def _warehouse(path: Path) -> Check:
    if not path.exists():
        return Check("warehouse", True, f"{path} not created yet (the first ingest creates it)")
    from pipeline.warehouse import WarehouseError, schema_status

    try:
        applied, known = schema_status(path)
    except WarehouseError as exc:
        return Check("warehouse", False, str(exc))
    if applied > known:
        return Check("warehouse", False, f"{path}: migration {applied} is newer than this code")
    pending = f", {known - applied} to apply on next ingest" if applied < known else ""
    return Check("warehouse", True, f"{path} opens, migration level {applied}/{known}{pending}")


def _disk(path: Path) -> Check:
    folder = next((p for p in (path.parent, *path.parents) if p.exists()), Path("."))
    free = shutil.disk_usage(folder).free
    detail = f"{free / 1e9:.1f} GB free in {folder}"
    return Check(
        "disk",
        free >= MIN_FREE_BYTES,
        detail + ("" if free >= MIN_FREE_BYTES else " (less than 1 GB)"),
    )


def _prefect() -> Check:
    from flows.prefect_env import check_prefect_server, configured_api_url, prefect_defaults

    prefect_defaults()
    url = configured_api_url()
    if url is None:
        return Check("prefect", True, "no server configured: runs use a temporary local server")
    problem = check_prefect_server()
    return Check("prefect", problem is None, problem or f"server at {url} is healthy")
