"""One `nordwatch poll` (the cron path, a real subprocess) against the whole hostile farm.

It must end inside a fixed bound, store every good feed exactly, fail each bad feed with a clear per-feed error
(or parse it correctly), and leave a database with no control characters, no non-http(s) links, no local file
content and no duplicates.
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import write_config
from tests.hostile.checks import bad_links, control_char_cells, integrity, text_cells
from tests.hostile.server import NASTY, Farm, HostileServer, build_farm

NORDWATCH = [sys.executable, "-c", "from tui.cli import main; main()"]
POLL_BOUND_S = 90
"""The subprocess is killed (and the test fails) past this; the poll itself takes ~10 s on 2 busy cores."""
POLL_SETTINGS = "[poll]\ntimeout = 1\ndeadline = 3\nmax_bytes = 5_000_000\nconcurrency = 64\nper_host = 64"


def poll(cfg: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*NORDWATCH, "poll", "--config", str(cfg), *args],
        capture_output=True,
        text=True,
        timeout=POLL_BOUND_S,
        env={**os.environ, "NO_COLOR": "1"},
    )


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def hostile_farm_server() -> Iterator[HostileServer]:
    server = HostileServer()
    yield server
    server.close()


@pytest.fixture(scope="module")
def farm_run(
    tmp_path_factory: pytest.TempPathFactory, hostile_farm_server: HostileServer
) -> tuple[Farm, Path, subprocess.CompletedProcess[str], dict]:
    """The farm is polled once per module (~10 s); the tests below read the same database."""
    tmp_path = tmp_path_factory.mktemp("farm")
    farm = build_farm(hostile_farm_server, tmp_path)
    db = tmp_path / "nw.db"
    cfg = write_config(tmp_path / "c.toml", farm.feeds(), db=db, extra=POLL_SETTINGS)
    r = poll(cfg, "--json")
    assert r.stdout, r.stderr
    return farm, db, r, json.loads(r.stdout)


@pytest.mark.slow
def test_one_poll_against_the_whole_farm(farm_run, hostile_farm_server: HostileServer) -> None:
    farm, db, r, summary = farm_run
    assert r.returncode == 1, r.stderr  # some feeds failed, the rest stored
    assert "\x1b" not in r.stdout + r.stderr and "\x9b" not in r.stdout + r.stderr
    results = {f["name"]: f for f in summary["feeds"]}
    assert set(results) == {c.name for c in farm.cases}
    for case in farm.cases:
        res = results[case.name]
        if case.expect == "ok":
            assert res["status"] == "ok", (case.name, res)
        elif case.expect == "error":
            assert res["status"] == "error", (case.name, res)
            assert any(n in res["error"] for n in case.error), (case.name, res["error"])
        else:
            assert res["status"] == "ok" or any(n in res["error"] for n in case.error), (case.name, res)
        if res["status"] == "error":
            assert res["error"] and "\n" not in res["error"] and len(res["error"]) <= 300, res

    # every good feed stored exactly: same guids, titles and links, nothing more
    for case in farm.cases:
        if case.items is None:
            continue
        stored = rows(
            db,
            "SELECT a.guid, a.title, a.url FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE f.name = ?",
            case.name,
        )
        assert sorted(stored) == sorted(case.items), case.name

    # streamed monsters were cut off early: the client stopped reading long before the end
    for path in ("/huge-chunked.xml", "/huge-unframed.xml", "/bomb.xml", "/bomb-raw.xml"):
        assert hostile_farm_server.sent.get(path, 0) < 64 * 1024 * 1024, path
    assert hostile_farm_server.sent.get("/huge-cl.xml", 0) < 64 * 1024 * 1024  # refused on Content-Length

    # size bounds
    assert (
        results["many_items"]["entries"] == 20_000
        and "kept the first 5,000" in results["many_items"]["warning"]
    )
    assert rows(
        db, "SELECT count(*) FROM articles WHERE guid LIKE 'm%' AND url LIKE 'https://many.example/%'"
    ) == [(5000,)]
    (longest,) = rows(db, "SELECT max(length(title)) FROM articles")[0]
    assert longest <= 1000
    (biggest,) = rows(db, "SELECT max(length(summary) + length(content)) FROM articles")[0]
    assert biggest < 250_000  # no entity expansion anywhere
    assert db.stat().st_size < 60_000_000

    # no local file content anywhere: not in any cell, not in the database or WAL bytes
    secret = farm.secret_text
    assert not [c for c in text_cells(db) if secret in c[2]]
    for f in db.parent.glob(db.name + "*"):
        assert secret.encode() not in f.read_bytes(), f

    # no control characters in any stored text, links http(s) only
    assert control_char_cells(db) == []
    assert bad_links(db) == []
    assert integrity(db) == "ok"


@pytest.mark.slow
def test_hostile_content_is_stored_clean_and_literal(farm_run) -> None:
    _farm, db, _r, _summary = farm_run
    art = {
        g: (t, s, c, u, au)
        for g, t, s, c, u, au in rows(db, "SELECT guid, title, summary, content, url, author FROM articles")
    }
    assert art["n-csi"][0] == "Red ALERT and clear screen"
    assert art["n-osc52"][0] == "Clipboard write" and "cm0gLXJmIH4" not in art["n-osc52"][1]
    assert art["n-title"][0] == "Window title" and "pwned" not in art["n-title"][0]
    assert art["n-bidi"][0] == "Invoice gnp.exe and isolate zerowidth"
    # markup stays literal text (the TUI renders it as Text, never as markup)
    assert art["n-markup"][0] == NASTY["markup"]
    assert art["n-markup"][4] == NASTY["markup"]  # author too
    # javascript:/file:/data: links never stored
    for g in ("n-js", "n-file", "n-data"):
        assert art[g][3] is None, g
    # script/iframe/style dropped from HTML, the prose kept
    summary = art["n-script"][1]
    assert "Hello" in summary and "world" in summary
    assert "alert" not in summary and "color:red" not in summary and "<" not in summary
    assert "alert" not in art["n-cdata"][1] and "after" in art["n-cdata"][1]
    (feed_title,) = rows(db, "SELECT title FROM feeds WHERE name = 'nasty'")[0]
    assert feed_title == "Nasty feed [b]x[/b]"
    (osc_err,) = rows(db, "SELECT last_error FROM feeds WHERE name = 'osc_reason'")[0]
    assert osc_err.startswith("HTTP 500 Oops") and "52;" not in osc_err


@pytest.mark.slow
def test_dates_and_duplicates(farm_run) -> None:
    _farm, db, _r, _summary = farm_run
    d = {
        g: (p, raw, f)
        for g, p, raw, f in rows(
            db, "SELECT guid, published_at, published_raw, fetched_at FROM articles WHERE guid LIKE 'd-%'"
        )
    }
    for g in ("d-none", "d-junk", "d-future", "d-old", "d-epoch"):
        assert d[g][0] == d[g][2], g  # clamped to the fetch time
    assert d["d-future"][1] == "Sat, 01 Jan 2150 00:00:00 GMT"  # raw value kept
    assert d["d-old"][1] == "Mon, 01 Jan 1979 00:00:00 GMT"
    assert d["d-none"][1] is None
    assert d["d-ok"][0] == "2025-06-02T10:00:00Z"
    # same guid twice in one feed: the first kept; same story under another guid: linked, not a new article
    assert rows(db, "SELECT title FROM articles WHERE url LIKE 'https://dups.example/%'") == [
        ("Same guid first",)
    ]
    assert rows(db, "SELECT count(*) FROM feed_items WHERE guid IN ('dup-1', 'dup-2')") == [(2,)]
    # the same URL from two feeds: one article, two feed_items ("also reported by")
    (n_articles,) = rows(
        db, "SELECT count(*) FROM articles WHERE canonical_url = 'https://shared.example/story'"
    )[0]
    assert n_articles == 1
    (n_items,) = rows(
        db,
        "SELECT count(*) FROM feed_items fi JOIN articles a ON a.id = fi.article_id"
        " WHERE a.canonical_url = 'https://shared.example/story'",
    )[0]
    assert n_items == 2


@pytest.mark.slow
def test_second_poll_adds_nothing(farm_run) -> None:
    farm, db, _r, first = farm_run
    before = (
        rows(db, "SELECT count(*) FROM articles")[0][0] + rows(db, "SELECT count(*) FROM feed_items")[0][0]
    )
    r = poll(db.parent / "c.toml", "--all")
    assert r.returncode == 1
    # cron's stderr: one clean line per failed feed
    lines = r.stderr.splitlines()
    for case in farm.cases:
        if case.expect == "error":
            assert sum(1 for x in lines if x.startswith(f"nordwatch: feed {case.name!r} failed: ")) == 1, (
                case.name
            )
    assert "\x1b" not in r.stderr + r.stdout and "\x9b" not in r.stderr + r.stdout
    assert "(0 new," in r.stdout
    after = (
        rows(db, "SELECT count(*) FROM articles")[0][0] + rows(db, "SELECT count(*) FROM feed_items")[0][0]
    )
    assert after == before
    assert integrity(db) == "ok"
    # memory stayed bounded in every process that ran (the polls and their parse workers)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert peak_mb < 1024, peak_mb
    assert first["polled"] == len(farm.cases)
