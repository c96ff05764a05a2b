"""News signals beside the status: unconfirmed, newer than the latest known event, never changing it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlite_utils

from store import open_db
from store.treaties import history, status_matrix

D = date.fromisoformat


def make_db(path: Path) -> sqlite_utils.Database:
    db = open_db(path)
    db["feeds"].insert({"id": 1, "url": "https://news.example/rss", "name": "Example"})
    return db


def add_signal(
    db: sqlite_utils.Database,
    article_id: int,
    country: str,
    treaty: str,
    action: str,
    published: str,
    stated: str | None,
) -> None:
    db["articles"].insert(
        {
            "id": article_id,
            "feed_id": 1,
            "guid": f"g{article_id}",
            "url": f"https://news.example/{article_id}",
            "title": f"Article {article_id}",
            "published_at": published,
            "fetched_at": published,
            "content_hash": f"h{article_id}",
        }
    )
    db["treaty_signals"].insert(
        {
            "article_id": article_id,
            "country": country,
            "treaty": treaty,
            "action": action,
            "date": stated,
            "published_at": published,
        }
    )


def test_only_signals_newer_than_latest_event_are_shown_and_status_is_unchanged(tmp_path: Path) -> None:
    db = make_db(tmp_path / "x.db")
    # Old news about Latvia's deposit (already in the baseline): not shown.
    add_signal(db, 1, "LV", "ottawa", "deposit_withdrawal", "2025-06-28T08:00:00Z", "2025-06-27")
    # News of a step after the latest event (withdrawal effective 2025-12-27): shown.
    add_signal(db, 2, "LV", "ottawa", "announce_accession", "2026-03-02T09:00:00Z", None)
    add_signal(db, 3, "LV", "ottawa", "parliament_vote", "2026-03-05T10:00:00Z", "2026-03-04")
    # Published after the as-of date: not visible as of then.
    add_signal(db, 4, "LV", "ottawa", "deposit_withdrawal", "2026-04-01T10:00:00Z", None)
    # Another pair / a treaty outside the filter.
    add_signal(db, 5, "SE", "ottawa", "announce_withdrawal", "2026-03-01T10:00:00Z", None)
    add_signal(db, 6, "LV", "start", "announce_withdrawal", "2026-03-01T10:00:00Z", None)

    got = {(s.country, s.treaty): s for s in status_matrix(db, D("2026-03-10"), countries=["LV", "SE"])}
    lv = got[("LV", "ottawa")]
    assert (lv.status, lv.effective) == ("withdrawn", D("2025-12-27"))  # the news changes nothing
    assert [s.article_id for s in lv.signals] == [3, 2]  # newest first
    assert lv.to_dict()["signals"][0] == {
        "article_id": 3,
        "title": "Article 3",
        "url": "https://news.example/3",
        "action": "parliament_vote",
        "date": "2026-03-04",
        "published_at": "2026-03-05T10:00:00Z",
    }
    assert [s.article_id for s in got[("SE", "ottawa")].signals] == [5]
    assert got[("SE", "ottawa")].status == "party"
    assert all(not s.signals for k, s in got.items() if k not in {("LV", "ottawa"), ("SE", "ottawa")})


def test_signal_older_than_a_user_event_is_hidden(tmp_path: Path) -> None:
    from store.treaties import parse_event

    db = make_db(tmp_path / "x.db")
    add_signal(db, 1, "SE", "ottawa", "announce_withdrawal", "2026-03-01T10:00:00Z", None)
    user = [
        parse_event(
            {"country": "SE", "treaty": "ottawa", "kind": "announce_withdrawal", "date": "2026-03-02"}
        )
    ]
    se = status_matrix(db, D("2026-04-01"), countries=["SE"], treaties=["ottawa"], user_events=user)[0]
    assert se.status == "withdrawal_announced"
    assert se.signals == ()
    assert [e.origin for e in history(db, "SE", "ottawa", user_events=user)][-1] == "user"


def test_database_without_signals_or_none_is_fine(tmp_path: Path) -> None:
    db = make_db(tmp_path / "x.db")
    with_db = status_matrix(db, D("2025-09-01"))
    without = status_matrix(None, D("2025-09-01"))
    assert [(s.status, s.effective) for s in with_db] == [(s.status, s.effective) for s in without]
    assert all(s.signals == () for s in with_db)
