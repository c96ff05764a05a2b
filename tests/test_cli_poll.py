"""`nordwatch poll` as cron runs it: a subprocess, exit codes, output streams, the lock."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from store.lock import PollLock
from tests.conftest import fixture_bytes, write_config
from tests.feedserver import FeedServer

NORDWATCH = [sys.executable, "-c", "from tui.cli import main; main()"]


def run(*args: str, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    e = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([*NORDWATCH, *args], capture_output=True, text=True, timeout=timeout, env=e)


def config(tmp_path: Path, server: FeedServer, bad: bool = False) -> Path:
    feeds = [{"name": "good", "url": server.add("/good.xml", fixture_bytes("rss20_basic.xml"))}]
    if bad:
        feeds.append({"name": "broken", "url": server.add("/broken.xml", status=500)})
    return write_config(tmp_path / "c.toml", feeds, db=tmp_path / "nw.db")


def test_exit_0_and_summary_line(tmp_path: Path, feed_server: FeedServer) -> None:
    cfg = config(tmp_path, feed_server)
    r = run("poll", "--config", str(cfg))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("polled 1 feed in ") and "1 ok (3 new, 0 not modified), 0 failed" in r.stdout
    assert r.stderr == ""
    q = run("poll", "--config", str(cfg), "--all", "-q")
    assert (q.returncode, q.stdout, q.stderr) == (0, "", "")  # quiet on success


def test_exit_1_names_failed_feed_on_stderr(tmp_path: Path, feed_server: FeedServer) -> None:
    r = run("poll", "--config", str(config(tmp_path, feed_server, bad=True)), "-q")
    assert r.returncode == 1
    assert "feed 'broken' failed: HTTP 500" in r.stderr
    assert "1 failed" in r.stdout  # a failing run is never silent


def test_json_summary(tmp_path: Path, feed_server: FeedServer) -> None:
    r = run("poll", "--config", str(config(tmp_path, feed_server, bad=True)), "--json")
    data = json.loads(r.stdout)
    assert data["polled"] == 2 and data["failed"] == 1 and data["new"] == 3
    by = {f["name"]: f for f in data["feeds"]}
    assert by["good"]["http_status"] == 200 and by["good"]["new"] == 3
    assert by["broken"]["status"] == "error" and by["broken"]["http_status"] == 500


def test_exit_2_for_config_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[feeds]]\nurl = "https://a.example/"\nnmae = "x"\n')
    r = run("poll", "--config", str(bad))
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "did you mean 'name'" in r.stderr and str(bad) in r.stderr
    r = run("poll", "--config", str(tmp_path / "missing.toml"))
    assert r.returncode == 2 and "config file not found" in r.stderr
    r = run("poll", "--bogus-flag")
    assert r.returncode == 2


def test_exit_2_for_foreign_database(tmp_path: Path, feed_server: FeedServer) -> None:
    cfg = config(tmp_path, feed_server)
    (tmp_path / "nw.db").write_bytes(b"not a database" * 200)
    r = run("poll", "--config", str(cfg))
    assert r.returncode == 2 and "not a usable SQLite database" in r.stderr


def test_exit_75_when_another_poll_runs(tmp_path: Path, feed_server: FeedServer) -> None:
    cfg = config(tmp_path, feed_server)
    with PollLock(tmp_path / "nw.db"):
        r = run("poll", "--config", str(cfg))
    assert r.returncode == 75
    assert "another poll is running" in r.stderr and r.stderr.count("\n") == 1


def test_two_polls_started_together(tmp_path: Path, feed_server: FeedServer) -> None:
    feed_server.add("/slow.xml", fixture_bytes("rss20_basic.xml"), drip=0.002)
    cfg = write_config(
        tmp_path / "c.toml", [{"name": "slow", "url": feed_server.url("/slow.xml")}], db=tmp_path / "nw.db"
    )
    env = {**os.environ}
    procs = [
        subprocess.Popen(
            [*NORDWATCH, "poll", "--config", str(cfg)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    codes = sorted(p.wait(60) for p in procs)
    assert codes == [0, 75]


def test_exit_130_on_interrupt(tmp_path: Path, feed_server: FeedServer) -> None:
    good = feed_server.add("/good.xml", fixture_bytes("rss20_basic.xml"))
    hang = feed_server.add("/hang.xml", hang=True)
    cfg = write_config(
        tmp_path / "c.toml",
        [{"name": "good", "url": good}, {"name": "hang", "url": hang}],
        db=tmp_path / "nw.db",
    )
    p = subprocess.Popen(
        [*NORDWATCH, "poll", "--config", str(cfg)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 20
    while feed_server.hits["/hang.xml"] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=20)
    assert p.returncode == 130, (out, err)
    assert "interrupted" in err
    # the feed that finished before the interrupt is stored, and the lock is free again
    with PollLock(tmp_path / "nw.db"):
        pass


def test_feeds_command_lists_health(tmp_path: Path, feed_server: FeedServer) -> None:
    cfg = config(tmp_path, feed_server, bad=True)
    run("poll", "--config", str(cfg))
    r = run("feeds", "--config", str(cfg))
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[1].startswith("error") and "broken" in lines[1] and "HTTP 500" in lines[1]  # broken first
    data = json.loads(run("feeds", "--config", str(cfg), "--json").stdout)
    assert {d["name"]: d["error_count"] for d in data} == {"good": 0, "broken": 1}


def test_config_check_and_path(tmp_path: Path, feed_server: FeedServer) -> None:
    cfg = config(tmp_path, feed_server)
    r = run("config", "check", "--config", str(cfg))
    assert r.returncode == 0 and 'name = "good"' in r.stdout and "concurrency = 16" in r.stdout
    r = run("config", "path", env={"NORDWATCH_CONFIG": str(cfg)})
    assert r.stdout.strip() == str(cfg) and "$NORDWATCH_CONFIG" in r.stderr
