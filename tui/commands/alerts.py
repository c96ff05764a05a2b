"""`nordwatch alerts`: the alerts rules have recorded, and a test delivery for a rule."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime

import click

from tui.commands._common import config_option, db_option, fail, load


@click.command()
@click.option("--limit", default=20, show_default=True, help="How many (newest first).")
@click.option("--rule", help="Only this rule's alerts.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--seen", "mark", is_flag=True, help="Mark every alert seen (clears the dashboard's badge).")
@click.option("--test", "test_rule", metavar="RULE", help="Send a test alert through RULE's channels now.")
@config_option
@db_option
def alerts(
    limit: int,
    rule: str | None,
    as_json: bool,
    mark: bool,
    test_rule: str | None,
    config_path: str | None,
    db_path: str | None,
) -> None:
    """List recorded alerts (newest first), or send a test alert through one rule's channels.

    \b
    Examples: nordwatch alerts --limit 5
              nordwatch alerts --test ottawa
    """
    from feeds.sanitize import clean_text
    from store import StoreError, open_db
    from store.alerts import mark_seen, recent_alerts, unseen_count

    cfg = load(config_path, db_path, required=True)
    if test_rule:
        _test(cfg, test_rule)
        return
    if not cfg.db_path.exists():
        fail(f"{cfg.db_path}: no database yet (run `nordwatch poll` first)")
    try:
        db = open_db(cfg.db_path)
    except StoreError as e:
        fail(str(e))
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if mark:
        click.echo(f"marked {mark_seen(db, None, now=now)} alerts seen")
        return
    rows = recent_alerts(db, limit, rule=rule)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "id": a.id,
                        "rule": a.rule,
                        "kind": a.kind,
                        "title": a.title,
                        "url": a.url,
                        "created_at": a.created_at,
                        "delivered": list(a.delivered),
                        "pending": list(a.pending),
                        "last_error": a.last_error,
                        "seen": a.seen,
                    }
                    for a in rows
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    for a in rows:
        state = "delivered" if a.delivered_at else f"pending ({', '.join(a.pending)})"
        click.echo(
            f"{a.created_at[:16].replace('T', ' ')}  [{clean_text(a.rule, single_line=True)}]"
            f"  {clean_text(a.title, single_line=True, max_len=90)}  ({state})"
        )
    click.echo(f"{unseen_count(db)} unseen", err=True)


def _test(cfg, name: str) -> None:
    from feeds.alerts import _payload, _post, _run_command, stdout_line
    from store.alerts import Alert

    rule = next((r for r in cfg.alerts if r.name == name), None)
    if rule is None:
        fail(f"{cfg.path}: no [[alerts]] rule named {name!r}")
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    alert = Alert(
        id=0,
        rule=rule.name,
        kind="test",
        key="test",
        title="nordwatch test alert",
        url=None,
        article_id=None,
        feed_id=None,
        created_at=now,
        payload={"rule": rule.name, "kind": "test", "title": "nordwatch test alert"},
        pending=rule.channels,
        delivered=(),
        delivered_at=None,
        attempts=0,
        last_error=None,
        seen_at=None,
    )
    if not rule.channels:
        fail(
            f"rule {name!r} has no channel (stdout, command or webhook): its alerts only show in the dashboard"
        )
    import httpx

    errors = 0
    for ch in rule.channels:
        if ch == "stdout":
            click.echo(stdout_line(alert))
            continue
        if ch == "command":
            err = _run_command(rule, _payload(alert))
        else:
            with httpx.Client(trust_env=False) as client:
                err = _post(client, rule, _payload(alert))
        click.echo(f"{ch}: {err or 'delivered'}", err=True)
        errors += err is not None
    sys.exit(1 if errors else 0)
