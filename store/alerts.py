"""Alerts: what `[[alerts]]` rules matched, and whether each channel has delivered it.

An alert is recorded (and committed) before any channel sees it; `UNIQUE (rule, key)` makes recording idempotent,
so a rule matching the same article twice, or a poll re-run after a crash, never makes a second alert. Delivery is
tracked per channel: a webhook that failed is retried by the next poll without printing the stdout line again.

Read API for the TUI: `recent_alerts(db, limit)`, `unseen_count(db)`, `mark_seen(db, ids=None)`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

MAX_ATTEMPTS = 20
"""An alert whose channels keep failing is retried by this many polls, then left undelivered (still shown)."""


@dataclass(frozen=True)
class Alert:
    id: int
    rule: str
    kind: str
    """article | feed_failure | treaty_status"""
    key: str
    title: str
    url: str | None
    article_id: int | None
    feed_id: int | None
    created_at: str
    payload: dict[str, Any]
    pending: tuple[str, ...]
    """Channels not yet delivered (stdout, command, webhook)."""
    delivered: tuple[str, ...]
    delivered_at: str | None
    attempts: int
    last_error: str | None
    seen_at: str | None

    @property
    def seen(self) -> bool:
        return self.seen_at is not None


_COLS = (
    "id, rule, kind, key, title, url, article_id, feed_id, created_at, payload, channels, delivered,"
    " delivered_at, attempts, last_error, seen_at"
)


def _alert(r: Sequence[Any]) -> Alert:
    return Alert(
        id=r[0],
        rule=r[1],
        kind=r[2],
        key=r[3],
        title=r[4],
        url=r[5],
        article_id=r[6],
        feed_id=r[7],
        created_at=r[8],
        payload=json.loads(r[9] or "{}"),
        pending=tuple(json.loads(r[10] or "[]")),
        delivered=tuple(json.loads(r[11] or "[]")),
        delivered_at=r[12],
        attempts=r[13],
        last_error=r[14],
        seen_at=r[15],
    )


def record_alerts(db: sqlite_utils.Database, alerts: Iterable[Mapping[str, Any]], *, now: str) -> int:
    """Insert alerts (rule, kind, key, title, url, article_id, feed_id, payload, channels) in one transaction.

    An alert whose (rule, key) exists is ignored. Returns how many were new.
    """
    rows = [
        (
            a["rule"],
            a["kind"],
            a["key"],
            a["title"],
            a.get("url"),
            a.get("article_id"),
            a.get("feed_id"),
            json.dumps(a.get("payload") or {}, ensure_ascii=False),
            now,
            json.dumps(list(a.get("channels") or ())),
            None if a.get("channels") else now,
        )
        for a in alerts
    ]
    if not rows:
        return 0
    with db.conn:
        before = db.conn.total_changes
        db.conn.executemany(
            "INSERT OR IGNORE INTO alerts (rule, kind, key, title, url, article_id, feed_id, payload, created_at,"
            " channels, delivered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        return db.conn.total_changes - before


def pending_alerts(db: sqlite_utils.Database, *, limit: int = 100) -> list[Alert]:
    """Alerts with channels still to deliver (oldest first), skipping those that failed MAX_ATTEMPTS times."""
    rows = db.execute(
        f"SELECT {_COLS} FROM alerts WHERE delivered_at IS NULL AND attempts < ? ORDER BY id LIMIT ?",
        [MAX_ATTEMPTS, limit],
    ).fetchall()
    return [_alert(r) for r in rows]


def mark_delivered(db: sqlite_utils.Database, alert_id: int, channel: str, *, now: str) -> None:
    """Record that `channel` delivered the alert; the alert is done when no channel is left."""
    with db.conn:
        row = db.conn.execute("SELECT channels, delivered FROM alerts WHERE id = ?", (alert_id,)).fetchone()
        if row is None:
            return
        left = [c for c in json.loads(row[0]) if c != channel]
        done = [*json.loads(row[1]), channel]
        db.conn.execute(
            "UPDATE alerts SET channels = ?, delivered = ?, delivered_at = ? WHERE id = ?",
            (json.dumps(left), json.dumps(done), None if left else now, alert_id),
        )


def mark_attempt(db: sqlite_utils.Database, alert_id: int, error: str | None) -> None:
    """Count one delivery attempt (after every channel was tried), keeping the last error."""
    with db.conn:
        db.conn.execute(
            "UPDATE alerts SET attempts = attempts + 1, last_error = coalesce(?, last_error) WHERE id = ?",
            (error, alert_id),
        )


def recent_alerts(db: sqlite_utils.Database, limit: int = 50, *, rule: str | None = None) -> list[Alert]:
    """The newest alerts first (for the TUI's Alerts screen and `nordwatch alerts`)."""
    if "alerts" not in db.table_names():
        return []
    where, params = ("WHERE rule = ?", [rule]) if rule else ("", [])
    rows = db.execute(
        f"SELECT {_COLS} FROM alerts {where} ORDER BY id DESC LIMIT ?", [*params, limit]
    ).fetchall()
    return [_alert(r) for r in rows]


def unseen_count(db: sqlite_utils.Database) -> int:
    """Alerts the analyst has not marked seen (the TUI's badge)."""
    if "alerts" not in db.table_names():
        return 0
    return db.execute("SELECT count(*) FROM alerts WHERE seen_at IS NULL").fetchone()[0]


def mark_seen(db: sqlite_utils.Database, ids: Iterable[int] | None = None, *, now: str) -> int:
    """Mark the given alerts (or all unseen ones) seen; returns how many changed."""
    with db.conn:
        if ids is None:
            cur = db.conn.execute("UPDATE alerts SET seen_at = ? WHERE seen_at IS NULL", (now,))
            return cur.rowcount
        n = 0
        for i in ids:
            n += db.conn.execute(
                "UPDATE alerts SET seen_at = ? WHERE id = ? AND seen_at IS NULL", (now, i)
            ).rowcount
        return n


# ------------------------------------------------------------------------------- matching inputs


def get_state(db: sqlite_utils.Database, name: str) -> str | None:
    row = db.execute("SELECT value FROM alert_state WHERE name = ?", [name]).fetchone()
    return row[0] if row else None


def set_state(db: sqlite_utils.Database, name: str, value: str) -> None:
    with db.conn:
        db.conn.execute(
            "INSERT INTO alert_state (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            (name, value),
        )


def first_article_of_run(db: sqlite_utils.Database, started_at: str) -> int:
    """The highest article id stored before `started_at` (used once, to start the alert watermark)."""
    row = db.execute(
        "SELECT coalesce(max(id), 0) FROM articles WHERE fetched_at < ?", [started_at]
    ).fetchone()
    return int(row[0])


def max_article_id(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0])


