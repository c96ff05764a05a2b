"""The poll pipeline against a real local HTTP server and a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from feeds.config import load_config
from feeds.poll import run_poll
from store import open_db
from store.lock import PollLock, PollLocked
from tests.conftest import fixture_bytes, write_config
from tests.feedserver import FeedServer

RSS = "application/rss+xml"


def rss(items: list[tuple[str, str, str]], title: str = "Gen feed") -> str:
    """items: (guid, title, link)"""
    body = "".join(
        f"<item><guid>{g}</guid><title>{t}</title><link>{link}</link>"
        f"<pubDate>Mon, 02 Jun 2025 10:{i:02d}:00 GMT</pubDate><description>Body of {t}.</description></item>"
        for i, (g, t, link) in enumerate(items)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title><link>https://gen.example/</link><description>d</description>{body}</channel></rss>'


def setup(tmp_path: Path, server: FeedServer, feeds: dict[str, str | bytes], **extra: object):
    entries = []
    for name, body in feeds.items():
        url = server.add(f"/{name}.xml", body, content_type=RSS)
        entries.append({"name": name, "url": url, **extra})
    path = write_config(tmp_path / "config.toml", entries, db=tmp_path / "nw.db")
    return load_config(path)


def count(db_path: Path, sql: str = "SELECT count(*) FROM articles") -> int:
    db = open_db(db_path)
    try:
        return db.execute(sql).fetchone()[0]
    finally:
        db.close()


def test_formats_are_parsed_and_normalised(tmp_path: Path, feed_server: FeedServer) -> None:
    cfg = setup(
        tmp_path,
        feed_server,
        {
            "rss20": fixture_bytes("rss20_basic.xml"),
            "atom": fixture_bytes("atom10_relative_links.xml"),
            "rdf": fixture_bytes("rss10_rdf.xml"),
            "latin1": fixture_bytes("rss20_iso-8859-1.xml"),
        },
    )
    s = run_poll(cfg, force=True)
    assert s.failed == 0 and s.new == 3 + 2 + 2 + 1
    db = open_db(cfg.db_path)
    row = db.execute("SELECT * FROM articles WHERE guid = 'bw-1001'").fetchone()
    cols = [d[0] for d in db.execute("SELECT * FROM articles LIMIT 0").description]
    a = dict(zip(cols, row, strict=True))
    assert a["published_at"] == "2025-06-04T07:15:00Z"  # +0300 -> UTC
    assert a["canonical_url"] == "https://balticwire.example/2025/06/riigikogu-ottawa"  # utm_* dropped
    assert "utm_source" in a["url"]
    assert "alert(" not in a["content"] and "<p>" not in a["content"]
    assert a["content"].startswith("The Riigikogu voted 81 to 1")
    assert a["author"] == "Kadri Test"
    # Atom: relative links resolved against the feed URL, html title made text
    links = {r[0]: r[1] for r in db.execute("SELECT title, url FROM articles WHERE guid LIKE 'tag:%'")}
    assert links["Suomi vetäytyy Ottawan sopimuksesta"] == feed_server.url("/uutiset/2025/ottawa")
    assert links["Rajavartiolaitos: GPS-häirintää Itämerellä"] == feed_server.url("/uutiset/2025/gps")
    # Declared ISO-8859-1 decoded correctly
    (title,) = db.execute("SELECT title FROM articles WHERE guid = 'l1'").fetchone()
    assert title == "Ny rapport från Försvarsmakten om Åland"
    # RSS 1.0 dc:date
    (pub,) = db.execute(
        "SELECT published_at FROM articles WHERE url LIKE '%rigaobserver.example/a/1'"
    ).fetchone()
    assert pub == "2025-04-16T11:00:00Z"
    # FTS finds by content words
    hits = db.execute(
        "SELECT a.guid FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid WHERE articles_fts MATCH 'riigikogu'"
    ).fetchall()
    assert hits == [("bw-1001",)]


def test_conditional_get_round_trip(tmp_path: Path, feed_server: FeedServer) -> None:
    cfg = setup(tmp_path, feed_server, {"a": fixture_bytes("rss20_basic.xml")})
    first = run_poll(cfg, force=True)
    assert first.results[0].status == "ok" and first.new == 3
    second = run_poll(cfg, force=True)
    assert second.results[0].status == "not_modified" and second.results[0].http_status == 304
    assert feed_server.conditional["/a.xml"] == 1
    assert count(cfg.db_path) == 3
    db = open_db(cfg.db_path)
    etag, outcome = db.execute("SELECT etag, last_outcome FROM feeds").fetchone()
    assert etag == feed_server.routes["/a.xml"].etag and outcome == "not_modified"


def test_not_modified_responses_keep_their_connection(tmp_path: Path, feed_server: FeedServer) -> None:
    # A warm run is all 304s: each answered connection goes back to the pool for the host's next feed, so the run
    # opens no more connections than feeds in flight to that host (`per_host`), not one per feed.
    feeds = {f"k{i}": rss([(f"g{i}", f"Story {i}", f"https://gen.example/{i}")]) for i in range(24)}
    cfg = setup(tmp_path, feed_server, feeds)
    assert run_poll(cfg, force=True).new == 24
    feed_server.connections = 0
    warm = run_poll(cfg, force=True)
    assert {r.status for r in warm.results} == {"not_modified"}
    assert feed_server.connections <= cfg.poll.per_host
    # a small error body is read too: the connection serves the next feed
    for name in feeds:
        feed_server.add(f"/{name}.xml", b"gone", status=410)
    feed_server.connections = 0
    gone = run_poll(cfg, force=True)
    assert {r.http_status for r in gone.results} == {410}
    assert feed_server.connections <= cfg.poll.per_host


def test_same_body_without_validators_is_not_reparsed(tmp_path: Path, feed_server: FeedServer) -> None:
    url = feed_server.add("/n.xml", fixture_bytes("rss20_basic.xml"), conditional=False)
    cfg = load_config(write_config(tmp_path / "c.toml", [{"name": "n", "url": url}], db=tmp_path / "nw.db"))
    run_poll(cfg, force=True)
    again = run_poll(cfg, force=True)
    assert again.results[0].status == "unchanged" and again.new == 0


def test_dedup_within_feed_and_edits(tmp_path: Path, feed_server: FeedServer) -> None:
    cfg = setup(tmp_path, feed_server, {"dup": fixture_bytes("rss20_duplicate_guids.xml")})
    s = run_poll(cfg, force=True)
    # guid repeated: first kept; same story under another guid (same canonical URL): linked, not inserted
    assert s.new == 1 and s.results[0].linked == 1
    assert count(cfg.db_path) == 1
    assert count(cfg.db_path, "SELECT count(*) FROM feed_items") == 2


def test_edited_item_updates_its_row(tmp_path: Path, feed_server: FeedServer) -> None:
    items = [("g1", "Original title", "https://gen.example/1"), ("g2", "Other", "https://gen.example/2")]
    cfg = setup(tmp_path, feed_server, {"e": rss(items)})
    run_poll(cfg, force=True)
    feed_server.update("/e.xml", rss([("g1", "Corrected title", "https://gen.example/1"), items[1]]))
    s = run_poll(cfg, force=True)
    assert (s.new, s.updated) == (0, 1)
    db = open_db(cfg.db_path)
    assert db.execute("SELECT title, updated_at IS NOT NULL FROM articles WHERE guid = 'g1'").fetchone() == (
        "Corrected title",
        1,
    )
    assert count(cfg.db_path) == 2


def test_cross_feed_dedup_records_also_reported_by(tmp_path: Path, feed_server: FeedServer) -> None:
    a = rss([("a1", "Cable cut near Gotland", "https://wire.example/story?utm_source=a")])
    b = rss([("b-77", "Cable cut near Gotland (update)", "http://www.wire.example/story")])
    cfg = setup(tmp_path, feed_server, {"a": a})
    run_poll(cfg, force=True)
    cfg = setup(tmp_path, feed_server, {"a": a, "b": b})
    s = run_poll(cfg, force=True)
    assert s.new == 0 and sum(r.linked for r in s.results) == 1
    db = open_db(cfg.db_path)
    assert count(cfg.db_path) == 1
    rows = db.execute(
        "SELECT f.name FROM feed_items fi JOIN feeds f ON f.id = fi.feed_id ORDER BY f.name"
    ).fetchall()
    assert rows == [("a",), ("b",)]


def test_missing_guid_and_odd_dates(tmp_path: Path, feed_server: FeedServer) -> None:
    cfg = setup(tmp_path, feed_server, {"odd": fixture_bytes("rss20_no_guid_no_date.xml")})
    s = run_poll(cfg, force=True)
    assert s.new == 5
    db = open_db(cfg.db_path)
    rows = {
        r[0]: r[1:]
        for r in db.execute("SELECT title, guid, published_at, published_raw, fetched_at FROM articles")
    }
    assert rows["Item with only a link"][0] == "https://noguid.example/one"  # guid falls back to link
    assert rows["Item with neither guid nor link"][0].startswith("sha:")
    for t in ("Far future item", "Ancient item", "Unparseable date"):
        _guid, published, _raw, fetched = rows[t]
        assert published == fetched, t  # clamped to fetch time
    assert rows["Far future item"][2] == "Sat, 01 Jan 2150 00:00:00 GMT"  # raw kept
    # stable guids: a second poll of the same (changed-body) feed inserts nothing new
    feed_server.update("/odd.xml", fixture_bytes("rss20_no_guid_no_date.xml") + b"\n")
    assert run_poll(cfg, force=True).new == 0


@pytest.mark.parametrize(
    ("route", "expect"),
    [
        ({"status": 404}, "HTTP 404"),
        ({"status": 410}, "HTTP 410"),
        ({"status": 500}, "HTTP 500"),
        ({"status": 429, "headers": {"Retry-After": "7200"}}, "retry after 7200s"),
        ({"status": 200, "body": b""}, "empty response body"),
        (
            {"status": 200, "body": b"<html><body>Not a feed</body></html>", "content_type": "text/html"},
            "not a feed",
        ),
    ],
)
def test_failures_are_per_feed(tmp_path: Path, feed_server: FeedServer, route: dict, expect: str) -> None:
    good = feed_server.add("/good.xml", fixture_bytes("rss20_basic.xml"))
    bad = feed_server.add("/bad.xml", **route)
    path = write_config(
        tmp_path / "c.toml",
        [{"name": "good", "url": good}, {"name": "bad", "url": bad}],
        db=tmp_path / "nw.db",
    )
    s = run_poll(load_config(path), force=True)
    by = {r.name: r for r in s.results}
    assert by["good"].status == "ok" and by["good"].new == 3
    assert by["bad"].status == "error" and expect in (by["bad"].error or "")
    db = open_db(tmp_path / "nw.db")
    err, n, nxt, checked = db.execute(
        "SELECT last_error, error_count, next_check_at, checked_at FROM feeds WHERE name = 'bad'"
    ).fetchone()
    assert expect in err and n == 1 and nxt > checked
    if "7200" in expect:
        from datetime import datetime

        fmt = "%Y-%m-%dT%H:%M:%SZ"
        assert (datetime.strptime(nxt, fmt) - datetime.strptime(checked, fmt)).total_seconds() >= 7200


def test_slow_and_oversize_feeds_fail_within_bounds(tmp_path: Path, feed_server: FeedServer) -> None:
    good = feed_server.add("/good.xml", fixture_bytes("rss20_basic.xml"))
    drip = feed_server.add("/drip.xml", fixture_bytes("rss20_basic.xml"), drip=0.2)
    hang = feed_server.add("/hang.xml", hang=True)
    big = feed_server.add("/big.xml", b"<rss>" + b" " * 3_000_000 + b"</rss>")
    bomb = feed_server.add("/bomb.xml", b"<rss>" + b" " * 3_000_000 + b"</rss>", gzip=True)
    feeds = [
        {"name": n, "url": u}
        for n, u in [("good", good), ("drip", drip), ("hang", hang), ("big", big), ("bomb", bomb)]
    ]
    path = write_config(
        tmp_path / "c.toml",
        feeds,
        db=tmp_path / "nw.db",
        extra="[poll]\ntimeout = 1\ndeadline = 2\nmax_bytes = 1_000_000",
    )
    import time

    t = time.monotonic()
    s = run_poll(load_config(path), force=True)
    assert time.monotonic() - t < 8
    by = {r.name: r for r in s.results}
    assert by["good"].new == 3
    assert "within 2s" in by["drip"].error or "timed out" in by["drip"].error
    assert by["hang"].status == "error"
    assert "larger than 1,000,000 bytes" in by["big"].error
    assert "larger than 1,000,000 bytes" in by["bomb"].error  # decompressed size is capped


def test_redirects_followed_and_capped(tmp_path: Path, feed_server: FeedServer) -> None:
    feed_server.add("/final.xml", fixture_bytes("rss20_basic.xml"))
    feed_server.add("/r1", status=301, headers={"Location": "/final.xml"}, conditional=False)
    for i in range(8):
        feed_server.add(f"/loop{i}", status=302, headers={"Location": f"/loop{i + 1}"}, conditional=False)
    feed_server.add("/loop8", status=302, headers={"Location": "/loop0"}, conditional=False)
    feeds = [
        {"name": "moved", "url": feed_server.url("/r1")},
        {"name": "loop", "url": feed_server.url("/loop0")},
    ]
    s = run_poll(load_config(write_config(tmp_path / "c.toml", feeds, db=tmp_path / "nw.db")), force=True)
    by = {r.name: r for r in s.results}
    assert by["moved"].new == 3
    assert "more than 5 redirects" in by["loop"].error


def test_due_feeds_and_backoff(tmp_path: Path, feed_server: FeedServer) -> None:
    good = feed_server.add("/good.xml", fixture_bytes("rss20_basic.xml"))
    bad = feed_server.add("/bad.xml", status=503)
    path = write_config(
        tmp_path / "c.toml",
        [{"name": "good", "url": good}, {"name": "bad", "url": bad}],
        db=tmp_path / "nw.db",
    )
    cfg = load_config(path)
    assert run_poll(cfg).polled == 2  # never polled: both due
    assert run_poll(cfg).polled == 0  # nothing due 30 min later
    assert run_poll(cfg, only=["bad"]).polled == 1  # --feed polls it now
    db = open_db(tmp_path / "nw.db")
    (n,) = db.execute("SELECT error_count FROM feeds WHERE name = 'bad'").fetchone()
    assert n == 2  # consecutive failures counted; it is never disabled


def test_lock_contention(tmp_path: Path, feed_server: FeedServer) -> None:
    cfg = setup(tmp_path, feed_server, {"a": fixture_bytes("rss20_basic.xml")})
    with PollLock(cfg.db_path), pytest.raises(PollLocked, match=r"another poll is running .*pid \d+"):
        run_poll(cfg, force=True)
    assert run_poll(cfg, force=True).new == 3  # released lock is free again


def test_user_agent_sent(tmp_path: Path, feed_server: FeedServer) -> None:
    cfg = setup(tmp_path, feed_server, {"a": fixture_bytes("rss20_basic.xml")})
    run_poll(cfg, force=True)
    assert feed_server.user_agents[0].startswith("nordwatch/")


def test_brotli_and_deflate_bodies(tmp_path: Path, feed_server: FeedServer) -> None:
    import zlib

    import brotli

    body = fixture_bytes("rss20_basic.xml")
    br = feed_server.add("/br.xml", brotli.compress(body), headers={"Content-Encoding": "br"})
    de = feed_server.add("/de.xml", zlib.compress(body), headers={"Content-Encoding": "deflate"})
    bomb = feed_server.add(
        "/brbomb.xml",
        brotli.compress(b"<rss>" + b" " * 5_000_000 + b"</rss>"),
        headers={"Content-Encoding": "br"},
    )
    feeds = [{"name": "br", "url": br}, {"name": "de", "url": de}, {"name": "bomb", "url": bomb}]
    path = write_config(
        tmp_path / "c.toml", feeds, db=tmp_path / "nw.db", extra="[poll]\nmax_bytes = 1_000_000"
    )
    by = {r.name: r for r in run_poll(load_config(path), force=True).results}
    # both decode to the same three stories: one feed stores them, the other links to them
    assert by["br"].status == by["de"].status == "ok"
    assert by["br"].new + by["br"].linked == 3 and by["de"].new + by["de"].linked == 3
    assert by["br"].new + by["de"].new == 3
    assert "larger than 1,000,000 bytes" in by["bomb"].error


def test_fast_parse_off_stores_exactly_the_same(tmp_path: Path, feed_server: FeedServer) -> None:
    """`[poll] fast_parse = false` sends every body to feedparser; the stored articles are the same either way."""
    feeds = {
        name: fixture_bytes(f"{name}.xml") for name in ("rss20_basic", "atom10_relative_links", "rss10_rdf")
    }
    entries = [
        {"name": name, "url": feed_server.add(f"/{name}.xml", body, content_type=RSS)}
        for name, body in feeds.items()
    ]
    stored = []
    for fast in (True, False):
        run_dir = tmp_path / f"fast-{fast}"
        run_dir.mkdir()
        extra = "[poll]\nfast_parse = " + ("true" if fast else "false")
        cfg = load_config(write_config(run_dir / "config.toml", entries, db=run_dir / "nw.db", extra=extra))
        assert cfg.poll.fast_parse is fast
        assert run_poll(cfg, force=True).failed == 0
        db = open_db(cfg.db_path)
        stored.append(
            db.execute(
                "SELECT guid, canonical_url, title, summary, content, author, language, published_at, content_hash"
                " FROM articles ORDER BY guid"
            ).fetchall()
        )
        db.close()
    assert stored[0] and stored[0] == stored[1]


def test_a_poll_collects_garbage_less_often_and_restores_the_setting(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    import gc

    from feeds.poll import GC_GEN0_THRESHOLD

    cfg = setup(tmp_path, feed_server, {"a": fixture_bytes("rss20_basic.xml")})
    before = gc.get_threshold()
    during: list[int] = []
    run_poll(cfg, force=True, progress=lambda done, total, name: during.append(gc.get_threshold()[0]))
    assert during == [GC_GEN0_THRESHOLD] and before[0] < GC_GEN0_THRESHOLD
    assert gc.get_threshold() == before
