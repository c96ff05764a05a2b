"""`nordwatch feeds import|export|add`: OPML and newsboat in, OPML out, discovery from a site page."""

from __future__ import annotations

from pathlib import Path

import pytest

from feeds.config import load_config
from feeds.opml import ImportError_, parse_newsboat, parse_opml
from tests.conftest import fixture_bytes
from tests.feedserver import FeedServer
from tests.toolbox.helpers import run

# An OPML 1.0 export in the style of older readers: nested folders, odd attribute case, a non-feed outline.
OPML_10 = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<opml version="1.0">
  <head><title>My subscriptions</title></head>
  <body>
    <outline text="News">
      <outline text="Baltic">
        <outline text="ERR News" title="ERR News" type="rss" xmlUrl="https://news.err.ee/rss" htmlUrl="https://news.err.ee/"/>
        <outline text="LSM" type="rss" xmlurl="https://eng.lsm.lv/rss/" language="EN"/>
      </outline>
      <outline text="Yle" type="rss" xmlUrl="https://feeds.yle.fi/uutiset/v1/recent.rss?publisherIds=YLE_NEWS&amp;x=1"
               category="/broadcaster,/Nordic/Finland"/>
    </outline>
    <outline text="A link, not a feed" type="link" url="https://example.org/"/>
    <outline text="Gopher" type="rss" xmlUrl="gopher://old.example/feed"/>
    <outline text="Top level (d\xe9j\xe0 vu)" type="rss" xmlUrl="https://top.example/feed.xml"/>
  </body>
</opml>
"""

NEWSBOAT = """# my newsboat urls
https://news.err.ee/rss baltic "~ERR in English" estonia
https://www.lrt.lt/en/news-in-english?rss "tag with space" !
"query:Unread:unread = \\"yes\\""
query:Baltic:tags # \\"baltic\\"

https://www.svt.se/rss.xml
"""

CONFIG = """# my nordwatch config: this comment must survive every edit
[store]
path = "nw.db"   # next to this file

