from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from store import StoreError, open_db


def test_fresh_database_has_wal_fk_and_schema(tmp_path: Path) -> None:
    db = open_db(tmp_path / "a" / "nw.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    for t in ("feeds", "articles", "feed_items", "articles_fts", "statements", "treaty_signals", "poll_runs"):
        assert db[t].exists(), t
    idx = {i.name for i in db["articles"].indexes}
    assert {"idx_articles_published", "idx_articles_feed_published"} <= idx
    db.close()
    open_db(tmp_path / "a" / "nw.db").close()  # reopening applies nothing and works


def test_fts_follows_inserts_updates_deletes(tmp_path: Path) -> None:
    from store.articles import index_pending

    db = open_db(tmp_path / "nw.db")
    db.execute("INSERT INTO feeds (id, url, name) VALUES (1, 'https://x/', 'x')")

    def add(i: int, title: str) -> None:
        db.execute(
            "INSERT INTO articles (id, feed_id, guid, title, published_at, fetched_at, content_hash)"
            " VALUES (?, 1, ?, ?, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 'h')",
            [i, f"g{i}", title],
        )

    q = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid"
    add(1, "Narva bridge closed")
    # Not yet indexed: an update or delete by any writer must leave FTS consistent.
    db.execute("UPDATE articles SET title = 'Narva bridge reopened' WHERE id = 1")
    add(2, "Kaliningrad drill")
    db.execute("DELETE FROM articles WHERE id = 2")
    db.conn.commit()
    assert db.execute(q, ["narva"]).fetchall() == []
    assert index_pending(db) == 1
    assert db.execute(q, ["reopened"]).fetchall() == [(1,)]
    assert db.execute(q, ["kaliningrad"]).fetchall() == []
    # Indexed rows follow updates and deletes at once.
    db.execute("UPDATE articles SET title = 'Gotland exercise' WHERE id = 1")
    assert db.execute(q, ["narva"]).fetchall() == []
    assert db.execute(q, ["gotland"]).fetchall() == [(1,)]
    # An id at or below the watermark (reused after a delete) is indexed on insert.
    add(0, "Suwalki gap patrol")
    assert db.execute(q, ["suwalki"]).fetchall() == [(0,)]
    db.execute("DELETE FROM articles WHERE id = 1")
    db.conn.commit()
    assert db.execute(q, ["gotland"]).fetchall() == []
    db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")  # raises if inconsistent


def test_newer_schema_is_refused_and_untouched(tmp_path: Path) -> None:
    p = tmp_path / "nw.db"
    open_db(p).close()
    con = sqlite3.connect(p)
    con.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('nordwatch', 'm999_future', 'x')"
    )
    con.commit()
    con.close()
    before = p.read_bytes()
    with pytest.raises(StoreError, match="newer nordwatch"):
        open_db(p)
    assert p.read_bytes() == before


def test_foreign_database_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "other.db"
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE customers (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="not a nordwatch database"):
        open_db(p)
    assert sqlite3.connect(p).execute("SELECT name FROM sqlite_master").fetchall() == [("customers",)]


def test_garbage_file_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "junk.db"
    p.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match=r"junk\.db: not a usable SQLite database"):
        open_db(p)
