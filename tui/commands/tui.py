"""`nordwatch tui`: open the dashboard on the configured database (bare `nordwatch` does the same)."""

from __future__ import annotations

import click

from tui.exitcodes import ExitCode


@click.command("tui")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file (TOML).")
@click.option(
    "--db", "db_path", type=click.Path(dir_okay=False), help="Database file (overrides the config)."
)
def tui(config_path: str | None, db_path: str | None) -> None:
    """Open the dashboard: country panels, treaty chips, statements, articles and feed health.

    Example: nordwatch tui --db ~/.local/share/nordwatch/nordwatch.db
    """
    from feeds.config import ConfigError, load_config
    from store import StoreError

    config = None
    config_error = None
    try:
        config = load_config(config_path, db=db_path)
    except ConfigError as e:
        if db_path is None:
            click.echo(f"nordwatch: {e}", err=True)  # nothing to show without a database
            raise SystemExit(ExitCode.USAGE) from None
        config_error = str(e)

    from tui.app import make_app

    try:
        app = make_app(config, db_path, config_error=config_error)
    except StoreError as e:
        click.echo(f"nordwatch: {e}", err=True)
        raise SystemExit(ExitCode.USAGE) from None
    app.run()
