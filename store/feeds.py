"""Feed rows: identity from the config, and health from each poll."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlite_utils


@dataclass(frozen=True)
class FeedRow:
    id: int
    url: str
    name: str
    countries: tuple[str, ...]
    language: str | None
    tags: tuple[str, ...]
    interval_s: int
    enabled: bool
    in_config: bool
    title: str | None
    site_url: str | None
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    last_status: int | None
    last_outcome: str | None
    last_error: str | None
    error_count: int
    last_success_at: str | None
    checked_at: str | None
    next_check_at: str | None
    items_seen: int
    articles: int = 0

    @property
    def failing(self) -> bool:
        return self.last_outcome == "error"


def _row(r: Mapping[str, Any]) -> FeedRow:
    return FeedRow(
        id=r["id"],
        url=r["url"],
        name=r["name"],
        countries=tuple(json.loads(r["countries"] or "[]")),
        language=r["language"],
        tags=tuple(json.loads(r["tags"] or "[]")),
        interval_s=r["interval_s"],
        enabled=bool(r["enabled"]),
        in_config=bool(r["in_config"]),
        title=r["title"],
        site_url=r["site_url"],
        etag=r["etag"],
        last_modified=r["last_modified"],
        body_hash=r["body_hash"],
        last_status=r["last_status"],
        last_outcome=r["last_outcome"],
        last_error=r["last_error"],
        error_count=r["error_count"],
        last_success_at=r["last_success_at"],
        checked_at=r["checked_at"],
        next_check_at=r["next_check_at"],
        items_seen=r["items_seen"],
        articles=r.get("articles", 0) or 0,
    )


def sync_feeds(db: sqlite_utils.Database, feeds: Iterable[Mapping[str, Any]]) -> dict[str, FeedRow]:
    """Make the feeds table match the config; return rows of the configured feeds by URL.

    Each mapping has url, name, countries, language, tags, interval_s, enabled. Feeds no longer in the config
    keep their row and articles (`in_config = 0`); health is never reset by a config change.
    """
    rows = []
    for f in feeds:
        rows.append(
            {
                "url": f["url"],
                "name": f["name"],
                "countries": json.dumps(list(f.get("countries", ()))),
                "language": f.get("language"),
                "tags": json.dumps(list(f.get("tags", ()))),
                "interval_s": int(f.get("interval_s", 1800)),
                "enabled": 1 if f.get("enabled", True) else 0,
            }
        )
    urls = [r["url"] for r in rows]
    with db.conn:
        db.conn.executemany(
            """
            INSERT INTO feeds (url, name, countries, language, tags, interval_s, enabled, in_config)
            VALUES (:url, :name, :countries, :language, :tags, :interval_s, :enabled, 1)
            ON CONFLICT(url) DO UPDATE SET name = excluded.name, countries = excluded.countries,
                language = excluded.language, tags = excluded.tags, interval_s = excluded.interval_s,
                enabled = excluded.enabled, in_config = 1
            WHERE feeds.name IS NOT excluded.name OR feeds.countries IS NOT excluded.countries
               OR feeds.language IS NOT excluded.language OR feeds.tags IS NOT excluded.tags
               OR feeds.interval_s IS NOT excluded.interval_s OR feeds.enabled IS NOT excluded.enabled
               OR feeds.in_config = 0
            """,
            rows,
        )
        if urls:
            db.conn.execute(
                "CREATE TEMP TABLE IF NOT EXISTS _cfg_urls (url TEXT PRIMARY KEY)",
            )
            db.conn.execute("DELETE FROM _cfg_urls")
            db.conn.executemany("INSERT OR IGNORE INTO _cfg_urls VALUES (?)", [(u,) for u in urls])
            db.conn.execute(
                "UPDATE feeds SET in_config = 0 WHERE in_config = 1 AND url NOT IN (SELECT url FROM _cfg_urls)"
            )
        else:
            db.conn.execute("UPDATE feeds SET in_config = 0 WHERE in_config = 1")
    by_url = {r.url: r for r in all_feeds(db, configured_only=True)}
    return {u: by_url[u] for u in urls if u in by_url}


def all_feeds(db: sqlite_utils.Database, *, configured_only: bool = False) -> list[FeedRow]:
    """Every feed row; broken feeds first, then by name."""
    where = "WHERE in_config = 1" if configured_only else ""
    cur = db.execute(
        f"""
        SELECT feeds.*, (SELECT count(*) FROM articles WHERE articles.feed_id = feeds.id) AS articles
        FROM feeds {where}
        ORDER BY (last_outcome = 'error') DESC, error_count DESC, name COLLATE NOCASE
        """
    )
    cols = [d[0] for d in cur.description]
    return [_row(dict(zip(cols, r, strict=True))) for r in cur.fetchall()]


def feed_health(db: sqlite_utils.Database) -> list[FeedRow]:
    """Configured feeds with their health, broken feeds first (for `nordwatch feeds` and the Feeds screen)."""
    return all_feeds(db, configured_only=True)


def record_health(
    db: sqlite_utils.Database,
    feed_id: int,
    *,
    outcome: str,
    now: str,
    next_check_at: str,
    status: int | None = None,
    error: str | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    body_hash: str | None = None,
    title: str | None = None,
    site_url: str | None = None,
    items_seen: int = 0,
) -> None:
    """Write one poll's outcome onto the feed row. Call inside the poll's transaction (see store.articles.save_polls)."""
    if outcome == "error":
        db.conn.execute(
            """UPDATE feeds SET last_outcome = 'error', last_status = ?, last_error = ?,
                   error_count = error_count + 1, checked_at = ?, next_check_at = ? WHERE id = ?""",
            (status, error, now, next_check_at, feed_id),
        )
        return
    db.conn.execute(
        """UPDATE feeds SET last_outcome = ?, last_status = ?, last_error = NULL, error_count = 0,
               checked_at = ?, last_success_at = ?, next_check_at = ?,
               etag = CASE WHEN ? THEN ? ELSE etag END,
               last_modified = CASE WHEN ? THEN ? ELSE last_modified END,
               body_hash = coalesce(?, body_hash), title = coalesce(?, title), site_url = coalesce(?, site_url),
               items_seen = items_seen + ?
           WHERE id = ?""",
        (
            outcome,
            status,
            now,
            now,
            next_check_at,
            outcome != "not_modified",
            etag,
            outcome != "not_modified",
            last_modified,
            body_hash,
            title,
            site_url,
            items_seen,
            feed_id,
        ),
    )
