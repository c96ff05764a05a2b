"""`nordwatch reindex`: re-run analysis over stored articles after the rules change (no refetching)."""

from __future__ import annotations

import sys
import time

import click

from tui.commands._common import config_option, db_option, fail, load
from tui.exitcodes import ExitCode


@click.command()
@config_option
@db_option
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
def reindex(config_path: str | None, db_path: str | None, quiet: bool) -> None:
    """Re-run country, statement and treaty-signal analysis over every stored article.

    Takes the poll lock, so it never races a poll. Example: nordwatch reindex
    """
    from feeds.analysis import analyze
    from store import StoreError, open_db
    from store.articles import iter_articles_for_analysis, replace_analysis
    from store.lock import PollLock, PollLocked

    cfg = load(config_path, db_path)
    if not cfg.db_path.exists():
        fail(f"{cfg.db_path}: no database yet (run `nordwatch poll` first)")
    started = time.monotonic()
    n = 0
    try:
        with PollLock(cfg.db_path):
            db = open_db(cfg.db_path)
            for batch in iter_articles_for_analysis(db):
                results = []
                for a in batch:
                    res = analyze(a.title, a.text, lang=a.language, hint_countries=a.hint_countries).to_dict()
                    results.append((a.id, a.published_at, res))
                n += replace_analysis(db, results)
            db.close()
    except PollLocked as e:
        fail(str(e), ExitCode.LOCKED)
    except StoreError as e:
        fail(str(e))
    except KeyboardInterrupt:
        click.echo(f"nordwatch: reindex interrupted after {n} articles (each batch is complete)", err=True)
        sys.exit(int(ExitCode.INTERRUPTED))
    if not quiet:
        click.echo(f"reindexed {n} articles in {time.monotonic() - started:.1f}s")
