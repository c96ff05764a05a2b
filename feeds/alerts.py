"""Alerts: match `[[alerts]]` rules after a poll, record each match, then deliver it through the rule's channels.

Order matters for "exactly once": an alert is recorded (committed, `UNIQUE (rule, key)`) before any channel
sees it, and each channel is marked delivered as soon as it succeeds. A crash after recording retries delivery at
the next poll; a rule re-matching an article never records it twice. Articles are matched once, by a watermark on
the article id (a primary-key range: one query over what the run stored, never a scan of the table).

Channels: `stdout` (one line; cron mails it — printed only from the command line, never from inside the TUI:
there it waits for the next `nordwatch poll`), `command` (argv, never a shell, the alert as JSON on stdin, with a
timeout) and `webhook` (HTTP POST of the JSON, with a timeout).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TextIO

import sqlite_utils

from feeds.config import AlertRule, Config
from feeds.sanitize import clean_text
from store.alerts import (
    Alert,
    ArticleForAlert,
    articles_after,
    failed_feeds_since,
    first_article_of_run,
    get_state,
    mark_attempt,
    mark_delivered,
    max_article_id,
    pending_alerts,
    record_alerts,
    run_started_at,
    set_state,
)

if TYPE_CHECKING:
    import httpx  # imported when a webhook is delivered: a poll without alerts never loads it

WATERMARK = "article_watermark"
TREATY_WINDOW_DAYS = 7
"""Registry stage changes (a withdrawal taking effect, a user event) this recent are alerted."""
MAX_DELIVERIES = 100
"""Alerts delivered per poll at most; the rest wait for the next poll (keeps a flood from stalling cron)."""


@dataclass(frozen=True)
class AlertReport:
    recorded: int = 0
    delivered: int = 0
    failed: int = 0
    errors: tuple[str, ...] = ()


def _iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def match_article(rule: AlertRule, art: ArticleForAlert) -> dict[str, Any] | None:
    """What `rule` matched in `art` (every criterion it sets must match), or None."""
    if not rule.matches_articles:
        return None
    matched: dict[str, Any] = {}
    if rule.countries:
        hit = [c for c in art.countries if c in rule.countries]
        if not hit:
            return None
        matched["countries"] = hit
    if rule.treaties:
        hit_t = [
            {"country": c, "treaty": t, "action": a}
            for c, t, a in art.treaties
            if "any" in rule.treaties or t in rule.treaties
        ]
        if not hit_t:
            return None
        matched["treaties"] = hit_t
    if rule.speakers:
        wanted = [s.casefold() for s in rule.speakers]
        hit_s = sorted({sp for sp in art.speakers if any(w in sp.casefold() for w in wanted)})
        if not hit_s:
            return None
        matched["speakers"] = hit_s
    if rule.patterns:
        hit_k = [kw for kw, p in zip(rule.keywords, rule.patterns, strict=True) if p.search(art.title)]
        hit_k += [
            kw
            for kw, p in zip(rule.keywords, rule.patterns, strict=True)
            if kw not in hit_k and p.search(art.text)
        ]
        if not hit_k:
            return None
        matched["keywords"] = hit_k
    return matched


def _article_alert(rule: AlertRule, art: ArticleForAlert, matched: dict[str, Any]) -> dict[str, Any]:
    title = clean_text(art.title, single_line=True, max_len=300)
    return {
        "rule": rule.name,
        "kind": "article",
        "key": f"article:{art.id}",
        "title": title,
        "url": art.url,
        "article_id": art.id,
        "channels": rule.channels,
        "payload": {
            "rule": rule.name,
            "kind": "article",
            "title": title,
            "url": art.url,
            "outlet": art.feed,
            "published_at": art.published_at,
            "countries": list(art.countries),
            "matched": matched,
        },
    }


def collect_article_alerts(
    db: sqlite_utils.Database, rules: Sequence[AlertRule], started_at: str
) -> tuple[list[dict[str, Any]], int | None]:
    """Alerts for articles stored since the watermark; returns (alerts, new watermark or None)."""
    mark = get_state(db, WATERMARK)
    after = int(mark) if mark is not None else first_article_of_run(db, started_at)
    out: list[dict[str, Any]] = []
    newest: int | None = None if mark is not None else after
    article_rules = [r for r in rules if r.matches_articles]
    while True:
        batch = articles_after(db, after)
        if not batch:
            break
        for art in batch:
            for rule in article_rules:
                matched = match_article(rule, art)
                if matched is not None:
                    out.append(_article_alert(rule, art, matched))
        after = newest = batch[-1].id
    return out, newest


def collect_feed_alerts(
    db: sqlite_utils.Database, rules: Sequence[AlertRule], started_at: str
) -> list[dict[str, Any]]:
    """Alerts for feeds that failed in this run (at most one per rule, feed and UTC day)."""
    rules = [r for r in rules if r.feed_failures]
    if not rules:
        return []
    out = []
    for f in failed_feeds_since(db, started_at):
        day = (f.checked_at or started_at)[:10]
        for rule in rules:
            if f.error_count < rule.feed_failures:
                continue
            if rule.countries and f.countries and not set(f.countries) & set(rule.countries):
                continue
            title = clean_text(f"feed '{f.name}' failing: {f.error or 'unknown error'}", single_line=True)
            out.append(
                {
                    "rule": rule.name,
                    "kind": "feed_failure",
                    "key": f"feed:{f.id}:{day}",
                    "title": title[:300],
                    "url": f.url,
                    "feed_id": f.id,
                    "channels": rule.channels,
                    "payload": {
                        "rule": rule.name,
                        "kind": "feed_failure",
                        "title": title[:300],
                        "url": f.url,
                        "feed": f.name,
                        "error": f.error,
                        "error_count": f.error_count,
                        "checked_at": f.checked_at,
                    },
                }
            )
    return out


def collect_treaty_alerts(config: Config, rules: Sequence[AlertRule], today: date) -> list[dict[str, Any]]:
    """Registry stage changes (status `since` within the last week) for rules that watch treaties."""
    rules = [r for r in rules if r.treaties]
    if not rules:
        return []
    from store.treaties import COUNTRIES, status_matrix

    statuses = status_matrix(None, today, user_events=config.treaty_events)
    window = today - timedelta(days=TREATY_WINDOW_DAYS)
    out = []
    for s in statuses:
        if s.since is None or not window <= s.since <= today:
            continue
        for rule in rules:
            if "any" not in rule.treaties and s.treaty not in rule.treaties:
                continue
            if rule.countries and s.country not in rule.countries and s.country in COUNTRIES:
                continue
            title = f"{s.country} {s.treaty}: {s.status.replace('_', ' ')} since {s.since.isoformat()}"
            if s.effective:
                title += f" (effective {s.effective.isoformat()})"
            out.append(
                {
                    "rule": rule.name,
                    "kind": "treaty_status",
                    "key": f"treaty:{s.country}:{s.treaty}:{s.status}:{s.since.isoformat()}",
                    "title": title,
                    "url": None,
                    "channels": rule.channels,
                    "payload": {
                        "rule": rule.name,
                        "kind": "treaty_status",
                        "title": title,
                        **{k: v for k, v in s.to_dict().items() if k not in ("events", "signals")},
                    },
                }
            )
    return out


def stdout_line(alert: Alert) -> str:
    """`nordwatch alert [rule] title — outlet <url>` (one line, control characters removed)."""
    outlet = alert.payload.get("outlet") or alert.payload.get("feed")
    text = f"nordwatch alert [{alert.rule}] {alert.title}"
    if outlet and alert.kind == "article":
        text += f" — {outlet}"
    if alert.url:
        text += f" <{alert.url}>"
    return clean_text(text, single_line=True)


def _payload(alert: Alert) -> bytes:
    return json.dumps(
        {"id": alert.id, "created_at": alert.created_at, **alert.payload}, ensure_ascii=False
    ).encode("utf-8")


def _run_command(rule: AlertRule, body: bytes) -> str | None:
    try:
        r = subprocess.run(
            list(rule.command),
            input=body,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=rule.timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"command timed out after {rule.timeout:g}s"
    except OSError as e:
        return f"command {rule.command[0]!r} failed to start: {e.strerror or e}"
    if r.returncode != 0:
        err = r.stderr.decode("utf-8", "replace").strip().splitlines()
        return f"command exited {r.returncode}" + (
            f": {clean_text(err[-1], single_line=True)[:200]}" if err else ""
        )
    return None


def _post(client: httpx.Client, rule: AlertRule, body: bytes) -> str | None:
    import httpx

    assert rule.webhook is not None
    try:
        r = client.post(
            rule.webhook,
            content=body,
            headers={"Content-Type": "application/json"},
            timeout=rule.timeout,
        )
    except httpx.HTTPError as e:
        return f"webhook failed: {type(e).__name__}: {str(e)[:150]}"
    if not 200 <= r.status_code < 300:
        return f"webhook answered HTTP {r.status_code}"
    return None


def deliver_pending(
    db: sqlite_utils.Database, config: Config, *, out: TextIO | None = None, now: datetime | None = None
) -> tuple[int, int, list[str]]:
    """Deliver every alert with channels left; returns (delivered, failed, errors)."""
    rules = {r.name: r for r in config.alerts}
    can_print = out is not None or threading.current_thread() is threading.main_thread()
    out = out if out is not None else sys.stdout
    delivered = failed = 0
    errors: list[str] = []
    pending = pending_alerts(db, limit=MAX_DELIVERIES)
    if not pending:
        return 0, 0, []
    stamp = _iso(now or datetime.now(UTC))
    import httpx

    with httpx.Client(follow_redirects=False, trust_env=False) as client:
        for alert in pending:
            rule = rules.get(alert.rule)
            error = None
            for channel in alert.pending:
                if rule is None or channel not in rule.channels:
                    mark_delivered(db, alert.id, channel, now=stamp)  # rule or channel removed: nothing to do
                    continue
                if channel == "stdout":
                    if not can_print:
                        continue  # inside the TUI: the next command-line poll prints it
                    out.write(stdout_line(alert) + "\n")
                    out.flush()
                    mark_delivered(db, alert.id, channel, now=stamp)
                    continue
                body = _payload(alert)
                err = _run_command(rule, body) if channel == "command" else _post(client, rule, body)
                if err is None:
                    mark_delivered(db, alert.id, channel, now=stamp)
                else:
                    error = f"alert [{alert.rule}] {channel}: {err}"
            if error is None:
                delivered += 1
            else:
                failed += 1
                errors.append(error)
                mark_attempt(db, alert.id, error)
    return delivered, failed, errors


def deliver_alerts(
    db: sqlite_utils.Database,
    config: Config,
    run_id: int | None = None,
    *,
    out: TextIO | None = None,
    now: datetime | None = None,
) -> AlertReport:
    """Match the rules against what the poll run `run_id` stored, record matches, deliver pending alerts.

    Never raises: an alert problem must not fail the poll; errors are printed to stderr and returned.
    """
    now = now or datetime.now(UTC)
    try:
        if not config.alerts:  # keep the watermark current, so rules added later start from here
            set_state(db, WATERMARK, str(max_article_id(db)))
            return AlertReport()
        started = (run_started_at(db, run_id) if run_id is not None else None) or _iso(now)
        found, watermark = collect_article_alerts(db, config.alerts, started)
        found += collect_feed_alerts(db, config.alerts, started)
        found += collect_treaty_alerts(config, config.alerts, now.date())
        recorded = record_alerts(db, found, now=_iso(now))
        if watermark is not None:
            set_state(db, WATERMARK, str(watermark))
        delivered, failed, errors = deliver_pending(db, config, out=out, now=now)
    except Exception as e:  # never fail a poll over an alert
        msg = f"alerts: {type(e).__name__}: {e}"
        print(f"nordwatch: {msg}", file=sys.stderr)
        return AlertReport(errors=(msg,))
    for err in errors:
        print(f"nordwatch: {err} (retried next poll)", file=sys.stderr)
    return AlertReport(recorded=recorded, delivered=delivered, failed=failed, errors=tuple(errors))