@dataclass(frozen=True)
class ArticleForAlert:
    id: int
    title: str
    url: str | None
    text: str
    published_at: str
    feed: str
    countries: tuple[str, ...]
    speakers: tuple[str, ...]
    treaties: tuple[tuple[str, str, str], ...]
    """(country, treaty, action) of each treaty signal."""


def articles_after(db: sqlite_utils.Database, after_id: int, *, limit: int = 5000) -> list[ArticleForAlert]:
    """Articles with id > after_id (a primary-key range), with what rules match on, in one query."""
    rows = db.execute(
        """
        SELECT a.id, a.title, coalesce(a.url, a.canonical_url), a.summary || char(10) || a.content,
               a.published_at, f.name,
               (SELECT group_concat(country, ' ') FROM article_countries c WHERE c.article_id = a.id),
               (SELECT json_group_array(speaker) FROM statements s WHERE s.article_id = a.id
                    AND speaker IS NOT NULL),
               (SELECT json_group_array(json_array(country, treaty, action)) FROM treaty_signals t
                    WHERE t.article_id = a.id)
        FROM articles a JOIN feeds f ON f.id = a.feed_id
        WHERE a.id > ? ORDER BY a.id LIMIT ?
        """,
        [after_id, limit],
    ).fetchall()
    out = []
    for r in rows:
        out.append(
            ArticleForAlert(
                id=r[0],
                title=r[1] or "",
                url=r[2],
                text=r[3] or "",
                published_at=r[4],
                feed=r[5],
                countries=tuple((r[6] or "").split()),
                speakers=tuple(json.loads(r[7] or "[]")),
                treaties=tuple(tuple(x) for x in json.loads(r[8] or "[]")),  # type: ignore[misc]
            )
        )
    return out


@dataclass(frozen=True)
class FailedFeed:
    id: int
    name: str
    url: str
    error: str | None
    error_count: int
    checked_at: str | None
    countries: tuple[str, ...]


def failed_feeds_since(db: sqlite_utils.Database, since: str) -> list[FailedFeed]:
    """Configured feeds whose last check, at or after `since`, failed."""
    rows = db.execute(
        "SELECT id, name, url, last_error, error_count, checked_at, countries FROM feeds"
        " WHERE in_config = 1 AND last_outcome = 'error' AND checked_at >= ? ORDER BY name",
        [since],
    ).fetchall()
    return [FailedFeed(*r[:6], countries=tuple(json.loads(r[6] or "[]"))) for r in rows]


def run_started_at(db: sqlite_utils.Database, run_id: int) -> str | None:
    row = db.execute("SELECT started_at FROM poll_runs WHERE id = ?", [run_id]).fetchone()
    return row[0] if row else None


def latest_run_id(db: sqlite_utils.Database) -> int | None:
    row = db.execute("SELECT max(id) FROM poll_runs").fetchone()
    return row[0] if row and row[0] is not None else None
