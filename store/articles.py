"""Articles: the poll's write transactions, dedup, analysis rows, and re-analysis.

A feed's poll is written whole or not at all: its new and edited articles, their analysis rows and the feed's
health row (with the ETag and body hash that tell the next run what it has) commit together, so a crash never
leaves half a feed and the next run fetches again whatever was lost. `save_polls` writes several feeds' polls in
one transaction (a poll groups the feeds that finish close together: far fewer commits and page writes than one
transaction per feed).

Dedup: within a feed by guid (`feed_items` primary key); across feeds, and for the same story under another guid,
by canonical URL: the twin becomes a `feed_items` row pointing at the existing article ("also reported by").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import sqlite_utils

from store.feeds import record_health

ARTICLE_FIELDS = (
    "url",
    "canonical_url",
    "title",
    "summary",
    "content",
    "author",
    "language",
    "published_at",
    "published_raw",
    "content_hash",
)


class AnalysisRows(NamedTuple):
    """An article's analysis as the values of its rows, in column order: what a parse worker sends. The JSON shape
    (`feeds.analysis.Analysis.to_dict`) is accepted too; this one pickles, unpickles and inserts for a fraction of
    its cost (a cold poll of 10,000 articles: ~0.2 s less CPU, in the process that writes)."""

    countries: tuple[tuple[str, float], ...]
    """(ISO 3166 alpha-2, upper case; score), the main state first."""
    statements: tuple[tuple[str | None, str | None, str | None, str, str | None, int | None, int | None], ...]
    """(speaker, role, speaker_country, quote, cue, start, end)."""
    signals: tuple[tuple[str, str, str, str | None], ...]
    """(country, upper case; treaty, lower case; action; date)."""

    @classmethod
    def from_dict(cls, analysis: Mapping[str, Any]) -> AnalysisRows:
        """The rows of an analysis in the JSON shape."""
        return cls(
            tuple(
                (str(c["code"]).upper(), float(c.get("score", 0))) for c in analysis.get("countries") or ()
            ),
            tuple(
                (
                    st.get("speaker"),
                    st.get("role"),
                    st.get("speaker_country"),
                    st["quote"],
                    st.get("cue"),
                    st.get("start"),
                    st.get("end"),
                )
                for st in analysis.get("statements") or ()
            ),
            tuple(
                (str(t["country"]).upper(), str(t["treaty"]).lower(), t["action"], t.get("date"))
                for t in analysis.get("treaty_events") or ()
            ),
        )


@dataclass(frozen=True)
class SaveResult:
    new: int = 0
    """Articles inserted."""
    updated: int = 0
    """Existing articles whose content changed (edited items)."""
    linked: int = 0
    """Items recorded as another outlet's report of an article we already have."""


def known_items(db: sqlite_utils.Database, feed_id: int) -> dict[str, str]:
    """guid -> content hash of every item this feed has delivered (lets parse workers skip unchanged items)."""
    return dict(
        db.execute("SELECT guid, content_hash FROM feed_items WHERE feed_id = ?", [feed_id]).fetchall()
    )


@dataclass(frozen=True)
class FeedPoll:
    """One feed's poll outcome to store: its items (None for a poll that stored none: 304, error) and health."""

    feed_id: int
    now: str
    health: Mapping[str, Any]
    items: Sequence[Mapping[str, Any]] | None = None


def save_polls(db: sqlite_utils.Database, polls: Sequence[FeedPoll]) -> list[SaveResult]:
    """Store several feeds' polls in one transaction (all or none), in order; one SaveResult per poll.

    Each item has guid + ARTICLE_FIELDS and optionally `analysis` (AnalysisRows, or the dict `feeds.analysis`
    produces).
    `health` holds the keyword arguments of `store.feeds.record_health` (outcome, next_check_at, ...).
    New rows go in with one `executemany` per table; ids are assigned here, which is safe because the
    transaction is IMMEDIATE (it holds the write lock from its first statement) and polls never overlap.
    """
    out: list[SaveResult] = []
    with _immediate(db.conn) as conn:
        for poll in polls:
            if poll.items is None:
                record_health(db, poll.feed_id, now=poll.now, **poll.health)
                out.append(SaveResult())
            else:
                out.append(_save_items(db, conn, poll))
    return out


