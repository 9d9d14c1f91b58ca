"""What every presswash command shares: its options, its exit codes, loading the config."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from pipeline.config import Config


class UsageProblem(click.ClickException):
    """A mistake in how presswash was called or configured: exit code 2, no usage dump."""

    exit_code = 2


class Failed(click.ClickException):
    """The command ran and failed: exit code 1."""

    exit_code = 1


config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Config file (default: ./config.yaml if present).",
)
db_option = click.option(
    "--db",
    type=click.Path(path_type=Path),
    envvar="PRESSWASH_DB",
    default=None,
    help="DuckDB warehouse file (env: PRESSWASH_DB; default: warehouse.path). Readers open "
    "its snapshot, <name>.snapshot.duckdb.",
)


def load_config_or_exit(config_path: Path | None) -> Config:
    from pipeline.config import ConfigError, load_config

    try:
        return load_config(config_path)
    except ConfigError as exc:
        raise UsageProblem(str(exc)) from None
