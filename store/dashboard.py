"""Named read queries for the dashboard: every SQL statement the TUI needs, returning frozen dataclasses.

All of these are read-only and designed for a large database (a million articles): each one walks an index
range and stops at a LIMIT (keyset pagination, no OFFSET, no COUNT(*) over the whole table). Times are
compared as ISO-8601 strings, so bounds are built with `iso()`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlite_utils

NB8: tuple[str, ...] = ("DK", "EE", "FI", "IS", "LV", "LT", "NO", "SE")
"""The Nordic-Baltic Eight: the dashboard's default countries."""

COUNTRY_NAMES: dict[str, str] = {
    "DK": "Denmark",
    "EE": "Estonia",
    "FI": "Finland",
    "IS": "Iceland",
    "LV": "Latvia",
    "LT": "Lithuania",
    "NO": "Norway",
    "SE": "Sweden",
    "PL": "Poland",
    "UA": "Ukraine",
    "BY": "Belarus",
    "RU": "Russia",
    "DE": "Germany",
    "US": "United States",
    "GB": "United Kingdom",
}


def iso(dt: datetime) -> str:
    """Return `dt` (naive = UTC) as the `YYYY-MM-DDTHH:MM:SS` prefix stored timestamps compare against."""
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC).replace(tzinfo=None)
    return dt.strftime("%Y-%m-%dT%H:%M:%S")


def parse_ts(value: str | None) -> datetime | None:
    """Parse a stored UTC timestamp into an aware datetime (None when absent or unreadable)."""
    if not value:
        return None
    s = value.strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


# --------------------------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Headline:
    id: int
    title: str
    outlet: str
    published_at: str


@dataclass(frozen=True, slots=True)
class CountrySummary:
    code: str
    name: str
    count_24h: int
    count_7d: int
    daily: tuple[int, ...]
    """Articles per UTC day, oldest first, the last entry being today (14 entries)."""
    headlines: tuple[Headline, ...]


@dataclass(frozen=True, slots=True)
class PollStatus:
    last_started_at: str | None
    last_finished_at: str | None
    last_ok: int
    last_failed: int
    last_new: int
    feeds: int
    failing: int
    has_articles: bool


@dataclass(frozen=True, slots=True)
class StatementRow:
    id: int
    article_id: int
    speaker: str
    role: str
    speaker_country: str
    quote: str
    outlet: str
    published_at: str
    start: int | None = None
    """Offset of the quote in the article's analysed text (`get_article` only; see `ArticleDetail.analysed_text`)."""
    end: int | None = None


@dataclass(frozen=True, slots=True)
class ArticleRow:
    id: int
    title: str
    outlet: str
    published_at: str
    countries: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SignalRow:
    id: int
    article_id: int
    country: str
    treaty: str
    action: str
    date: str | None
    published_at: str
    title: str
    outlet: str


@dataclass(frozen=True, slots=True)
class ArticleDetail:
    id: int
    title: str
    url: str
    outlet: str
    author: str
    published_at: str
    summary: str
    content: str
    countries: tuple[str, ...]
    statements: tuple[StatementRow, ...]
    signals: tuple[SignalRow, ...]
    also_reported_by: tuple[str, ...]

    @property
    def analysed_text(self) -> str:
        """The text the analysis ran on, which statement offsets refer to: the longer of content and summary
        (as `feeds.processor` chooses it)."""
        content, summary = self.content or "", self.summary or ""
        return content if len(content) >= len(summary) else summary


@dataclass(frozen=True, slots=True)
class FeedHealth:
    id: int
    name: str
    url: str
    enabled: bool
    outcome: str
    """ok | not_modified | unchanged | error | never (not polled yet) | disabled."""
    last_status: int | None
    last_success_at: str | None
    checked_at: str | None
    next_check_at: str | None
    error_count: int
    last_error: str
    items_seen: int

    @property
    def broken(self) -> bool:
        return self.enabled and (self.outcome == "error" or self.error_count > 0)


@dataclass(frozen=True, slots=True)
class FeedChoice:
    id: int
    name: str