def _save_items(db: sqlite_utils.Database, conn: Any, poll: FeedPoll) -> SaveResult:
    """One feed's items and health row, inside the caller's transaction."""
    feed_id, now, items = poll.feed_id, poll.now, poll.items or ()
    new = updated = linked = 0
    article_rows: list[tuple[Any, ...]] = []
    item_rows: list[tuple[Any, ...]] = []
    analysis_rows: list[tuple[int, Mapping[str, Any], str]] = []
    guids = [it["guid"] for it in items]
    existing = _existing(conn, feed_id, guids)
    canon = [it["canonical_url"] for it in items if it.get("canonical_url") and it["guid"] not in existing]
    twins = _twins(conn, canon)
    next_id = (conn.execute("SELECT max(id) FROM articles").fetchone()[0] or 0) + 1
    for it in items:
        guid = it["guid"]
        row = existing.get(guid)
        if row is not None:
            article_id, old_hash = row
            if old_hash == it["content_hash"]:
                continue
            owner = conn.execute("SELECT feed_id FROM articles WHERE id = ?", (article_id,)).fetchone()
            conn.execute(
                "UPDATE feed_items SET content_hash = ?, url = ? WHERE feed_id = ? AND guid = ?",
                (it["content_hash"], it.get("url"), feed_id, guid),
            )
            if owner is not None and owner[0] == feed_id:
                _update_article(conn, article_id, it, now)
                updated += 1
            continue
        twin = twins.get(it.get("canonical_url") or "")
        if twin is not None:
            item_rows.append((feed_id, guid, twin, it["content_hash"], it.get("url"), now))
            existing[guid] = (twin, it["content_hash"])
            linked += 1
            continue
        article_id = next_id
        next_id += 1
        article_rows.append((article_id, feed_id, guid, *_fields(it), now))
        item_rows.append((feed_id, guid, article_id, it["content_hash"], it.get("url"), now))
        if it.get("analysis"):
            analysis_rows.append((article_id, it["analysis"], it["published_at"]))
        existing[guid] = (article_id, it["content_hash"])
        if it.get("canonical_url"):
            twins.setdefault(it["canonical_url"], article_id)  # a later twin in this feed links to it
        new += 1
    if article_rows:
        conn.executemany(
            "INSERT INTO articles (id, feed_id, guid, url, canonical_url, title, summary, content, author,"
            " language, published_at, published_raw, content_hash, fetched_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            article_rows,
        )
    if item_rows:
        conn.executemany(
            "INSERT INTO feed_items (feed_id, guid, article_id, content_hash, url, seen_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            item_rows,
        )
    if analysis_rows:
        _insert_analysis_many(conn, analysis_rows)
    record_health(db, feed_id, now=now, items_seen=new + updated + linked, **poll.health)
    return SaveResult(new=new, updated=updated, linked=linked)


def _index_pending(conn: Any) -> int:
    """Add articles above the FTS watermark to `articles_fts` (inside the caller's transaction)."""
    (done,) = conn.execute("SELECT indexed_through FROM fts_state WHERE name = 'articles'").fetchone()
    (top,) = conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()
    if top <= done:
        return 0
    conn.execute(
        "INSERT INTO articles_fts (rowid, title, summary, content)"
        " SELECT id, title, summary, content FROM articles WHERE id > ? AND id <= ?",
        (done, top),
    )
    conn.execute("UPDATE fts_state SET indexed_through = ? WHERE name = 'articles'", (top,))
    return top - done


def index_pending(db: sqlite_utils.Database) -> int:
    """Bring the full-text index up to date with every stored article; return how many were added.

    Polls call it at start (finishing what a killed run left), every few thousand new articles, and at the end;
    anything that updates or deletes articles calls it first (FTS5 must never be told to delete a row it lacks).
    """
    with _immediate(db.conn) as conn:
        return _index_pending(conn)


class _immediate:
    """`with _immediate(conn):` BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def __enter__(self) -> Any:
        if self.conn.in_transaction:  # never nest: finish what a caller left open
            self.conn.commit()
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is None:
            self.conn.commit()
        else:
            self.conn.rollback()


def _existing(conn: Any, feed_id: int, guids: Sequence[str]) -> dict[str, tuple[int, str]]:
    """guid -> (article_id, content_hash) of the given guids this feed already delivered."""
    out: dict[str, tuple[int, str]] = {}
    for i in range(0, len(guids), 500):
        chunk = guids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for guid, article_id, h in conn.execute(
            f"SELECT guid, article_id, content_hash FROM feed_items WHERE feed_id = ? AND guid IN ({marks})",
            (feed_id, *chunk),
        ):
            out[guid] = (article_id, h)
    return out


def _twins(conn: Any, urls: Sequence[str]) -> dict[str, int]:
    """canonical URL -> the first article that has it, for the given URLs."""
    out: dict[str, int] = {}
    uniq = list(dict.fromkeys(urls))
    for i in range(0, len(uniq), 500):
        chunk = uniq[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for url, article_id in conn.execute(
            f"SELECT canonical_url, min(id) FROM articles WHERE canonical_url IN ({marks}) GROUP BY canonical_url",
            chunk,
        ):
            out[url] = article_id
    return out


def _fields(it: Mapping[str, Any]) -> tuple[Any, ...]:
    """An item's article columns, in ARTICLE_FIELDS order."""
    return (
        it.get("url"),
        it.get("canonical_url"),
        it.get("title") or "",
        it.get("summary") or "",
        it.get("content") or "",
        it.get("author"),
        it.get("language"),
        it["published_at"],
        it.get("published_raw"),
        it["content_hash"],
    )