[[feeds]]
name = "ERR News"          # already here: the import skips it
url = "https://news.err.ee/rss"
countries = ["EE"]
"""


def test_parse_opml_folders_become_tags() -> None:
    feeds = {f.url: f for f in parse_opml(OPML_10)}
    assert set(feeds) == {
        "https://news.err.ee/rss",
        "https://eng.lsm.lv/rss/",
        "https://feeds.yle.fi/uutiset/v1/recent.rss?publisherIds=YLE_NEWS&x=1",
        "gopher://old.example/feed",
        "https://top.example/feed.xml",
    }
    assert feeds["https://news.err.ee/rss"].tags == ("News", "Baltic")
    assert (
        feeds["https://eng.lsm.lv/rss/"].language == "en" and feeds["https://eng.lsm.lv/rss/"].name == "LSM"
    )
    yle = feeds["https://feeds.yle.fi/uutiset/v1/recent.rss?publisherIds=YLE_NEWS&x=1"]
    assert yle.tags == ("News", "broadcaster", "Nordic", "Finland")
    assert feeds["https://top.example/feed.xml"].name == "Top level (déjà vu)"


def test_parse_opml_refuses_entities_and_garbage() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<opml version="2.0"><body><outline text="&b;" xmlUrl="https://x.example/"/></body></opml>'
    )
    with pytest.raises(ImportError_, match="not well-formed"):
        parse_opml(bomb)  # the DOCTYPE is removed, so &b; is undefined: never expanded
    with pytest.raises(ImportError_, match="not an OPML document"):
        parse_opml(b"<rss><channel/></rss>")
    with pytest.raises(ImportError_, match="not well-formed"):
        parse_opml(b"<opml><body><outline")


def test_parse_newsboat() -> None:
    feeds = parse_newsboat(NEWSBOAT)
    assert [(f.url, f.name, f.tags) for f in feeds] == [
        ("https://news.err.ee/rss", "ERR in English", ("baltic", "estonia")),
        ("https://www.lrt.lt/en/news-in-english?rss", "", ("tag with space",)),
        ("https://www.svt.se/rss.xml", "", ()),
    ]


def test_import_merges_keeping_comments_and_skips_duplicates(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(CONFIG)
    opml = tmp_path / "subs.opml"
    opml.write_bytes(OPML_10)
    r = run("feeds", "import", str(opml), "--config", str(cfg))
    assert r.returncode == 0, r.stderr
    assert "added 3 feeds to" in r.stdout and "skipped 1 already configured, 1 not http(s)" in r.stdout
    assert "+ LSM <https://eng.lsm.lv/rss/> [News, Baltic]" in r.stdout
    assert "gopher://old.example/feed: not an http(s) URL" in r.stderr
    text = cfg.read_text()
    assert text.startswith(CONFIG)  # comments and layout untouched; new feeds appended
    loaded = load_config(cfg)
    assert [f.name for f in loaded.feeds] == ["ERR News", "LSM", "Yle", "Top level (déjà vu)"]
    again = run("feeds", "import", str(opml), "--config", str(cfg))
    assert "added 0 feeds" in again.stdout and cfg.read_text() == text


def test_import_newsboat_and_dry_run(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(CONFIG)
    urls = tmp_path / "urls"
    urls.write_text(NEWSBOAT)
    dry = run("feeds", "import", "--newsboat", str(urls), "--config", str(cfg), "--dry-run")
    assert "would add 2 feeds" in dry.stdout and cfg.read_text() == CONFIG
    r = run(
        "feeds", "--config", str(cfg), "import", "--newsboat", str(urls)
    )  # group-level --config works too
    assert r.returncode == 0, r.stderr
    names = {f.url: f.name for f in load_config(cfg).feeds}
    assert names["https://www.lrt.lt/en/news-in-english?rss"] == "www.lrt.lt"  # no ~title: the host
    assert names["https://news.err.ee/rss"] == "ERR News"  # the existing entry is not touched


def test_round_trip_loses_nothing(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        CONFIG
        + '\n[[feeds]]\nname = "Odd, \\"quoted\\" / name"\nurl = "https://odd.example/a?b=1&c=2"\n'
        + 'countries = ["FI", "SE"]\nlanguage = "sv"\ntags = ["a/b", "x,y", "plain"]\ninterval = "2h"\n'
        + "enabled = false\n"
        + '\n[[feeds]]\nname = "Plain"\nurl = "https://plain.example/rss"\n'
    )
    exported = tmp_path / "out.opml"
    r = run("feeds", "export", "--config", str(cfg), "-o", str(exported))
    assert r.returncode == 0, r.stderr
    fresh = tmp_path / "fresh.toml"
    r = run("feeds", "import", str(exported), "--config", str(fresh))
    assert r.returncode == 0 and "(new file)" in r.stdout, r.stderr
    assert load_config(fresh).feeds == load_config(cfg).feeds
    # and once more: export of the imported config is the same document (but for its date)
    r2 = run("feeds", "export", "--config", str(fresh))
    strip = [line for line in r2.stdout.splitlines() if "dateCreated" not in line]
    assert strip == [line for line in exported.read_text().splitlines() if "dateCreated" not in line]


def test_add_discovers_feed_from_html_page(tmp_path: Path, feed_server: FeedServer) -> None:
    feed_server.add("/rss.xml", fixture_bytes("rss20_basic.xml"))
    feed_server.add(
        "/",
        b"<!doctype html><html><head><title>Baltic Wire</title>"
        b'<link rel="stylesheet" href="/s.css">'
        b'<link rel="alternate" type="application/rss+xml" title="All news" href="/rss.xml">'
        b"</head><body>hello</body></html>",
        content_type="text/html; charset=utf-8",
    )
    cfg = tmp_path / "c.toml"
    cfg.write_text(CONFIG)
    r = run("feeds", "add", feed_server.url("/"), "--country", "ee", "--tag", "wire", "--config", str(cfg))
    assert r.returncode == 0, r.stderr
    assert f"+ Baltic Wire (test) <{feed_server.url('/rss.xml')}> [wire]" in r.stdout
    added = load_config(cfg).feeds[-1]
    assert (added.url, added.countries, added.tags) == (feed_server.url("/rss.xml"), ("EE",), ("wire",))
    assert "checked: 3 entries" in r.stderr
    again = run("feeds", "add", feed_server.url("/rss.xml"), "--config", str(cfg))
    assert again.returncode == 0 and "already configured" in again.stdout


def test_add_refuses_what_is_not_a_feed(tmp_path: Path, feed_server: FeedServer) -> None:
    feed_server.add("/page", b"<html><body>no feed here</body></html>", content_type="text/html")
    feed_server.add("/gone", status=404)
    cfg = tmp_path / "c.toml"
    cfg.write_text(CONFIG)
    r = run("feeds", "add", feed_server.url("/page"), "--config", str(cfg))
    assert r.returncode == 1 and "without a <link rel" in r.stderr
    r = run("feeds", "add", feed_server.url("/gone"), "--config", str(cfg))
    assert r.returncode == 1 and "HTTP 404" in r.stderr
    assert cfg.read_text() == CONFIG


def test_import_rejects_a_url_with_a_control_character(tmp_path: Path) -> None:
    # a line break in the URL would have been written into the config and dropped silently by urlsplit
    cfg = tmp_path / "c.toml"
    cfg.write_text(CONFIG)
    opml = tmp_path / "subs.opml"
    opml.write_bytes(
        b'<?xml version="1.0"?><opml version="2.0"><body>'
        b'<outline text="Broken" type="rss" xmlUrl="https://broken.example/&#10;feed"/>'
        b'<outline text="Fine" type="rss" xmlUrl="https://fine.example/feed"/>'
        b"</body></opml>"
    )
    r = run("feeds", "import", str(opml), "--config", str(cfg))
    assert r.returncode == 0, r.stderr
    assert "added 1 feed" in r.stdout and "1 not http(s)" in r.stdout
    assert [f.name for f in load_config(cfg).feeds] == ["ERR News", "Fine"]