# --------------------------------------------------------------------------------------------- queries


def data_version(db: sqlite_utils.Database) -> int:
    """Return `PRAGMA data_version`: it changes when *another* connection commits (the live-refresh probe)."""
    return int(db.execute("PRAGMA data_version").fetchone()[0])


def has_articles(db: sqlite_utils.Database) -> bool:
    return db.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is not None


def poll_status(db: sqlite_utils.Database) -> PollStatus:
    """Return the last poll run and the feed health counts for the header."""
    run = db.execute(
        "SELECT started_at, finished_at, ok, failed, new_items FROM poll_runs ORDER BY id DESC LIMIT 1"
    ).fetchone()
    feeds, failing = db.execute(
        "SELECT count(*), coalesce(sum(last_outcome = 'error' OR error_count > 0), 0) "
        "FROM feeds WHERE enabled AND in_config"
    ).fetchone()
    return PollStatus(
        last_started_at=run[0] if run else None,
        last_finished_at=run[1] if run else None,
        last_ok=run[2] if run else 0,
        last_failed=run[3] if run else 0,
        last_new=run[4] if run else 0,
        feeds=int(feeds or 0),
        failing=int(failing or 0),
        has_articles=has_articles(db),
    )


def country_summary(db: sqlite_utils.Database, code: str, now: datetime, *, days: int = 14) -> CountrySummary:
    """Return counts (24 h, 7 d), a per-day series of the last `days` days and the latest three headlines."""
    now_s = iso(now)
    c24 = db.execute(
        "SELECT count(*) FROM article_countries WHERE country = ? AND published_at >= ? AND published_at <= ?",
        [code, iso(now - timedelta(hours=24)), now_s + "~"],
    ).fetchone()[0]
    c7 = db.execute(
        "SELECT count(*) FROM article_countries WHERE country = ? AND published_at >= ? AND published_at <= ?",
        [code, iso(now - timedelta(days=7)), now_s + "~"],
    ).fetchone()[0]
    today = (now.astimezone(UTC) if now.tzinfo else now).date()
    first = today - timedelta(days=days - 1)
    buckets = dict(
        db.execute(
            "SELECT substr(published_at, 1, 10) AS d, count(*) FROM article_countries "
            "WHERE country = ? AND published_at >= ? AND published_at <= ? GROUP BY d",
            [code, first.isoformat(), now_s + "~"],
        ).fetchall()
    )
    daily = tuple(int(buckets.get((first + timedelta(days=i)).isoformat(), 0)) for i in range(days))
    rows = db.execute(
        "SELECT a.id, a.title, coalesce(f.name, ''), a.published_at FROM article_countries ac "
        "JOIN articles a ON a.id = ac.article_id LEFT JOIN feeds f ON f.id = a.feed_id "
        "WHERE ac.country = ? ORDER BY ac.published_at DESC LIMIT 3",
        [code],
    ).fetchall()
    return CountrySummary(
        code=code,
        name=COUNTRY_NAMES.get(code, code),
        count_24h=int(c24),
        count_7d=int(c7),
        daily=daily,
        headlines=tuple(Headline(*r) for r in rows),
    )


def country_summaries(db: sqlite_utils.Database, codes: Iterable[str], now: datetime) -> list[CountrySummary]:
    return [country_summary(db, code, now) for code in codes]


_STATEMENT_COLS = (
    "SELECT s.id, s.article_id, coalesce(s.speaker, ''), coalesce(s.role, ''), "
    "coalesce(s.speaker_country, ''), s.quote, coalesce(f.name, ''), s.published_at"
)
_STATEMENT_FROM = (
    " FROM statements s JOIN articles a ON a.id = s.article_id LEFT JOIN feeds f ON f.id = a.feed_id "
)
_STATEMENT_SELECT = _STATEMENT_COLS + _STATEMENT_FROM


