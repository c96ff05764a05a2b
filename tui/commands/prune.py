"""`nordwatch prune`: delete old articles (keeping the ones statements and treaty signals refer to)."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from tui.commands._common import config_option, db_option, fail, load
from tui.exitcodes import ExitCode


@click.command()
@click.option(
    "--older-than",
    "older_than",
    required=True,
    metavar="AGE",
    help="Delete articles published before this: 365d, 52w, 1y.",
)
@click.option(
    "--include-analysis",
    is_flag=True,
    help="Also delete old articles that have statements or treaty signals (and those).",
)
@click.option("--dry-run", is_flag=True, help="Count what would go; delete nothing.")
@click.option(
    "--vacuum", is_flag=True, help="Give the freed space back to the file system afterwards (VACUUM)."
)
@config_option
@db_option
def prune(
    older_than: str,
    include_analysis: bool,
    dry_run: bool,
    vacuum: bool,
    config_path: str | None,
    db_path: str | None,
) -> None:
    """Delete articles older than AGE. Articles that statements or treaty signals refer to are kept (with their
    analysis) unless --include-analysis. Takes the poll lock, so it never races a poll (exit 75 if one runs).

    Example: nordwatch prune --older-than 365d --dry-run
    """
    from store import StoreError, open_db
    from store.export import parse_age
    from store.lock import PollLock, PollLocked
    from store.maintenance import prune_articles

    cfg = load(config_path, db_path)
    try:
        age = parse_age(older_than)
    except ValueError as e:
        fail(f"--older-than: {e}")
    if age.days < 1:
        fail("--older-than: must be at least 1d")
    cutoff = (datetime.now(UTC) - age).strftime("%Y-%m-%dT%H:%M:%S")
    if not cfg.db_path.exists():
        fail(f"{cfg.db_path}: no database yet")
    try:
        with PollLock(cfg.db_path):
            db = open_db(cfg.db_path)
            r = prune_articles(db, cutoff, include_analysis=include_analysis, dry_run=dry_run)
            if vacuum and not dry_run and r.articles:
                db.execute("VACUUM")
            db.close()
    except PollLocked as e:
        fail(str(e), ExitCode.LOCKED)
    except StoreError as e:
        fail(str(e))
    verb = "would delete" if dry_run else "deleted"
    line = f"{verb} {r.articles} articles published before {cutoff[:10]}"
    if include_analysis:
        line += f" (with {r.statements} statements and {r.signals} treaty signals)"
    elif r.kept_for_analysis:
        line += f"; kept {r.kept_for_analysis} that statements or treaty signals refer to"
    click.echo(line)
