"""`nordwatch poll`: the cron command. Never imports Textual."""

from __future__ import annotations

import json
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import click

from tui.commands._common import config_option, db_option, fail, load
from tui.exitcodes import ExitCode


class _ProgressBar:
    """A one-line progress bar on stderr (only when stderr is a terminal)."""

    def __init__(self) -> None:
        self.last = 0.0

    def __call__(self, done: int, total: int, name: str) -> None:
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        width = 30
        filled = int(width * done / max(total, 1))
        label = name[:30]
        sys.stderr.write(f"\r\x1b[2K[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label}")
        if done >= total:
            sys.stderr.write("\r\x1b[2K")
        sys.stderr.flush()


def _log(path: str, summary, started: datetime) -> None:
    with open(Path(path).expanduser(), "a", encoding="utf-8") as fh:
        stamp = started.strftime("%Y-%m-%dT%H:%M:%SZ")
        for r in summary.results:
            fh.write(
                f"{stamp} feed={json.dumps(r.name)} status={r.status} http={r.http_status or '-'} new={r.new}"
                f" updated={r.updated} elapsed={r.elapsed_s:.2f}s"
                + (f" error={json.dumps(r.error)}" if r.error else "")
                + "\n"
            )
        fh.write(f"{stamp} {summary.line()}\n")


@click.command()
@config_option
@db_option
@click.option("--feed", "feed_names", multiple=True, metavar="NAME", help="Poll only this feed (repeatable).")
@click.option("--all", "poll_all", is_flag=True, help="Poll every enabled feed now, due or not.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success (failures still go to stderr).")
@click.option("-v", "--verbose", is_flag=True, help="One line per feed on stderr.")
@click.option(
    "--log-file", type=click.Path(dir_okay=False), help="Append one line per feed and a summary here."
)
def poll(
    config_path: str | None,
    db_path: str | None,
    feed_names: tuple[str, ...],
    poll_all: bool,
    as_json: bool,
    quiet: bool,
    verbose: bool,
    log_file: str | None,
) -> None:
    """Poll the feeds that are due, store new articles, and exit.

    \b
    Exit codes: 0 all polled feeds ok · 1 some feeds failed (the rest stored) · 2 usage/config/database error
                75 another poll is running · 130 interrupted
    \b
    Example (crontab):  */15 * * * * nordwatch poll -q
    """
    from feeds.poll import run_poll
    from store import StoreError
    from store.lock import PollLocked

    cfg = load(config_path, db_path, required=True)
    if feed_names:
        known = {f.name.casefold() for f in cfg.feeds} | {f.url for f in cfg.feeds}
        missing = [n for n in feed_names if n.casefold() not in known and n not in known]
        if missing:
            fail(f"{cfg.path}: no feed named {missing[0]!r} (see `nordwatch feeds`)")
    if not cfg.feeds:
        fail(f"{cfg.path}: no [[feeds]] configured (see `nordwatch init`)")
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    progress = _ProgressBar() if sys.stderr.isatty() and not quiet and not as_json else None
    started = datetime.now(UTC)
    try:
        summary = run_poll(cfg, only=feed_names or None, force=poll_all, progress=progress)
    except PollLocked as e:
        fail(str(e), ExitCode.LOCKED)
    except StoreError as e:
        fail(str(e))
    except KeyboardInterrupt:
        click.echo("nordwatch: poll interrupted; feeds already stored are kept", err=True)
        sys.exit(int(ExitCode.INTERRUPTED))
    except OSError as e:
        fail(f"{cfg.db_path}: {e.strerror or e}")
    if log_file:
        try:
            _log(log_file, summary, started)
        except OSError as e:
            click.echo(f"nordwatch: {log_file}: cannot write log: {e.strerror or e}", err=True)
    if as_json:
        click.echo(json.dumps(summary.to_dict(), indent=2))
    else:
        for r in summary.results:
            if r.status == "error":
                click.echo(f"nordwatch: feed {r.name!r} failed: {r.error}", err=True)
            elif verbose:
                extra = f" warning: {r.warning}" if r.warning else ""
                click.echo(f"{r.name}: {r.status} ({r.new} new, {r.updated} updated){extra}", err=True)
        if not (quiet and summary.failed == 0):
            click.echo(summary.line())
    sys.exit(int(ExitCode.FEEDS_FAILED if summary.failed else ExitCode.OK))
