"""Read queries for the daily brief: a country's stories (with every outlet that carried them), statements,
treaty signals, and the failing feeds. Each walks the (country, published_at) indexes from `since`."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils


@dataclass(frozen=True)
class Story:
    article_id: int
    title: str
    url: str | None
    published_at: str
    outlet: str
    also: tuple[str, ...]
    """Other outlets that carried the same article (feed_items)."""
    score: float


@dataclass(frozen=True)
class BriefStatement:
    id: int
    speaker: str | None
    role: str | None
    speaker_country: str | None
    quote: str
    published_at: str
    article_id: int
    title: str
    url: str | None
    outlet: str
    outlets: int
    """How many outlets carried the article (a rough measure of prominence)."""


@dataclass(frozen=True)
class BriefSignal:
    country: str
    treaty: str
    action: str
    date: str | None
    published_at: str
    title: str
    url: str | None
    outlet: str


@dataclass(frozen=True)
class FailingFeed:
    name: str
    url: str
    error: str | None
    error_count: int
    last_success_at: str | None


def country_stories(db: sqlite_utils.Database, country: str, since: str, *, limit: int = 300) -> list[Story]:
    """Articles whose main country is `country`, published since `since`, newest first."""
    rows = db.execute(
        """
        SELECT a.id, a.title, coalesce(a.url, a.canonical_url), a.published_at, f.name,
               (SELECT group_concat(name, char(31)) FROM
                   (SELECT DISTINCT f2.name FROM feed_items fi JOIN feeds f2 ON f2.id = fi.feed_id
                    WHERE fi.article_id = a.id AND fi.feed_id != a.feed_id ORDER BY f2.name)),
               c.score
        FROM article_countries c JOIN articles a ON a.id = c.article_id JOIN feeds f ON f.id = a.feed_id
        WHERE c.country = ? AND c.published_at >= ? AND c.rank = 0
        ORDER BY c.published_at DESC LIMIT ?
        """,
        [country, since, limit],
    ).fetchall()
    return [
        Story(
            r[0], r[1] or "", r[2], r[3], r[4], tuple((r[5] or "").split("\x1f")) if r[5] else (), r[6] or 0.0
        )
        for r in rows
    ]


def country_statements(
    db: sqlite_utils.Database, country: str, since: str, *, limit: int = 200
) -> list[BriefStatement]:
    """Statements by speakers of `country` (or, speaker country unknown, in articles mainly about it)."""
    rows = db.execute(
        """
        SELECT s.id, s.speaker, s.role, s.speaker_country, s.quote, s.published_at, a.id, a.title,
               coalesce(a.url, a.canonical_url), f.name,
               (SELECT count(DISTINCT feed_id) FROM feed_items fi WHERE fi.article_id = a.id)
        FROM statements s JOIN articles a ON a.id = s.article_id JOIN feeds f ON f.id = a.feed_id
        WHERE s.published_at >= ? AND (s.speaker_country = ? OR (s.speaker_country IS NULL AND EXISTS
              (SELECT 1 FROM article_countries c WHERE c.article_id = s.article_id AND c.country = ?
               AND c.rank = 0)))
        ORDER BY s.published_at DESC LIMIT ?
        """,
        [since, country, country, limit],
    ).fetchall()
    return [BriefStatement(*r[:7], r[7] or "", r[8], r[9], r[10] or 1) for r in rows]


def country_signals(db: sqlite_utils.Database, country: str, since: str) -> list[BriefSignal]:
    rows = db.execute(
        """
        SELECT t.country, t.treaty, t.action, t.date, t.published_at, a.title, coalesce(a.url, a.canonical_url),
               f.name
        FROM treaty_signals t JOIN articles a ON a.id = t.article_id JOIN feeds f ON f.id = a.feed_id
        WHERE t.country = ? AND t.published_at >= ?
        ORDER BY t.published_at DESC
        """,
        [country, since],
    ).fetchall()
    return [BriefSignal(*r[:5], r[5] or "", r[6], r[7]) for r in rows]


def failing_feeds(db: sqlite_utils.Database) -> list[FailingFeed]:
    rows = db.execute(
        "SELECT name, url, last_error, error_count, last_success_at FROM feeds"
        " WHERE in_config = 1 AND enabled = 1 AND last_outcome = 'error' ORDER BY error_count DESC, name"
    ).fetchall()
    return [FailingFeed(*r) for r in rows]
