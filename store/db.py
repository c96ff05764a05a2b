"""Open the nordwatch database: WAL, busy timeout, foreign keys, schema migrations.

This module is the only owner of connection set-up. Every other module in `store/` takes the
`sqlite_utils.Database` this returns.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

# "NW" "DB" as a 32-bit int: lets us recognise our own files and refuse anyone else's.
APPLICATION_ID = 0x4E574442
BUSY_TIMEOUT_MS = 10_000

migrations = Migrations("nordwatch")


class StoreError(Exception):
    """A database problem the user can act on; str() is one line naming the file."""


@migrations()
def m001_core(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE feeds (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            countries TEXT NOT NULL DEFAULT '[]',   -- JSON list of ISO2 hints
            language TEXT,
            tags TEXT NOT NULL DEFAULT '[]',        -- JSON list
            interval_s INTEGER NOT NULL DEFAULT 1800,
            enabled INTEGER NOT NULL DEFAULT 1,
            in_config INTEGER NOT NULL DEFAULT 1,    -- 0 once removed from the config (rows are kept)
            title TEXT,                              -- the feed's own title
            site_url TEXT,
            etag TEXT,
            last_modified TEXT,
            body_hash TEXT,
            last_status INTEGER,                     -- HTTP status of the last response
            last_outcome TEXT,                       -- ok | not_modified | unchanged | error
            last_error TEXT,
            error_count INTEGER NOT NULL DEFAULT 0,
            last_success_at TEXT,
            checked_at TEXT,
            next_check_at TEXT,
            items_seen INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute(
        """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            feed_id INTEGER NOT NULL REFERENCES feeds(id),
            guid TEXT NOT NULL,
            url TEXT,
            canonical_url TEXT,
            title TEXT NOT NULL DEFAULT '',
            summary TEXT NOT NULL DEFAULT '',
            content TEXT NOT NULL DEFAULT '',
            author TEXT,
            language TEXT,
            published_at TEXT NOT NULL,              -- UTC ISO-8601, clamped to fetched_at
            published_raw TEXT,                      -- the feed's own date string when it was odd
            fetched_at TEXT NOT NULL,
            updated_at TEXT,
            content_hash TEXT NOT NULL,
            UNIQUE (feed_id, guid)
        )
        """
    )
    db.execute("CREATE INDEX idx_articles_published ON articles(published_at DESC)")
    db.execute("CREATE INDEX idx_articles_feed_published ON articles(feed_id, published_at DESC)")
    db.execute("CREATE INDEX idx_articles_canonical ON articles(canonical_url)")
    # Every (feed, guid) ever seen, mapped to the article it is. A twin from another feed gets a row
    # here (the "also reported by") instead of a second article.
    db.execute(
        """
        CREATE TABLE feed_items (
            feed_id INTEGER NOT NULL REFERENCES feeds(id),
            guid TEXT NOT NULL,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            content_hash TEXT NOT NULL,
            url TEXT,
            seen_at TEXT NOT NULL,
            PRIMARY KEY (feed_id, guid)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX idx_feed_items_article ON feed_items(article_id)")
    db["articles"].enable_fts(
        ["title", "summary", "content"], create_triggers=True, tokenize="unicode61 remove_diacritics 2"
    )
    db.execute(
        """
        CREATE TABLE article_countries (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            country TEXT NOT NULL,
            score REAL NOT NULL,
            rank INTEGER NOT NULL,                   -- 0 = main country
            published_at TEXT NOT NULL,              -- copied from the article: panel queries need no join
            PRIMARY KEY (article_id, country)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX idx_article_countries_country ON article_countries(country, published_at DESC)")
    db.execute(
        """
        CREATE TABLE statements (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            speaker TEXT,
            role TEXT,
            speaker_country TEXT,
            quote TEXT NOT NULL,
            cue TEXT,
            start INTEGER,
            "end" INTEGER,
            published_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX idx_statements_article ON statements(article_id)")
    db.execute("CREATE INDEX idx_statements_published ON statements(published_at DESC)")
    db.execute("CREATE INDEX idx_statements_country ON statements(speaker_country, published_at DESC)")
    db.execute(
        """
        CREATE TABLE treaty_signals (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            country TEXT NOT NULL,
            treaty TEXT NOT NULL,
            action TEXT NOT NULL,
            date TEXT,                               -- the date the text states, if any
            published_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX idx_treaty_signals_article ON treaty_signals(article_id)")
    db.execute("CREATE INDEX idx_treaty_signals_ct ON treaty_signals(country, treaty, published_at DESC)")
    db.execute(
        """
        CREATE TABLE poll_runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            feeds INTEGER NOT NULL DEFAULT 0,
            ok INTEGER NOT NULL DEFAULT 0,
            not_modified INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0,
            new_items INTEGER NOT NULL DEFAULT 0,
            updated_items INTEGER NOT NULL DEFAULT 0,
            interrupted INTEGER NOT NULL DEFAULT 0
        )
        """
    )


def known_migrations() -> frozenset[str]:
    """Names of every schema step this version knows (all migrations are registered at import)."""
    return frozenset(m.name for m in migrations._migrations)


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")


def _check_ours(db: sqlite_utils.Database, path: str) -> None:
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    tables = set(db.table_names())
    if app_id == 0 and tables and "_sqlite_migrations" not in tables:
        raise StoreError(f"{path}: not a nordwatch database (it has other tables); refusing to modify it")
    if app_id not in (0, APPLICATION_ID):
        raise StoreError(
            f"{path}: not a nordwatch database (application_id {app_id:#x}); refusing to modify it"
        )
    if "_sqlite_migrations" in tables:
        applied = {
            r[0]
            for r in db.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [migrations.name]
            )
        }
        unknown = sorted(applied - known_migrations())
        if unknown:
            raise StoreError(
                f"{path}: written by a newer nordwatch (schema step {unknown[-1]!r} is unknown here); "
                "upgrade nordwatch to use this database"
            )


def open_db(path: str | Path, *, readonly: bool = False, migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the database at `path` and bring its schema up to date.

    `readonly=True` opens with `mode=ro` and never writes (the TUI's reader connections use it once the
    schema exists). Raises StoreError with a one-line message for anything the user can fix.
    """
    p = Path(path).expanduser()
    try:
        if readonly:
            conn = sqlite3.connect(f"file:{p}?mode=ro", uri=True, check_same_thread=False)
        else:
            p.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(p), check_same_thread=False)
        _configure(conn)
        # No sqlite-utils plugins: their connection hooks are not ours to run, and finding them scans every installed
        # package's metadata (~25 ms at every start, cron runs included).
        db = sqlite_utils.Database(conn, execute_plugins=False)
        _check_ours(db, str(p))
        if not readonly:
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.enable_wal()
            if migrate and migrations.pending(db):
                migrations.apply(db)
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    except sqlite3.DatabaseError as e:
        raise StoreError(f"{p}: {_explain(e)}") from e
    except OSError as e:
        raise StoreError(f"{p}: {e.strerror or e}") from e
    return db


def store_error(path: str | Path, e: sqlite3.Error) -> StoreError:
    """A one-line StoreError for a SQLite failure on `path` mid-run (disk full, read-only, locked, corrupt)."""
    return StoreError(f"{Path(path).expanduser()}: {_explain(e)}")


def _explain(e: sqlite3.Error) -> str:
    msg = str(e)
    if "file is not a database" in msg or "malformed" in msg:
        return f"not a usable SQLite database ({msg})"
    if "readonly" in msg or "read-only" in msg:
        return "the database is read-only (check the file's permissions)"
    if "locked" in msg:
        return "the database is locked by another process for too long; try again"
    if "disk" in msg and "full" in msg:
        return "the disk is full; free space and run again (nothing was lost)"
    return msg


# ---------------------------------------------------------------- toolbox migrations (views, alerts)


@migrations()
def m002_views(db: sqlite_utils.Database) -> None:
    """Views for the common joins, for Datasette and `sqlite-utils` users (read-only conveniences)."""
    db.execute(
        """
        CREATE VIEW articles_view AS
        SELECT a.id, a.published_at, f.name AS feed, a.title, a.url,
               (SELECT group_concat(country, ' ') FROM
                   (SELECT country FROM article_countries c WHERE c.article_id = a.id ORDER BY c.rank))
                   AS countries,
               (SELECT group_concat(name, '; ') FROM
                   (SELECT DISTINCT f2.name FROM feed_items fi JOIN feeds f2 ON f2.id = fi.feed_id
                    WHERE fi.article_id = a.id AND fi.feed_id != a.feed_id ORDER BY f2.name))
                   AS also_reported_by,
               a.author, a.language, a.summary, a.fetched_at, a.feed_id
        FROM articles a JOIN feeds f ON f.id = a.feed_id
        """
    )
    db.execute(
        """
        CREATE VIEW statements_view AS
        SELECT s.id, s.published_at, s.speaker, s.role, s.speaker_country, s.quote, s.cue,
               a.title AS article_title, a.url AS article_url, f.name AS outlet, s.article_id
        FROM statements s JOIN articles a ON a.id = s.article_id JOIN feeds f ON f.id = a.feed_id
        """
    )
    db.execute(
        """
        CREATE VIEW treaty_signals_view AS
        SELECT t.id, t.published_at, t.country, t.treaty, t.action, t.date,
               a.title AS article_title, a.url AS article_url, f.name AS outlet, t.article_id
        FROM treaty_signals t JOIN articles a ON a.id = t.article_id JOIN feeds f ON f.id = a.feed_id
        """
    )


@migrations()
def m003_alerts(db: sqlite_utils.Database) -> None:
    """Alerts matched by `[[alerts]]` rules: recorded first, then delivered per channel, exactly once each."""
    db.execute(
        """
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            rule TEXT NOT NULL,
            kind TEXT NOT NULL,                      -- article | feed_failure | treaty_status
            key TEXT NOT NULL,                       -- 'article:<id>', 'feed:<id>:<day>', 'treaty:<c>:<t>:...'
            article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
            feed_id INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
            title TEXT NOT NULL,
            url TEXT,
            payload TEXT NOT NULL,                   -- the JSON delivered to channels
            created_at TEXT NOT NULL,
            channels TEXT NOT NULL DEFAULT '[]',     -- JSON list of channels still to deliver
            delivered TEXT NOT NULL DEFAULT '[]',    -- JSON list of channels delivered
            delivered_at TEXT,                       -- set once every channel is delivered
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            seen_at TEXT,                            -- set when the analyst has seen it (TUI)
            UNIQUE (rule, key)
        )
        """
    )
    db.execute("CREATE INDEX idx_alerts_pending ON alerts(delivered_at) WHERE delivered_at IS NULL")
    db.execute("CREATE INDEX idx_alerts_unseen ON alerts(seen_at) WHERE seen_at IS NULL")
    db.execute("CREATE INDEX idx_alerts_article ON alerts(article_id)")
    db.execute("CREATE TABLE alert_state (name TEXT PRIMARY KEY, value TEXT NOT NULL)")


@migrations()
def m004_fts_batched(db: sqlite_utils.Database) -> None:
    """Index new articles in batches (store.articles.index_pending) instead of a trigger per insert.

    A per-row trigger makes FTS5 write a tiny segment at every per-feed commit: on a cold poll of 1,000 feeds it
    was half of the main process's CPU. `fts_state` holds the watermark: rows at or below it are in the index and
    kept in step by the triggers; rows above it are not yet, so the triggers leave them alone (FTS5 must never be
    told to delete a row it lacks) and `index_pending` adds them with their current text. Any writer (sqlite-utils,
    Datasette, a script) keeps the index consistent this way.
    """
    db.execute("CREATE TABLE fts_state (name TEXT PRIMARY KEY, indexed_through INTEGER NOT NULL)")
    db.execute("INSERT INTO fts_state VALUES ('articles', (SELECT coalesce(max(id), 0) FROM articles))")
    indexed = "(SELECT indexed_through FROM fts_state WHERE name = 'articles')"
    cols = '"title", "summary", "content"'
    old = 'old."title", old."summary", old."content"'
    new = 'new."title", new."summary", new."content"'
    for t in ("articles_ai", "articles_ad", "articles_au"):
        db.execute(f'DROP TRIGGER IF EXISTS "{t}"')
    db.execute(
        f'CREATE TRIGGER "articles_ai" AFTER INSERT ON "articles" WHEN new.rowid <= {indexed} BEGIN\n'
        f'  INSERT INTO "articles_fts" (rowid, {cols}) VALUES (new.rowid, {new});\nEND'
    )
    db.execute(
        f'CREATE TRIGGER "articles_ad" AFTER DELETE ON "articles" WHEN old.rowid <= {indexed} BEGIN\n'
        f'  INSERT INTO "articles_fts" ("articles_fts", rowid, {cols}) VALUES(\'delete\', old.rowid, {old});\nEND'
    )
    db.execute(
        f'CREATE TRIGGER "articles_au" AFTER UPDATE ON "articles" WHEN old.rowid <= {indexed} BEGIN\n'
        f'  INSERT INTO "articles_fts" ("articles_fts", rowid, {cols}) VALUES(\'delete\', old.rowid, {old});\n'
        f'  INSERT INTO "articles_fts" (rowid, {cols}) VALUES (new.rowid, {new});\nEND'
    )
