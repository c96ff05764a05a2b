"""Group commit: several feeds' polls in one transaction, written in order, all or nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from store import open_db
from store.articles import FeedPoll, save_polls

NOW = "2026-11-29T12:00:00Z"
OK = {"outcome": "ok", "status": 200, "next_check_at": "2026-11-29T12:30:00Z", "etag": '"e1"'}


def _item(guid: str, url: str) -> dict[str, Any]:
    return {
        "guid": guid,
        "url": url,
        "canonical_url": url,
        "title": f"Title {guid}",
        "summary": "s",
        "content": "c",
        "author": None,
        "language": "en",
        "published_at": "2026-11-29T10:00:00Z",
        "published_raw": None,
        "content_hash": f"h-{guid}",
        "analysis": {"countries": [{"code": "EE", "score": 1.0}], "statements": [], "treaty_events": []},
    }


@pytest.fixture
def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = open_db(tmp_path / "nw.db")
    db.execute("INSERT INTO feeds (id, url, name) VALUES (1, 'https://a.example/rss', 'A')")
    db.execute("INSERT INTO feeds (id, url, name) VALUES (2, 'https://b.example/rss', 'B')")
    db.conn.commit()
    return db


def test_a_batch_writes_every_feed_in_order_and_dedups_across_it(db) -> None:  # type: ignore[no-untyped-def]
    polls = [
        FeedPoll(1, NOW, OK, [_item("a1", "https://x.example/story"), _item("a2", "https://x.example/2")]),
        FeedPoll(2, NOW, {"outcome": "not_modified", "status": 304, "next_check_at": NOW}),
        # The same story from feed B in the same transaction: linked to A's article, not stored twice.
        FeedPoll(2, NOW, OK, [_item("b1", "https://x.example/story")]),
    ]
    results = save_polls(db, polls)
    assert [(r.new, r.linked) for r in results] == [(2, 0), (0, 0), (0, 1)]
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    assert db.execute("SELECT count(*) FROM feed_items").fetchone()[0] == 3
    assert db.execute("SELECT count(*) FROM article_countries").fetchone()[0] == 2
    assert db.execute("SELECT etag, last_outcome FROM feeds WHERE id = 1").fetchone() == ('"e1"', "ok")


def test_a_failing_poll_rolls_back_the_whole_batch(db) -> None:  # type: ignore[no-untyped-def]
    polls = [
        FeedPoll(1, NOW, OK, [_item("a1", "https://x.example/1")]),
        FeedPoll(99, NOW, OK, [_item("z1", "https://x.example/z")]),  # no such feed: a foreign-key error
    ]
    with pytest.raises(sqlite3.IntegrityError):
        save_polls(db, polls)
    # Nothing of the batch is stored, and feed 1 keeps no validators: the next run fetches it again in full.
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    assert db.execute("SELECT etag, last_outcome FROM feeds WHERE id = 1").fetchone() == (None, None)
    assert not db.conn.in_transaction


async def test_the_writer_groups_feeds_but_writes_the_last_ones_as_they_come(db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    from feeds import poll

    monkeypatch.setattr(poll, "WRITE_WINDOW_S", 3600.0)  # a window that never closes by itself in this test
    # Three feeds to come, no tail: the first waits for the others to share its transaction.
    grouped = poll._Writer(db, 3)
    waiting = asyncio.ensure_future(grouped.save(FeedPoll(1, NOW, OK, [_item("a1", "https://x.example/1")])))
    await asyncio.sleep(0.3)
    assert not waiting.done() and db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    grouped.close()
    # The same with two parse workers: once no more feeds than workers are on their way, each is written at once.
    tail = poll._Writer(db, 3, tail=2)
    saved = await asyncio.wait_for(tail.save(FeedPoll(1, NOW, OK, [_item("a2", "https://x.example/2")])), 5)
    assert saved.new == 1 and db.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_analysis_rows_and_the_json_shape_store_the_same_rows(tmp_path: Path) -> None:
    """A parse worker sends `AnalysisRows`; other writers (reindex, scripts) the JSON shape: the rows are equal."""
    from store.articles import AnalysisRows

    shape = {
        "countries": [{"code": "fi", "score": 1.0}, {"code": "EE", "score": 0.4}],
        "statements": [
            {
                "speaker": "Antti Häkkänen",
                "role": "Defence Minister",
                "speaker_country": "FI",
                "quote": "We will leave",
                "cue": "said",
                "start": 10,
                "end": 23,
            }
        ],
        "treaty_events": [{"country": "fi", "treaty": "Ottawa", "action": "deposit", "date": "2025-07-10"}],
    }
    dumps = []
    for name, analysis in (("shape", shape), ("rows", AnalysisRows.from_dict(shape))):
        db = open_db(tmp_path / f"{name}.db")
        db.execute("INSERT INTO feeds (id, url, name) VALUES (1, 'https://a.example/rss', 'A')")
        save_polls(db, [FeedPoll(1, NOW, OK, [{**_item("a1", "https://x.example/1"), "analysis": analysis}])])
        dumps.append(
            [
                db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                for t in ("article_countries", "statements", "treaty_signals")
            ]
        )
    assert dumps[0] == dumps[1]
    countries, statements, signals = dumps[0]
    assert sorted((r[3], r[1]) for r in countries) == [(0, "FI"), (1, "EE")]
    assert len(statements) == 1 and "We will leave" in statements[0]
    assert [r[2:6] for r in signals] == [("FI", "ottawa", "deposit", "2025-07-10")]
