"""Crashes and concurrency with real processes: kill -9 mid-poll, overlapping polls, stale locks, a reader
while a poll writes, a read-only database and a full disk.

(Two polls started together, exit 75 and config errors are in tests/test_cli_poll.py; newer/foreign databases in
tests/store/test_db.py.)
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from store import open_db
from tests.conftest import write_config
from tests.hostile.checks import control_char_cells, integrity
from tests.hostile.server import HostileServer, good_feed

NORDWATCH = [sys.executable, "-c", "from tui.cli import main; main()"]


def farm(
    tmp_path: Path, server: HostileServer, n_feeds: int = 24, n_items: int = 40, spread: float = 0.0
) -> tuple[Path, set]:
    """Good feeds only; returns (config path, the set of (feed, guid) the database must end with).

    With `spread`, responses start at evenly spaced delays up to `spread` seconds, so a poll stores feeds
    throughout that time (and a kill lands between, or inside, feed transactions).
    """
    feeds, expected = [], set()
    for i in range(n_feeds):
        doc, rows = good_feed(f"f{i:02d}", n_items)
        body = doc.replace(
            "Body of", "Estonia and Finland discussed the Baltic cable incident in Tallinn. " * 8
        )
        if spread:
            data = body.encode()
            url = server.stream(
                f"/f{i}.xml",
                lambda data=data: iter([data]),
                delay=spread * i / n_feeds,
                chunked=False,
                headers={"Content-Length": str(len(data))},
            )
        else:
            url = server.add(f"/f{i}.xml", body)
        feeds.append({"name": f"f{i:02d}", "url": url})
        expected |= {(f"f{i:02d}", g) for g, _t, _u in rows}
    return write_config(tmp_path / "c.toml", feeds, db=tmp_path / "nw.db"), expected


def stored(db: Path) -> list[tuple[str, str]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(
            "SELECT f.name, fi.guid FROM feed_items fi JOIN feeds f ON f.id = fi.feed_id ORDER BY 1, 2"
        ).fetchall()
    finally:
        con.close()


@pytest.mark.slow
def test_kill_9_at_random_moments_then_the_next_run_finishes(tmp_path: Path) -> None:
    server = HostileServer()
    try:
        cfg, expected = farm(tmp_path, server, spread=2.5)
        db = tmp_path / "nw.db"
        rng = random.Random(6)
        killed = 0
        for _ in range(5):
            p = subprocess.Popen(
                [*NORDWATCH, "poll", "--config", str(cfg), "-q"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: the parse workers die with it
            )
            time.sleep(rng.uniform(0.3, 2.5))
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                killed += 1
            p.wait(30)
            if db.exists():
                assert integrity(db) == "ok"
        assert killed >= 2  # the test proved nothing if every run finished before the kill
        r = subprocess.run(
            [*NORDWATCH, "poll", "--config", str(cfg), "--all"], capture_output=True, text=True, timeout=120
        )
        assert r.returncode == 0, r.stderr
        rows = stored(db)
        assert len(rows) == len(set(rows))  # nothing duplicated
        assert set(rows) == expected  # nothing lost
        con = sqlite3.connect(db)
        n_articles, n_distinct = con.execute(
            "SELECT count(*), count(DISTINCT canonical_url) FROM articles"
        ).fetchone()
        con.close()
        assert n_articles == n_distinct == len(expected)
        assert integrity(db) == "ok"
    finally:
        server.close()


def test_stale_lock_from_a_killed_poll_is_taken_over(tmp_path: Path) -> None:
    server = HostileServer()
    try:
        cfg, expected = farm(tmp_path, server, n_feeds=2, n_items=3)
        holder = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys, time; from store.lock import PollLock; "
                f"l = PollLock({str(tmp_path / 'nw.db')!r}); l.acquire(); print('held', flush=True); time.sleep(60)",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert holder.stdout.readline().strip() == "held"
        r = subprocess.run(
            [*NORDWATCH, "poll", "--config", str(cfg)], capture_output=True, text=True, timeout=60
        )
        assert r.returncode == 75 and f"pid {holder.pid}" in r.stderr and r.stderr.count("\n") == 1
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
        lock = tmp_path / "nw.db.lock"
        assert lock.exists() and str(holder.pid) in lock.read_text()  # the stale file is still there
        r = subprocess.run(
            [*NORDWATCH, "poll", "--config", str(cfg)], capture_output=True, text=True, timeout=60
        )
        assert r.returncode == 0, r.stderr
        assert set(stored(tmp_path / "nw.db")) == expected
    finally:
        server.close()


def test_two_polls_together_one_runs_one_exits_75(tmp_path: Path) -> None:
    server = HostileServer()
    try:
        cfg, expected = farm(tmp_path, server, n_feeds=6, n_items=10)
        procs = [
            subprocess.Popen(
                [*NORDWATCH, "poll", "--config", str(cfg)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        outs = [(p.wait(120), *p.communicate()) for p in procs]
        codes = sorted(o[0] for o in outs)
        assert codes == [0, 75, 75], outs
        for code, _out, err in outs:
            if code == 75:
                assert err.startswith("nordwatch: another poll is running") and err.count("\n") == 1
        assert set(stored(tmp_path / "nw.db")) == expected
        assert integrity(tmp_path / "nw.db") == "ok"
    finally:
        server.close()


@pytest.mark.slow
def test_reader_while_a_poll_writes_never_sees_locked(tmp_path: Path) -> None:
    server = HostileServer()
    try:
        cfg, expected = farm(tmp_path, server, n_feeds=18, n_items=40)
        db_path = tmp_path / "nw.db"
        open_db(db_path).close()  # the schema exists, as when the TUI is open
        errors: list[str] = []
        reads = 0
        stop = threading.Event()

        def reader() -> None:  # like the TUI: its own read-only connection, querying in a loop
            nonlocal reads
            db = open_db(db_path, readonly=True, migrate=False)
            try:
                while not stop.is_set():
                    try:
                        db.execute("SELECT count(*) FROM articles").fetchone()
                        db.execute(
                            "SELECT a.title FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
                            " WHERE articles_fts MATCH 'tallinn' ORDER BY a.published_at DESC LIMIT 20"
                        ).fetchall()
                        db.execute("SELECT name, last_error FROM feeds").fetchall()
                        reads += 1
                    except sqlite3.Error as e:
                        errors.append(str(e))
                    time.sleep(0.005)
            finally:
                db.close()

        t = threading.Thread(target=reader)
        t.start()
        try:
            r = subprocess.run(
                [*NORDWATCH, "poll", "--config", str(cfg)], capture_output=True, text=True, timeout=120
            )
        finally:
            stop.set()
            t.join(10)
        assert r.returncode == 0, r.stderr
        assert errors == []
        assert reads > 20
        assert set(stored(db_path)) == expected
    finally:
        server.close()


def test_read_only_database_is_one_clear_line_and_untouched(tmp_path: Path) -> None:
    server = HostileServer()
    try:
        cfg, _ = farm(tmp_path, server, n_feeds=2, n_items=3)
        db = tmp_path / "nw.db"
        assert (
            subprocess.run(
                [*NORDWATCH, "poll", "--config", str(cfg)], capture_output=True, timeout=60
            ).returncode
            == 0
        )
        server.update("/f0.xml", good_feed("f0", 5)[0])  # something new to write
        if os.geteuid() == 0:
            # root ignores file modes; the immutable attribute stops root too
            if subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode != 0:
                pytest.skip("cannot make the database read-only as root here (chattr +i refused)")
        else:
            db.chmod(0o444)
        try:
            before = db.read_bytes()
            r = subprocess.run(
                [*NORDWATCH, "poll", "--config", str(cfg), "--all"],
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert r.returncode == 2, (r.stdout, r.stderr)
            assert r.stderr == f"nordwatch: {db}: the database is read-only (check the file's permissions)\n"
            assert db.read_bytes() == before
        finally:
            if os.geteuid() == 0:
                subprocess.run(["chattr", "-i", str(db)], capture_output=True)
            db.chmod(0o644)
        assert integrity(db) == "ok"
    finally:
        server.close()


def test_disk_full_is_one_clear_line_and_no_corruption(tmp_path: Path) -> None:
    mnt = tmp_path / "small"
    mnt.mkdir()
    m = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=700k", "tmpfs", str(mnt)], capture_output=True)
    if m.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({m.stderr.decode(errors='replace').strip()[:80]})")
    server = HostileServer()
    try:
        feeds = []
        for i in range(30):
            doc, _ = good_feed(f"d{i}", 60)
            feeds.append(
                {"name": f"d{i}", "url": server.add(f"/d{i}.xml", doc.replace("Body of", "Long body " * 40))}
            )
        db = mnt / "nw.db"
        cfg = write_config(tmp_path / "c.toml", feeds, db=db)
        r = subprocess.run(
            [*NORDWATCH, "poll", "--config", str(cfg)], capture_output=True, text=True, timeout=120
        )
        assert r.returncode == 2, (r.stdout, r.stderr[-2000:])
        assert r.stderr == f"nordwatch: {db}: the disk is full; free space and run again (nothing was lost)\n"
        assert integrity(db) == "ok"
        assert control_char_cells(db) == []
    finally:
        server.close()
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)
