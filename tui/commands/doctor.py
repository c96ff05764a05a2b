"""`nordwatch doctor`: check config, database, lock, disk and every feed; one verdict per line."""

from __future__ import annotations

import asyncio
import shutil
import sys

import click

from tui.commands._common import config_option, db_option

OK, WARN, FAIL = "ok", "warn", "FAIL"


class _Report:
    def __init__(self) -> None:
        self.failed = 0

    def line(self, verdict: str, item: str, detail: str) -> None:
        from feeds.sanitize import clean_text

        if verdict == FAIL:
            self.failed += 1
        click.echo(
            f"{verdict:<5} {clean_text(item, single_line=True, max_len=32):<32} {clean_text(detail, single_line=True)}"
        )


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} PB"


async def _reach(feeds, timeout: float, user_agent: str) -> list[tuple[str, str, str]]:
    """(verdict, name, detail) per feed: one GET each, all at once, capped body, short timeout."""
    from feeds.fetcher import fetch_feed, make_client

    async with make_client(timeout=timeout, concurrency=16, user_agent=user_agent) as client:
        sem = asyncio.Semaphore(16)

        async def one(f) -> tuple[str, str, str]:
            async with sem:
                r = await fetch_feed(client, f.url, max_bytes=5_000_000, deadline=timeout * 2)
            if r.outcome == "error":
                if r.error and "larger than" in r.error:
                    return WARN, f.name, f"reachable, but {r.error}"
                return FAIL, f.name, f"{r.error} <{f.url}>"
            moved = f" (redirects to {r.final_url})" if r.final_url and r.final_url != f.url else ""
            return OK, f.name, f"HTTP {r.http_status} in {r.elapsed_s:.1f}s{moved}"

        return await asyncio.gather(*(one(f) for f in feeds))


@click.command()
@click.option("--offline", is_flag=True, help="Skip the feed reachability checks.")
@click.option("--timeout", default=10.0, show_default=True, help="Seconds per feed request.")
@config_option
@db_option
def doctor(offline: bool, timeout: float, config_path: str | None, db_path: str | None) -> None:
    """Check the config, the database (integrity, schema), the poll lock, free disk space and that each
    enabled feed answers. Prints one verdict per item; exits 1 if anything FAILs.

    Example: nordwatch doctor --timeout 5
    """
    from feeds.config import ConfigError, find_config, load_config
    from store import StoreError, open_db
    from store.lock import lock_path, poll_running
    from store.maintenance import database_summary, quick_check

    rep = _Report()
    cfg = None
    path, _ = find_config(config_path)
    try:
        cfg = load_config(config_path, db=db_path, required=True)
        rep.line(OK, "config", f"{path} ({len(cfg.feeds)} feeds, {len(cfg.alerts)} alert rules)")
    except ConfigError as e:
        rep.line(FAIL, "config", str(e))
    if cfg is None:
        sys.exit(1)

    db_file = cfg.db_path
    if not db_file.exists():
        rep.line(WARN, "database", f"{db_file} does not exist yet (`nordwatch poll` creates it)")
    else:
        try:
            db = open_db(db_file, readonly=True)
            problems = quick_check(db)
            from store.db import migrations

            pending = migrations.pending(db)
            summary = database_summary(db)
            if problems:
                rep.line(FAIL, "database integrity", "; ".join(problems[:3]))
            else:
                rep.line(
                    OK,
                    "database integrity",
                    f"{db_file} ({_size(db_file.stat().st_size)}, {summary['articles']} articles)",
                )
            if pending:
                rep.line(
                    WARN, "database schema", f"{len(pending)} migrations pending (applied by the next poll)"
                )
            db.close()
        except StoreError as e:
            rep.line(FAIL, "database", str(e))

    running = poll_running(db_file) if db_file.parent.exists() else None
    rep.line(OK, "poll lock", running or f"free ({lock_path(db_file)})")

    where = db_file.parent if db_file.parent.exists() else db_file.parent.parent
    try:
        free = shutil.disk_usage(where).free
        verdict = FAIL if free < 100 * 2**20 else WARN if free < 2**30 else OK
        rep.line(verdict, "disk space", f"{_size(free)} free on {where}")
    except OSError as e:
        rep.line(WARN, "disk space", f"{where}: {e.strerror or e}")

    enabled = [f for f in cfg.feeds if f.enabled]
    if offline:
        rep.line(OK, "feeds", f"{len(enabled)} enabled; reachability not checked (--offline)")
    elif enabled:
        for verdict, name, detail in asyncio.run(_reach(enabled, timeout, cfg.poll.user_agent)):
            rep.line(verdict, f"feed {name}", detail)
    else:
        rep.line(WARN, "feeds", "no enabled feeds (add some with `nordwatch feeds add URL`)")

    click.echo(f"{rep.failed} problem{'s' if rep.failed != 1 else ''} found" if rep.failed else "all good")
    sys.exit(1 if rep.failed else 0)