def _update_article(conn: Any, article_id: int, it: Mapping[str, Any], now: str) -> None:
    conn.execute(
        "UPDATE articles SET url = ?, canonical_url = ?, title = ?, summary = ?, content = ?, author = ?,"
        " language = ?, published_at = ?, published_raw = ?, content_hash = ?, updated_at = ? WHERE id = ?",
        (*_fields(it), now, article_id),
    )
    if it.get("analysis") is not None:
        _delete_analysis(conn, article_id)
        _insert_analysis(conn, article_id, it["analysis"], it["published_at"])


def _delete_analysis(conn: Any, article_id: int) -> None:
    for table in ("article_countries", "statements", "treaty_signals"):
        conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))


def _insert_analysis(
    conn: Any, article_id: int, analysis: AnalysisRows | Mapping[str, Any], published_at: str
) -> None:
    _insert_analysis_many(conn, [(article_id, analysis, published_at)])


def _insert_analysis_many(
    conn: Any, rows: Sequence[tuple[int, AnalysisRows | Mapping[str, Any], str]]
) -> None:
    """Analysis rows of many articles, one executemany per table."""
    countries: list[tuple[Any, ...]] = []
    statements: list[tuple[Any, ...]] = []
    signals: list[tuple[Any, ...]] = []
    for article_id, analysis, published_at in rows:
        a = analysis if isinstance(analysis, AnalysisRows) else AnalysisRows.from_dict(analysis)
        if a.countries:
            countries += [(article_id, c, score, i, published_at) for i, (c, score) in enumerate(a.countries)]
        if a.statements:
            statements += [(article_id, *st, published_at) for st in a.statements]
        if a.signals:
            signals += [(article_id, *t, published_at) for t in a.signals]
    if countries:
        conn.executemany(
            "INSERT OR IGNORE INTO article_countries (article_id, country, score, rank, published_at)"
            " VALUES (?, ?, ?, ?, ?)",
            countries,
        )
    if statements:
        conn.executemany(
            'INSERT INTO statements (article_id, speaker, role, speaker_country, quote, cue, start, "end",'
            " published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            statements,
        )
    if signals:
        conn.executemany(
            "INSERT INTO treaty_signals (article_id, country, treaty, action, date, published_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            signals,
        )


@dataclass(frozen=True)
class ArticleText:
    id: int
    title: str
    text: str
    language: str | None
    published_at: str
    hint_countries: tuple[str, ...]


def iter_articles_for_analysis(db: sqlite_utils.Database, *, batch: int = 500) -> Iterable[list[ArticleText]]:
    """Yield stored articles in id order, in batches, with what analysis needs (for `nordwatch reindex`)."""
    last = 0
    while True:
        rows = db.execute(
            "SELECT a.id, a.title, a.summary, a.content, a.language, a.published_at, f.countries"
            " FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.id > ? ORDER BY a.id LIMIT ?",
            [last, batch],
        ).fetchall()
        if not rows:
            return
        import json

        out = []
        for r in rows:
            text = r[3] if r[3] and len(r[3]) >= len(r[2] or "") else (r[2] or "")
            out.append(ArticleText(r[0], r[1] or "", text, r[4], r[5], tuple(json.loads(r[6] or "[]"))))
        last = rows[-1][0]
        yield out


def replace_analysis(
    db: sqlite_utils.Database, results: Iterable[tuple[int, str, AnalysisRows | Mapping[str, Any]]]
) -> int:
    """Replace the analysis rows of each (article_id, published_at, analysis) in one transaction."""
    n = 0
    with db.conn:
        for article_id, published_at, analysis in results:
            _delete_analysis(db.conn, article_id)
            _insert_analysis(db.conn, article_id, analysis, published_at)
            n += 1
    return n


def article_count(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM articles").fetchone()[0]
