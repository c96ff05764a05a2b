"""Rows for `nordwatch export`: articles, statements and treaty signals as plain dicts, streamed.

Each function returns a generator over a live cursor (sqlite3 fetches lazily), so exporting a million rows holds
one row at a time. Times are compared as ISO-8601 strings (`YYYY-MM-DDTHH:MM:SS`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils

_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|min|h|d|w|y)\s*$", re.IGNORECASE)
_AGE_UNITS = {"m": 60, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "y": 365 * 86400}


def parse_age(text: str) -> timedelta:
    """ "24h" -> 24 hours; also 90m, 7d, 2w, 1y. Raises ValueError with a one-line reason."""
    m = _AGE.match(text or "")
    if not m:
        raise ValueError(f"'{text}' is not a duration like 24h, 7d, 2w or 365d")
    return timedelta(seconds=float(m.group(1)) * _AGE_UNITS[m.group(2).lower()])


def since_bound(text: str | None, now: datetime | None = None) -> str | None:
    """A `--since` value (a duration back from now, or a date / ISO time) as a stored-time lower bound."""
    if not text:
        return None
    now = now or datetime.now(UTC)
    try:
        then = now - parse_age(text)
    except ValueError:
        try:
            then = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"'{text}' is not a duration (24h, 7d) or a date (2025-06-01)") from None
    if then.tzinfo is not None:
        then = then.astimezone(UTC).replace(tzinfo=None)
    return then.strftime("%Y-%m-%dT%H:%M:%S")


def _rows(db: sqlite_utils.Database, sql: str, params: list[Any]) -> Iterator[dict[str, Any]]:
    cur = db.conn.execute(sql, params)
    cols = [d[0] for d in cur.description]
    for row in cur:
        yield dict(zip(cols, row, strict=True))


ARTICLE_COLUMNS = (
    "id",
    "published_at",
    "feed",
    "title",
    "url",
    "countries",
    "also_reported_by",
    "author",
    "language",
    "summary",
    "content",
)


def iter_articles(
    db: sqlite_utils.Database, *, since: str | None = None, country: str | None = None
) -> Iterator[dict[str, Any]]:
    """Articles newest first: feed name, countries (main first) and the other outlets that carried it."""
    where, params = [], []
    if since:
        where.append("a.published_at >= ?")
        params.append(since)
    if country:
        where.append("a.id IN (SELECT article_id FROM article_countries WHERE country = ?)")
        params.append(country.upper())
    sql = f"""
        SELECT a.id, a.published_at, f.name AS feed, a.title, a.url,
               (SELECT group_concat(country, ' ') FROM
                   (SELECT country FROM article_countries c WHERE c.article_id = a.id ORDER BY c.rank))
                   AS countries,
               (SELECT group_concat(name, '; ') FROM
                   (SELECT DISTINCT f2.name FROM feed_items fi JOIN feeds f2 ON f2.id = fi.feed_id
                    WHERE fi.article_id = a.id AND fi.feed_id != a.feed_id ORDER BY f2.name))
                   AS also_reported_by,
               a.author, a.language, a.summary, a.content
        FROM articles a JOIN feeds f ON f.id = a.feed_id
        {"WHERE " + " AND ".join(where) if where else ""}
        ORDER BY a.published_at DESC, a.id DESC
    """
    return _rows(db, sql, params)


STATEMENT_COLUMNS = (
    "id",
    "published_at",
    "speaker",
    "role",
    "speaker_country",
    "quote",
    "cue",
    "article_id",
    "article_title",
    "article_url",
    "outlet",
)


def iter_statements(
    db: sqlite_utils.Database, *, since: str | None = None, country: str | None = None
) -> Iterator[dict[str, Any]]:
    """Statements newest first; `country` matches the speaker's country or a country of the article."""
    where, params = [], []
    if since:
        where.append("s.published_at >= ?")
        params.append(since)
    if country:
        where.append(
            "(s.speaker_country = ? OR s.article_id IN (SELECT article_id FROM article_countries WHERE country = ?))"
        )
        params += [country.upper(), country.upper()]
    sql = f"""
        SELECT s.id, s.published_at, s.speaker, s.role, s.speaker_country, s.quote, s.cue, s.article_id,
               a.title AS article_title, a.url AS article_url, f.name AS outlet
        FROM statements s JOIN articles a ON a.id = s.article_id JOIN feeds f ON f.id = a.feed_id
        {"WHERE " + " AND ".join(where) if where else ""}
        ORDER BY s.published_at DESC, s.id DESC
    """
    return _rows(db, sql, params)


TREATY_COLUMNS = (
    "id",
    "published_at",
    "country",
    "treaty",
    "action",
    "date",
    "article_id",
    "article_title",
    "article_url",
    "outlet",
)


def iter_treaty_signals(
    db: sqlite_utils.Database, *, since: str | None = None, country: str | None = None
) -> Iterator[dict[str, Any]]:
    """Treaty signals found in articles, newest first (the registry's status is `nordwatch treaties --json`)."""
    where, params = [], []
    if since:
        where.append("t.published_at >= ?")
        params.append(since)
    if country:
        where.append("t.country = ?")
        params.append(country.upper())
    sql = f"""
        SELECT t.id, t.published_at, t.country, t.treaty, t.action, t.date, t.article_id,
               a.title AS article_title, a.url AS article_url, f.name AS outlet
        FROM treaty_signals t JOIN articles a ON a.id = t.article_id JOIN feeds f ON f.id = a.feed_id
        {"WHERE " + " AND ".join(where) if where else ""}
        ORDER BY t.published_at DESC, t.id DESC
    """
    return _rows(db, sql, params)


KINDS = {
    "articles": (iter_articles, ARTICLE_COLUMNS),
    "statements": (iter_statements, STATEMENT_COLUMNS),
    "treaties": (iter_treaty_signals, TREATY_COLUMNS),
}
