"""The writer's DuckDB memory settings: the buffer-pool cap and the allocator's environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from pipeline.duckdb_memory import ALLOCATOR_CONF, ALLOCATOR_ENV
from pipeline.warehouse import Warehouse


def _setting(warehouse: Warehouse, name: str) -> str:
    row = warehouse._con.execute("SELECT current_setting(?)", [name]).fetchone()
    assert row is not None
    return str(row[0])


def test_memory_limit_reaches_the_writers_connection(tmp_path: Path) -> None:
    with Warehouse.open(tmp_path / "w.duckdb", memory_limit="300MB") as warehouse:
        assert _setting(warehouse, "memory_limit") == "286.1 MiB"  # DuckDB reports MiB


def test_no_memory_limit_keeps_duckdbs_default(tmp_path: Path) -> None:
    default = duckdb.connect().execute("SELECT current_setting('memory_limit')").fetchone()
    with Warehouse.open(tmp_path / "w.duckdb") as warehouse:
        assert (_setting(warehouse, "memory_limit"),) == default


def test_threads_reach_the_writers_connection_and_none_keeps_duckdbs_default(
    tmp_path: Path,
) -> None:
    with Warehouse.open(tmp_path / "w.duckdb", threads=1) as warehouse:
        assert _setting(warehouse, "threads") == "1"
    default = duckdb.connect().execute("SELECT current_setting('threads')").fetchone()
    with Warehouse.open(tmp_path / "w.duckdb") as warehouse:
        assert (_setting(warehouse, "threads"),) == tuple(str(v) for v in default or ())


def _allocator_env_after_import(env: dict[str, str]) -> str:
    """The allocator setting a fresh interpreter has after importing ``flows.bench``, whose
    first import is duckdb; it fails unless the setting came before duckdb was loaded."""
    code = (
        "import os, sys\n"
        "import flows.bench\n"
        "loaded = list(sys.modules)\n"
        "assert loaded.index('pipeline.duckdb_memory') < loaded.index('duckdb'), loaded\n"
        f"print(os.environ[{ALLOCATOR_ENV!r}])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_importing_presswash_sets_the_allocator_before_duckdb_loads() -> None:
    env = {k: v for k, v in os.environ.items() if k != ALLOCATOR_ENV}
    assert _allocator_env_after_import(env) == ALLOCATOR_CONF


def test_a_users_allocator_setting_wins() -> None:
    env = {**os.environ, ALLOCATOR_ENV: "dirty_decay_ms:5000"}
    assert _allocator_env_after_import(env) == "dirty_decay_ms:5000"
