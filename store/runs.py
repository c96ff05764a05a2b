"""Poll runs: when the last poll happened and how it went (the dashboard header)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlite_utils


@dataclass(frozen=True)
class PollRun:
    id: int
    started_at: str
    finished_at: str | None
    feeds: int
    ok: int
    not_modified: int
    failed: int
    new_items: int
    updated_items: int
    interrupted: bool


def start_run(db: sqlite_utils.Database, started_at: str, feeds: int) -> int:
    with db.conn:
        cur = db.conn.execute("INSERT INTO poll_runs (started_at, feeds) VALUES (?, ?)", (started_at, feeds))
    return int(cur.lastrowid or 0)


def finish_run(db: sqlite_utils.Database, run_id: int, finished_at: str, summary: Mapping[str, Any]) -> None:
    with db.conn:
        db.conn.execute(
            "UPDATE poll_runs SET finished_at = ?, ok = ?, not_modified = ?, failed = ?, new_items = ?,"
            " updated_items = ?, interrupted = ? WHERE id = ?",
            (
                finished_at,
                summary.get("ok", 0),
                summary.get("not_modified", 0),
                summary.get("failed", 0),
                summary.get("new", 0),
                summary.get("updated", 0),
                1 if summary.get("interrupted") else 0,
                run_id,
            ),
        )


def last_run(db: sqlite_utils.Database) -> PollRun | None:
    """The most recent finished poll run, or None before the first poll."""
    row = db.execute(
        "SELECT id, started_at, finished_at, feeds, ok, not_modified, failed, new_items, updated_items, interrupted"
        " FROM poll_runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    return PollRun(*row[:9], interrupted=bool(row[9]))
