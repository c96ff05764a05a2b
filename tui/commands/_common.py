"""Helpers shared by the command modules: config loading with clean exits, output on the right stream."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from tui.exitcodes import ExitCode

config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    envvar="NORDWATCH_CONFIG",
    help="Config file (default: $NORDWATCH_CONFIG, else ~/.config/nordwatch/config.toml).",
)
db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    envvar="NORDWATCH_DB",
    help="Database file (default: $NORDWATCH_DB, else [store] path, else ~/.local/share/nordwatch/nordwatch.db).",
)

output_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    help="File (default: stdout).",
)


def fail(message: str, code: int = ExitCode.USAGE) -> NoReturn:
    """Print one line to stderr and exit with `code`."""
    click.echo(f"nordwatch: {message}", err=True)
    sys.exit(int(code))


def load(config_path: str | None, db_path: str | None, *, required: bool = False):  # -> Config
    """Load the config or exit 2 with its one-line error."""
    from feeds.config import ConfigError, load_config

    try:
        return load_config(config_path, db=db_path, required=required)
    except ConfigError as e:
        fail(str(e))
