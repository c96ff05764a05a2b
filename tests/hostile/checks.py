"""Independent checks over a whole database file: no control characters, http(s) links only, integrity."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

# Written out here rather than imported from feeds.sanitize, so the check does not trust the code it checks.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
LINK_COLUMNS = {
    ("articles", "url"),
    ("articles", "canonical_url"),
    ("feed_items", "url"),
    ("feeds", "site_url"),
}


def text_cells(path: Path) -> list[tuple[str, str, str]]:
    """(table, column, value) of every text cell in every ordinary table (FTS shadow tables excluded)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE '%VIRTUAL%'"
            )
            if not r[0].startswith(("articles_fts", "sqlite_"))
        ]
        out = []
        for t in tables:
            cols = [r[1] for r in con.execute(f'PRAGMA table_info("{t}")')]
            for row in con.execute(f'SELECT * FROM "{t}"'):
                out += [(t, c, v) for c, v in zip(cols, row, strict=True) if isinstance(v, str)]
        return out
    finally:
        con.close()


def control_char_cells(path: Path) -> list[tuple[str, str, str]]:
    return [(t, c, v[:120]) for t, c, v in text_cells(path) if FORBIDDEN.search(v)]


def bad_links(path: Path) -> list[tuple[str, str, str]]:
    return [
        (t, c, v)
        for t, c, v in text_cells(path)
        if (t, c) in LINK_COLUMNS and v and not re.match(r"https?://[^\s/]+", v)
    ]


def integrity(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()