def recent_statements(
    db: sqlite_utils.Database,
    *,
    country: str | None = None,
    speaker: str | None = None,
    since: datetime | None = None,
    before: tuple[str, int] | None = None,
    limit: int = 50,
) -> list[StatementRow]:
    """Return statements newest first; `before` is the (published_at, id) of the last row seen (keyset)."""
    where: list[str] = []
    params: list[object] = []
    if country:
        where.append("s.speaker_country = ?")
        params.append(country)
    if speaker:
        where.append("s.speaker LIKE ? ESCAPE '\\'")
        params.append("%" + _like_escape(speaker) + "%")
    if since is not None:
        where.append("s.published_at >= ?")
        params.append(iso(since))
    if before is not None:
        where.append("s.published_at <= ? AND (s.published_at < ? OR s.id < ?)")
        params.extend([before[0], before[0], before[1]])
    sql = _STATEMENT_SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY s.published_at DESC, s.id DESC LIMIT ?"
    params.append(limit)
    return [StatementRow(*r) for r in db.execute(sql, params).fetchall()]


def _like_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def fts_query(text: str) -> str:
    """Turn what the user typed into a safe FTS5 query: each word a quoted prefix term, all required."""
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in text).split() if w]
    return " ".join('"' + w.replace('"', "") + '"*' for w in words[:12])


