"""`nordwatch config check|path`."""

from __future__ import annotations

import click

from tui.commands._common import config_option, db_option, load


@click.group()
def config() -> None:
    """Check the config or show where it was found.

    Example: nordwatch config check
    """


@config.command("check")
@config_option
@db_option
def check(config_path: str | None, db_path: str | None) -> None:
    """Validate the config and print it resolved (defaults filled in).

    Example: nordwatch config check --config ~/nordwatch.toml
    """
    from feeds.config import render_config

    cfg = load(config_path, db_path, required=True)
    click.echo(render_config(cfg))
    click.echo(f"# ok: {len(cfg.feeds)} feeds, {len(cfg.treaty_events)} treaty events", err=True)


@config.command("path")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file to check for.")
def path(config_path: str | None) -> None:
    """Print where the config is looked for, and whether it exists.

    Example: nordwatch config path
    """
    from feeds.config import find_config

    p, how = find_config(config_path)
    click.echo(str(p))
    click.echo(
        f"# from {how}; {'exists' if p.exists() else 'does not exist (create it with `nordwatch init`)'}",
        err=True,
    )
