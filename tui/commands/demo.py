"""`nordwatch demo`: bundled demo feeds -> local HTTP server -> the real poll pipeline -> the dashboard."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import click

from tui.commands._common import fail
from tui.exitcodes import ExitCode

# Alert rules for the demo: recorded in the database (the dashboard's badge and Alerts screen), no channels.
DEMO_ALERTS = """
[[alerts]]
name = "mine-ban and cluster treaties"
treaties = ["ottawa", "ccm"]

[[alerts]]
name = "drones over the region"
keywords = ["drone"]
countries = ["DK", "EE", "FI", "IS", "LV", "LT", "NO", "SE"]
"""


@click.command()
@click.option("--no-tui", is_flag=True, help="Poll the demo feeds, print the summary and exit.")
@click.option("--json", "as_json", is_flag=True, help="With --no-tui: print the poll summary as JSON.")
@click.option(
    "--keep",
    "keep_dir",
    type=click.Path(file_okay=False),
    help="Keep the demo feeds, config and database in this directory (default: a temp dir, removed on exit).",
)
def demo(no_tui: bool, as_json: bool, keep_dir: str | None) -> None:
    """Open the dashboard on bundled demo data: works offline, on a fresh install.

    The demo feeds (fictional articles for every NB8 state, dated relative to now) are served from a local
    HTTP server on 127.0.0.1 and polled by the same pipeline cron uses, into a temporary database.

    Example: nordwatch demo --keep /tmp/nwdemo
    """
    from feeds.config import load_config
    from feeds.demo import build_demo_feeds, demo_config_toml, serve_directory
    from feeds.poll import run_poll
    from store import StoreError

    root = Path(keep_dir) if keep_dir else Path(tempfile.mkdtemp(prefix="nordwatch-demo-"))
    root.mkdir(parents=True, exist_ok=True)
    feeds_dir = root / "feeds"
    feeds_dir.mkdir(exist_ok=True)
    db_path = root / "demo.db"
    for p in (db_path, root / "demo.db-wal", root / "demo.db-shm"):
        p.unlink(missing_ok=True)  # each demo starts from a fresh poll
    try:
        feeds = build_demo_feeds(feeds_dir, datetime.now(UTC))
        with serve_directory(feeds_dir) as server:
            cfg_path = root / "config.toml"
            cfg_path.write_text(
                demo_config_toml(feeds, server.base_url, db_path) + DEMO_ALERTS, encoding="utf-8"
            )
            cfg = load_config(cfg_path)
            if not as_json:
                click.echo(f"nordwatch demo: serving {len(feeds)} demo feeds at {server.base_url}", err=True)
            try:
                summary = run_poll(cfg, force=True)
            except StoreError as e:
                fail(str(e))
            if no_tui or not sys.stdout.isatty():
                click.echo(json.dumps(summary.to_dict(), indent=2) if as_json else summary.line())
                if not no_tui and not as_json:
                    click.echo(
                        "nordwatch demo: not a terminal, so no dashboard (use --no-tui to silence)", err=True
                    )
                code = ExitCode.FEEDS_FAILED if summary.failed else ExitCode.OK
            else:
                click.echo(summary.line(), err=True)
                from tui.app import make_app

                make_app(cfg).run()
                code = ExitCode.OK
    finally:
        if not keep_dir:
            shutil.rmtree(root, ignore_errors=True)
    sys.exit(int(code))
