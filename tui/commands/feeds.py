"""`nordwatch feeds`: configured feeds and their health."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click

from tui.commands._common import config_option, db_option, fail, load


def _ago(ts: str | None, now: datetime) -> str:
    if not ts:
        return "never"
    try:
        then = datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return ts
    secs = int((now - then).total_seconds())
    if secs < 0:
        secs = -secs
        for unit, n in (("d", 86400), ("h", 3600), ("m", 60)):
            if secs >= n:
                return f"in {secs // n}{unit}"
        return "now"
    for unit, n in (("d", 86400), ("h", 3600), ("m", 60)):
        if secs >= n:
            return f"{secs // n}{unit} ago"
    return "just now"


@click.group(invoke_without_command=True)
@config_option
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def feeds(ctx: click.Context, config_path: str | None, db_path: str | None, as_json: bool) -> None:
    """List configured feeds with their health, broken feeds first.

    Example: nordwatch feeds --json
    """
    if ctx.invoked_subcommand is not None:
        return
    from feeds.poll import feed_dicts
    from feeds.sanitize import clean_text
    from store import StoreError, open_db
    from store.feeds import feed_health, sync_feeds

    cfg = load(config_path, db_path, required=True)
    try:
        if cfg.db_path.exists():
            db = open_db(cfg.db_path)
            sync_feeds(db, feed_dicts(cfg.feeds))
            rows = feed_health(db)
        else:
            rows = []
    except StoreError as e:
        fail(str(e))
    by_url = {r.url: r for r in rows}
    now = datetime.now(UTC)
    if as_json:
        out = []
        for f in cfg.feeds:
            r = by_url.get(f.url)
            out.append(
                {
                    "name": f.name,
                    "url": f.url,
                    "enabled": f.enabled,
                    "status": r.last_outcome if r else None,
                    "http_status": r.last_status if r else None,
                    "last_success_at": r.last_success_at if r else None,
                    "error_count": r.error_count if r else 0,
                    "last_error": r.last_error if r else None,
                    "next_check_at": r.next_check_at if r else None,
                    "items_seen": r.items_seen if r else 0,
                    "articles": r.articles if r else 0,
                }
            )
        click.echo(json.dumps(out, indent=2))
        return
    order = sorted(
        cfg.feeds, key=lambda f: (not (by_url.get(f.url) and by_url[f.url].failing), f.name.casefold())
    )
    header = f"{'STATUS':<12} {'FEED':<28} {'LAST OK':<10} {'ERRS':>4} {'NEXT':<9} {'ITEMS':>6}  LAST ERROR"
    click.echo(header)
    for f in order:
        r = by_url.get(f.url)
        status = "disabled" if not f.enabled else (r.last_outcome or "new") if r else "new"
        status = {"not_modified": "ok (304)", "unchanged": "ok (same)"}.get(status, status)
        click.echo(
            f"{status:<12} {clean_text(f.name, single_line=True, max_len=28):<28} "
            f"{_ago(r.last_success_at if r else None, now):<10} {r.error_count if r else 0:>4} "
            f"{_ago(r.next_check_at if r else None, now):<9} {r.articles if r else 0:>6}  "
            f"{clean_text(r.last_error, single_line=True, max_len=60) if r and r.last_error else ''}"
        )


# Subcommands (feeds in and out) live in their own module; loaded only for `nordwatch feeds ...`.
from tui.commands.feeds_io import add, export, import_  # noqa: E402

feeds.add_command(import_, "import")
feeds.add_command(export, "export")
feeds.add_command(add, "add")
