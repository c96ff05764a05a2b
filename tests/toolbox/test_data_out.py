"""export, brief, the Datasette views, prune and doctor, on a database filled by a real poll."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from store import open_db
from store.lock import PollLock
from tests.feedserver import FeedServer
from tests.toolbox.helpers import ROOT, rss, run

STORY = {
    "guid": "a1",
    "link": "https://shared.example/2025/ottawa?utm_source=x",
    "title": "Estonia's parliament votes to leave the Ottawa Convention",
    "text": "Latvia and Estonia are abandoning the Ottawa Convention, citing Russia. "
    '"This decision sends a clear message," Defence Minister Hanno Pevkur said in Tallinn.',
}
EVIL = {
    "guid": "e1",
    "title": '=HYPERLINK("http://evil.example","click") Estonia: 3 < 4 & "drones"',
    "text": "Estonia's navy said a drone was seen over Tallinn harbour.",
}
OLD = {
    "guid": "o1",
    "title": "Estonia opens a new border post",
    "text": "Estonia built it.",
    "hours_ago": 24 * 400,
}
OLD_QUOTE = {
    "guid": "o2",
    "title": "Estonia's minister on defence spending",
    "text": '"We will spend five percent," Defence Minister Hanno Pevkur said in Tallinn, Estonia.',
    "hours_ago": 24 * 400,
}


@pytest.fixture
def polled(tmp_path: Path, feed_server: FeedServer) -> Path:
    """Three outlets: A and B carry the same article (same canonical URL), C a near-duplicate headline."""
    feed_server.add("/a.xml", rss([STORY, EVIL, OLD, OLD_QUOTE], title="A"))
    feed_server.add("/b.xml", rss([{**STORY, "guid": "b1"}], title="B"))
    near = {
        "guid": "c1",
        "link": "https://c.example/1",
        "title": "Estonian parliament votes to leave Ottawa Convention on mines",
        "text": "Tallinn, Estonia: the vote passed.",
    }
    feed_server.add("/c.xml", rss([near], title="C"))
    feed_server.add("/down.xml", status=503)
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        f'[store]\npath = "{tmp_path / "nw.db"}"\n\n[dashboard]\ncountries = ["EE", "IS"]\n\n'
        + "".join(
            f'[[feeds]]\nname = "Outlet {n}"\nurl = "{feed_server.url(p)}"\n\n'
            for n, p in (("A", "/a.xml"), ("B", "/b.xml"), ("C", "/c.xml"), ("Down", "/down.xml"))
        )
    )
    r = run("poll", "--config", str(cfg), "-q")
    assert r.returncode == 1, r.stderr  # the failing feed
    return cfg


def test_export_csv_is_safe_and_complete(polled: Path, tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    r = run("export", "articles", "--config", str(polled), "-o", str(out))
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert len(rows) == 5
    evil = next(x for x in rows if "HYPERLINK" in x["title"])
    assert evil["title"].startswith("'=HYPERLINK(")  # never a live formula
    shared = next(x for x in rows if x["title"] == STORY["title"])
    # A and B are fetched concurrently: whichever stored it first owns it, the other "also reported" it
    assert {shared["feed"], shared["also_reported_by"]} == {"Outlet A", "Outlet B"}
    assert shared["countries"].split()[0] == "EE"
    r = run("export", "articles", "--config", str(polled), "--since", "30d")
    assert r.returncode == 0 and len(list(csv.DictReader(io.StringIO(r.stdout)))) == 3


def test_export_json_jsonl_statements_and_treaties(polled: Path) -> None:
    r = run("export", "statements", "--format", "json", "--config", str(polled), "--country", "ee")
    data = json.loads(r.stdout)
    assert {d["speaker"] for d in data} == {"Hanno Pevkur"} and len(data) == 2
    assert data[0]["outlet"] in ("Outlet A", "Outlet B") and data[0]["article_url"].startswith(
        "https://shared.example/"
    )
    r = run("export", "treaties", "--format", "jsonl", "--config", str(polled))
    sig = [json.loads(line) for line in r.stdout.splitlines()]
    assert {(s["country"], s["treaty"]) for s in sig} >= {("EE", "ottawa"), ("LV", "ottawa")}
    empty = run("export", "statements", "--format", "json", "--config", str(polled), "--country", "IS")
    assert json.loads(empty.stdout) == []
    bad = run("export", "articles", "--since", "yesterday", "--config", str(polled))
    assert bad.returncode == 2 and "--since" in bad.stderr


def test_brief_clusters_and_escapes(polled: Path) -> None:
    md = run("brief", "--config", str(polled), "--since", "7d")
    assert md.returncode == 0, md.stderr
    text = md.stdout
    assert "## Estonia (EE)" in text and "Nothing new for: Iceland" in text
    # one story, three outlets: A owns the article, B carried it, C's near-duplicate headline joins it
    lines = [line for line in text.splitlines() if "Ottawa Convention" in line and line.startswith("- [")]
    assert len(lines) == 1 and lines[0].startswith("- [Estonia's parliament votes")
    also = lines[0].split("also reported by ")[1].rstrip(")").split(", ")
    assert sorted([lines[0].split("(Outlet ")[1][0], *(a[-1] for a in also)]) == ["A", "B", "C"]
    assert "Hanno Pevkur, Defence Minister: “This decision sends a clear message”" in text
    assert "ottawa: announce withdrawal — unconfirmed news" in text
    assert "## Failing feeds" in text and "Outlet Down: HTTP 503" in text
    html = run("brief", "--config", str(polled), "--since", "7d", "--format", "html").stdout
    assert "3 &lt; 4 &amp; &quot;drones&quot;" in html  # what survives ingest is still escaped here
    assert "<script>" not in html
    plain = run("brief", "--config", str(polled), "--since", "7d", "--format", "text").stdout
    assert "ESTONIA (EE)" in plain and all(f"Outlet {x}" in plain for x in "ABC")  # any may own the story


def test_views_and_sqlite_utils_cli(polled: Path, tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "nw.db")
    row = db.execute(
        "SELECT feed, countries, also_reported_by FROM articles_view WHERE title = ?", [STORY["title"]]
    ).fetchone()
    assert {row[0], row[2]} == {"Outlet A", "Outlet B"} and row[1].startswith("EE")
    st = db.execute("SELECT speaker, outlet, article_title FROM statements_view ORDER BY id").fetchall()
    assert any(s[0] == "Hanno Pevkur" and s[2] == STORY["title"] for s in st)
    cli = ROOT / ".venv" / "bin" / "sqlite-utils"
    if not cli.exists():
        pytest.skip("sqlite-utils CLI not installed")
    out = subprocess.run(
        [str(cli), "search", str(tmp_path / "nw.db"), "articles", "drone", "-c", "title"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "HYPERLINK" in json.loads(out)[0]["title"]
    out = subprocess.run(
        [str(cli), "rows", str(tmp_path / "nw.db"), "statements_view", "-c", "speaker"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(out)[0]["speaker"] == "Hanno Pevkur"


def test_prune_keeps_analysis_and_fts_in_step(polled: Path, tmp_path: Path) -> None:
    dbp = tmp_path / "nw.db"
    fts = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'border'"
    assert open_db(dbp).execute(fts).fetchone()[0] == 1
    with PollLock(dbp):
        locked = run("prune", "--older-than", "365d", "--config", str(polled))
    assert locked.returncode == 75
    dry = run("prune", "--older-than", "365d", "--dry-run", "--config", str(polled))
    assert "would delete 1 articles" in dry.stdout and "kept 1 that statements" in dry.stdout
    r = run("prune", "--older-than", "365d", "--config", str(polled))
    assert r.returncode == 0 and "deleted 1 articles" in r.stdout, r.stderr
    db = open_db(dbp)
    titles = {t for (t,) in db.execute("SELECT title FROM articles")}
    assert OLD["title"] not in titles and OLD_QUOTE["title"] in titles
    assert db.execute(fts).fetchone()[0] == 0
    r = run("prune", "--older-than", "365d", "--include-analysis", "--config", str(polled))
    assert (
        r.stdout.startswith("deleted 1 articles") and "(with 1 statements and 0 treaty signals)" in r.stdout
    )
    assert db.execute("SELECT count(*) FROM statements").fetchone()[0] == 1  # the recent one stays
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_doctor_verdicts(polled: Path) -> None:
    r = run("doctor", "--config", str(polled), "--timeout", "5")
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert any(x.startswith("ok") and "database integrity" in x for x in lines)
    assert any(x.startswith("FAIL") and "feed Outlet Down" in x and "HTTP 503" in x for x in lines)
    assert sum(x.startswith("ok    feed Outlet") for x in lines) == 3
    assert lines[-1] == "1 problem found"
    assert run("doctor", "--config", str(polled), "--offline").returncode == 0


def test_html_escapes_every_feed_string() -> None:
    from feeds.brief import Brief, Cluster, CountryBrief, render_html
    from store.brief import BriefStatement, FailingFeed, Story

    bad = '<script>alert("x")</script>'
    story = Story(1, bad, 'javascript:alert(1)"', "2025-01-01T00:00:00Z", bad, (bad,), 1.0)
    st = BriefStatement(
        1, bad, bad, "EE", bad, "2025-01-01T00:00:00Z", 1, bad, "https://x.example/?a=<b>", bad, 1
    )
    b = Brief(
        since="2025-01-01T00:00:00",
        generated="now",
        countries=[CountryBrief("EE", "Estonia", [], [], [], [st], [Cluster(story, [bad, bad + "2"])], 1)],
        failing=[FailingFeed(bad, "https://x.example/", bad, 3, None)],
    )
    out = render_html(b)
    assert "<script>" not in out and "javascript:" not in out
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in out
    assert 'href="https://x.example/?a=&lt;b&gt;"' in out
