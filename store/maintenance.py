"""Maintenance: pruning old articles, integrity checks. Callers hold the poll lock for writes."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils


@dataclass(frozen=True)
class PruneResult:
    articles: int
    """Articles deleted (with their feed_items, countries and FTS rows; alerts keep their text)."""
    kept_for_analysis: int
    """Old articles kept because statements or treaty signals refer to them."""
    statements: int = 0
    signals: int = 0
    """Statements and treaty signals deleted with their articles (only with include_analysis)."""


_KEEP = (
    " AND NOT EXISTS (SELECT 1 FROM statements s WHERE s.article_id = a.id)"
    " AND NOT EXISTS (SELECT 1 FROM treaty_signals t WHERE t.article_id = a.id)"
)


def prune_articles(
    db: sqlite_utils.Database,
    cutoff: str,
    *,
    include_analysis: bool = False,
    dry_run: bool = False,
    batch: int = 1000,
) -> PruneResult:
    """Delete articles published before `cutoff`; keep those with statements/treaty signals unless asked.

    Deletes in batches of `batch` ids, each its own transaction (a reader or the TUI never waits long).
    Foreign keys cascade to feed_items, article_countries, statements and treaty_signals; the FTS triggers keep
    `articles_fts` in step; alerts keep their row with `article_id` set to NULL.
    """
    keep = "" if include_analysis else _KEEP
    old = db.execute("SELECT count(*) FROM articles WHERE published_at < ?", [cutoff]).fetchone()[0]
    sql = f"SELECT a.id FROM articles a WHERE a.published_at < ?{keep} ORDER BY a.id LIMIT ?"
    if dry_run:
        n = db.execute(
            f"SELECT count(*) FROM articles a WHERE a.published_at < ?{keep}", [cutoff]
        ).fetchone()[0]
        st = sg = 0
        if include_analysis:
            st = db.execute(
                "SELECT count(*) FROM statements WHERE article_id IN"
                " (SELECT id FROM articles WHERE published_at < ?)",
                [cutoff],
            ).fetchone()[0]
            sg = db.execute(
                "SELECT count(*) FROM treaty_signals WHERE article_id IN"
                " (SELECT id FROM articles WHERE published_at < ?)",
                [cutoff],
            ).fetchone()[0]
        return PruneResult(n, old - n, st, sg)
    deleted = st = sg = 0
    while True:
        ids = [r[0] for r in db.execute(sql, [cutoff, batch]).fetchall()]
        if not ids:
            break
        marks = ",".join("?" * len(ids))
        with db.conn:
            if include_analysis:
                st += db.conn.execute(f"DELETE FROM statements WHERE article_id IN ({marks})", ids).rowcount
                sg += db.conn.execute(
                    f"DELETE FROM treaty_signals WHERE article_id IN ({marks})", ids
                ).rowcount
            deleted += db.conn.execute(f"DELETE FROM articles WHERE id IN ({marks})", ids).rowcount
    return PruneResult(deleted, old - deleted, st, sg)


def quick_check(db: sqlite_utils.Database) -> list[str]:
    """`PRAGMA quick_check` and `foreign_key_check`: an empty list means the file is sound."""
    problems = [r[0] for r in db.execute("PRAGMA quick_check").fetchall() if r[0] != "ok"]
    fk = db.execute("PRAGMA foreign_key_check").fetchall()
    if fk:
        problems.append(f"{len(fk)} rows break foreign keys (first: table {fk[0][0]}, rowid {fk[0][1]})")
    return problems


def database_summary(db: sqlite_utils.Database) -> dict[str, int]:
    return {
        "articles": db.execute("SELECT count(*) FROM articles").fetchone()[0],
        "statements": db.execute("SELECT count(*) FROM statements").fetchone()[0],
        "feeds": db.execute("SELECT count(*) FROM feeds WHERE in_config = 1").fetchone()[0],
    }
