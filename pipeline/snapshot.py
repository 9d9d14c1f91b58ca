"""Read access for analysts and read-only commands: always the published snapshot.

The ingest writer publishes ``<name>.snapshot.duckdb`` next to the warehouse (see
``Warehouse.publish_snapshot``); readers open that copy read-only, so they never hold the
lock the writer needs, and a query sees the warehouse as of the last publish.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipeline.warehouse import Warehouse, WarehouseError, snapshot_path


def connect_snapshot(db: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the snapshot of ``db``, publishing it first if there is none.

    A warehouse written before snapshots existed has none; opening it as the writer once
    upgrades its schema and publishes one (this fails clearly while an ingest holds it).
    """
    target = snapshot_path(db)
    if not target.exists():
        if not db.exists():
            raise WarehouseError(f"{db}: no warehouse yet; run `presswash ingest` first")
        with Warehouse.open(db) as warehouse:
            warehouse.publish_snapshot()
    try:
        return duckdb.connect(str(target), read_only=True)
    except duckdb.Error as exc:
        raise WarehouseError(f"cannot open the snapshot {target}: {exc}") from exc
