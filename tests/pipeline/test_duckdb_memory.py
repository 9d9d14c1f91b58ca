"""The writer's memory settings: DuckDB's buffer-pool cap, and DuckDB's and Arrow's allocators."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from pipeline.duckdb_memory import ALLOCATOR_SETTINGS
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


def _allocators_after_import(env: dict[str, str]) -> tuple[str, str]:
    """DuckDB's allocator setting and Arrow's pool in a fresh interpreter that imported
    ``flows.bench``, whose first import is duckdb; it fails unless the settings came first."""
    code = (
        "import os, sys\n"
        "import flows.bench\n"
        "import pyarrow\n"
        "loaded = list(sys.modules)\n"
        "assert loaded.index('pipeline.duckdb_memory') < loaded.index('duckdb'), loaded\n"
        "print(os.environ['DUCKDB_JE_MALLOC_CONF'])\n"
        "print(pyarrow.default_memory_pool().backend_name)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    duckdb_conf, arrow_pool = done.stdout.split()
    return duckdb_conf, arrow_pool


def test_importing_presswash_sets_the_allocators_before_duckdb_and_arrow_load() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ALLOCATOR_SETTINGS}
    assert _allocators_after_import(env) == (ALLOCATOR_SETTINGS["DUCKDB_JE_MALLOC_CONF"], "system")


def test_a_users_allocator_settings_win() -> None:
    env = {
        **os.environ,
        "DUCKDB_JE_MALLOC_CONF": "dirty_decay_ms:5000",
        "ARROW_DEFAULT_MEMORY_POOL": "jemalloc",
    }
    assert _allocators_after_import(env) == ("dirty_decay_ms:5000", "jemalloc")