def list_articles(
    db: sqlite_utils.Database,
    *,
    country: str | None = None,
    treaty: str | None = None,
    feed_id: int | None = None,
    since: datetime | None = None,
    search: str | None = None,
    before: tuple[str, int] | None = None,
    limit: int = 100,
) -> list[ArticleRow]:
    """Return articles newest first matching every filter given; keyset-paged through `before`
    (the (published_at, id) of the last row shown).

    With `search`, rows come newest-*stored* first (id order, which follows publication closely because
    published_at is clamped to fetched_at): FTS5 then walks its index in rowid order and stops at the LIMIT,
    so a word found in half the articles costs no more than a rare one. `before` then pages on the id.
    """
    params: list[object] = []
    where: list[str] = []
    q = fts_query(search) if search else ""
    if q:
        src = "articles_fts JOIN articles a ON a.id = articles_fts.rowid"
        where.append("articles_fts MATCH ?")
        params.append(q)
        if before is not None:
            where.append("articles_fts.rowid < ?")
            params.append(before[1])
        ts = "a.published_at"
        order = "articles_fts.rowid DESC"  # consumed by FTS5: no sort, stops at the LIMIT
        if country:
            where.append(
                "EXISTS (SELECT 1 FROM article_countries k WHERE k.article_id = a.id AND k.country = ?)"
            )
            params.append(country)
        if treaty:
            where.append("EXISTS (SELECT 1 FROM treaty_signals t WHERE t.article_id = a.id AND t.treaty = ?)")
            params.append(treaty)
    else:
        if country:
            # Drive the walk from article_countries(country, published_at DESC).
            src = "article_countries k JOIN articles a ON a.id = k.article_id"
            where.append("k.country = ?")
            params.append(country)
            ts = "k.published_at"
        else:
            src = "articles a"
            ts = "a.published_at"
        order = f"{ts} DESC, a.id DESC"
        if treaty:
            where.append("a.id IN (SELECT article_id FROM treaty_signals WHERE treaty = ?)")
            params.append(treaty)
        if before is not None:
            where.append(f"{ts} <= ? AND ({ts} < ? OR a.id < ?)")
            params.extend([before[0], before[0], before[1]])
    if feed_id is not None:
        where.append("a.feed_id = ?")
        params.append(feed_id)
    if since is not None:
        where.append(f"{ts} >= ?")
        params.append(iso(since))
    sql = (
        "SELECT a.id, a.title, coalesce(f.name, ''), a.published_at, "
        "(SELECT group_concat(country, ' ') FROM (SELECT country FROM article_countries "
        " WHERE article_id = a.id ORDER BY rank LIMIT 4)) "
        f"FROM {src} LEFT JOIN feeds f ON f.id = a.feed_id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {order} LIMIT ?"
    params.append(limit)
    out = []
    for id_, title, outlet, published, countries in db.execute(sql, params).fetchall():
        out.append(ArticleRow(id_, title, outlet, published, tuple((countries or "").split())))
    return out


def get_article(db: sqlite_utils.Database, article_id: int) -> ArticleDetail | None:
    """Return one article with its countries, statements, treaty signals and the other feeds that carried it."""
    row = db.execute(
        "SELECT a.id, a.title, coalesce(a.canonical_url, a.url, ''), coalesce(f.name, ''), "
        "coalesce(a.author, ''), a.published_at, a.summary, a.content, a.feed_id "
        "FROM articles a LEFT JOIN feeds f ON f.id = a.feed_id WHERE a.id = ?",
        [article_id],
    ).fetchone()
    if row is None:
        return None
    countries = tuple(
        r[0]
        for r in db.execute(
            "SELECT country FROM article_countries WHERE article_id = ? ORDER BY rank", [article_id]
        )
    )
    statements = tuple(
        StatementRow(*r)
        for r in db.execute(
            _STATEMENT_COLS
            + ', s.start, s."end"'
            + _STATEMENT_FROM
            + "WHERE s.article_id = ? ORDER BY coalesce(s.start, 0), s.id",
            [article_id],
        )
    )
    signals = tuple(
        SignalRow(*r)
        for r in db.execute(
            _SIGNAL_SELECT + "WHERE ts.article_id = ? ORDER BY ts.id",
            [article_id],
        )
    )
    others = tuple(
        r[0]
        for r in db.execute(
            "SELECT DISTINCT coalesce(f.name, fi.url, '') FROM feed_items fi "
            "LEFT JOIN feeds f ON f.id = fi.feed_id WHERE fi.article_id = ? AND fi.feed_id != ? ORDER BY 1",
            [article_id, row[8]],
        )
    )
    return ArticleDetail(
        id=row[0],
        title=row[1],
        url=row[2],
        outlet=row[3],
        author=row[4],
        published_at=row[5],
        summary=row[6],
        content=row[7],
        countries=countries,
        statements=statements,
        signals=signals,
        also_reported_by=others,
    )


_SIGNAL_SELECT = (
    "SELECT ts.id, ts.article_id, ts.country, ts.treaty, ts.action, ts.date, ts.published_at, a.title, "
    "coalesce(f.name, '') FROM treaty_signals ts JOIN articles a ON a.id = ts.article_id "
    "LEFT JOIN feeds f ON f.id = a.feed_id "
)


def treaty_signals(
    db: sqlite_utils.Database, *, country: str, treaty: str, limit: int = 50
) -> list[SignalRow]:
    """Return news signals (unconfirmed) about one country and treaty, newest first, with their articles."""
    return [
        SignalRow(*r)
        for r in db.execute(
            _SIGNAL_SELECT + "WHERE ts.country = ? AND ts.treaty = ? ORDER BY ts.published_at DESC LIMIT ?",
            [country, treaty, limit],
        )
    ]


def feed_health(db: sqlite_utils.Database) -> list[FeedHealth]:
    """Return every configured feed, broken ones first, then by name."""
    rows = db.execute(
        "SELECT id, name, url, enabled, coalesce(last_outcome, ''), last_status, last_success_at, checked_at, "
        "next_check_at, error_count, coalesce(last_error, ''), items_seen FROM feeds WHERE in_config "
        "ORDER BY (enabled AND (last_outcome = 'error' OR error_count > 0)) DESC, enabled DESC, "
        "error_count DESC, name COLLATE NOCASE"
    ).fetchall()
    out = []
    for r in rows:
        enabled = bool(r[3])
        outcome = r[4] or ("never" if r[7] is None else "")
        if not enabled:
            outcome = "disabled"
        out.append(FeedHealth(r[0], r[1], r[2], enabled, outcome, *r[5:]))
    return out


def feed_choices(db: sqlite_utils.Database) -> list[FeedChoice]:
    return [FeedChoice(*r) for r in db.execute("SELECT id, name FROM feeds ORDER BY name COLLATE NOCASE")]
