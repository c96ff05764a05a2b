"""Build a small real nordwatch database (store.open_db schema) with fixed, relative-to-NOW dates."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from store import open_db
from store.articles import index_pending

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
"""The frozen clock the tests and snapshots pass into make_app."""

HOSTILE_TITLE = "[bold red]x[/] and [@click=app.quit]click me[/] \x1b[31mred\x1b]0;pwned\x07"


def ts(delta: timedelta) -> str:
    return (NOW - delta).strftime("%Y-%m-%dT%H:%M:%SZ")


FEEDS = [
    {"id": 1, "url": "https://yle.example/rss", "name": "Yle News", "last_outcome": "ok", "error_count": 0},
    {"id": 2, "url": "https://err.example/rss", "name": "ERR News", "last_outcome": "ok", "error_count": 0},
    {
        "id": 3,
        "url": "https://lrt.example/rss",
        "name": "LRT English",
        "last_outcome": "error",
        "error_count": 3,
        "last_status": 503,
        "last_error": "HTTP 503 Service Unavailable",
    },
]

# (id, feed, title, age, countries, statements [(speaker, role, country, quote)], signals [(country, treaty, action)])
ARTICLES = [
    (
        1,
        1,
        "Finland completes withdrawal from Ottawa Convention",
        timedelta(hours=2),
        ["FI"],
        [
            (
                "Heikki Autto",
                "chairman of the defence committee",
                "FI",
                "They are a highly effective and very cost-efficient weapons system",
            )
        ],
        [("FI", "ottawa", "withdrawal_effective")],
    ),
    (
        2,
        2,
        "Estonia to buy anti-personnel mines after treaty exit",
        timedelta(hours=5),
        ["EE", "LV"],
        [
            (
                "Hanno Pevkur",
                "defence minister",
                "EE",
                "Our industry can make these and we will order them now",
            )
        ],
        [],
    ),
    (
        3,
        3,
        "Lithuania plans domestic landmine production",
        timedelta(hours=20),
        ["LT"],
        [
            (
                "Karolis Aleksa",
                "deputy defence minister",
                "LT",
                "Our national industry will be one of the sources. Our industry can make these",
            )
        ],
        [("LT", "ottawa", "withdrawal_effective")],
    ),
    (
        4,
        1,
        "Norway says it will stay in the mine ban treaty",
        timedelta(days=2),
        ["NO"],
        [
            (
                "Espen Barth Eide",
                "foreign minister",
                "NO",
                "Norway will not withdraw from the Ottawa Convention",
            )
        ],
        [],
    ),
    (5, 2, HOSTILE_TITLE, timedelta(days=3), ["LV"], [], []),
    (6, 1, "Sweden debates cluster munition convention review", timedelta(days=6), ["SE"], [], []),
    (7, 2, "Denmark boosts Baltic Sea patrols", timedelta(days=9), ["DK"], [], []),
    (8, 1, "Iceland hosts NATO air policing rotation", timedelta(days=12), ["IS"], [], []),
]


def build_db(path: Path, *, extra_articles: int = 0, alerts: bool = False) -> Path:
    """Create a nordwatch database at `path` holding FEEDS and ARTICLES (plus `extra_articles` fillers), and
    with `alerts`, three alerts as a poll would record them (see `add_alerts`)."""
    db = open_db(path)
    for f in FEEDS:
        db["feeds"].insert(
            {
                **f,
                "checked_at": ts(timedelta(minutes=4)),
                "last_success_at": ts(timedelta(minutes=4))
                if f["last_outcome"] == "ok"
                else ts(timedelta(days=2)),
                "next_check_at": (NOW + timedelta(minutes=26)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "items_seen": 10,
            }
        )
    rows = list(ARTICLES)
    for i in range(extra_articles):
        rows.append(
            (
                100 + i,
                1 + i % 2,
                f"Filler report number {i} on Baltic security",
                timedelta(days=1, minutes=i),
                ["FI"],
                [],
                [],
            )
        )
    for aid, feed, title, age, countries, statements, signals in rows:
        pub = ts(age)
        body = f"{title}. " + " ".join(f'"{q}," said {s}, {r}.' for s, r, _, q in statements)
        db["articles"].insert(
            {
                "id": aid,
                "feed_id": feed,
                "guid": f"g{aid}",
                "url": f"https://news.example/{aid}",
                "title": title,
                "summary": body[:200],
                "content": body,
                "published_at": pub,
                "fetched_at": pub,
                "content_hash": hashlib.sha1(body.encode()).hexdigest(),
            }
        )
        db["feed_items"].insert(
            {
                "feed_id": feed,
                "guid": f"g{aid}",
                "article_id": aid,
                "content_hash": "h",
                "url": f"https://news.example/{aid}",
                "seen_at": pub,
            }
        )
        for rank, c in enumerate(countries):
            db["article_countries"].insert(
                {"article_id": aid, "country": c, "score": 1.0 - rank / 10, "rank": rank, "published_at": pub}
            )
        for s, r, c, q in statements:
            start = body.find(q)
            db["statements"].insert(
                {
                    "article_id": aid,
                    "speaker": s,
                    "role": r,
                    "speaker_country": c,
                    "quote": q,
                    "cue": "said",
                    "start": start,
                    "end": start + len(q),
                    "published_at": pub,
                }
            )
        for c, t, a in signals:
            db["treaty_signals"].insert(
                {"article_id": aid, "country": c, "treaty": t, "action": a, "date": None, "published_at": pub}
            )
    # Article 1 was also carried by ERR: the "also reported by".
    db["feed_items"].insert(
        {
            "feed_id": 2,
            "guid": "err-1",
            "article_id": 1,
            "content_hash": "h",
            "url": "https://err.example/1",
            "seen_at": ts(timedelta(hours=1)),
        }
    )
    db["poll_runs"].insert(
        {
            "started_at": ts(timedelta(minutes=5)),
            "finished_at": ts(timedelta(minutes=4)),
            "feeds": 3,
            "ok": 2,
            "failed": 1,
            "new_items": 8,
        }
    )
    index_pending(db)  # the full-text index, as a poll brings it up to date after storing articles
    if alerts:
        add_alerts(db)
    db.conn.close()
    return path


def add_alerts(db) -> None:  # type: ignore[no-untyped-def]
    """Three alerts through the store's own write functions: an article alert delivered on stdout whose
    webhook failed, a feed-failure alert already seen, and a newer article alert with a hostile title."""
    from store.alerts import mark_attempt, mark_delivered, mark_seen, record_alerts

    record_alerts(
        db,
        [
            {
                "rule": "ottawa-exits",
                "kind": "article",
                "key": "article:1",
                "title": ARTICLES[0][2],
                "url": "https://news.example/1",
                "article_id": 1,
                "channels": ["stdout", "webhook"],
            },
            {
                "rule": "feeds-down",
                "kind": "feed_failure",
                "key": "feed:3:2026-03-01",
                "title": "LRT English failing: HTTP 503 Service Unavailable",
                "feed_id": 3,
                "channels": ["stdout"],
            },
        ],
        now=ts(timedelta(hours=1)),
    )
    first, second = (r[0] for r in db.execute("SELECT id FROM alerts ORDER BY id").fetchall())
    mark_delivered(db, first, "stdout", now=ts(timedelta(hours=1)))
    mark_attempt(db, first, "webhook: HTTP 500 [bold]boom[/]")
    mark_delivered(db, second, "stdout", now=ts(timedelta(hours=1)))
    mark_seen(db, [second], now=ts(timedelta(minutes=30)))
    record_alerts(
        db,
        [
            {
                "rule": "latvia",
                "kind": "article",
                "key": "article:5",
                "title": HOSTILE_TITLE,
                "article_id": 5,
                "channels": [],
            }
        ],
        now=ts(timedelta(minutes=10)),
    )
