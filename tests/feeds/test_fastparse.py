"""The fast RSS/Atom path gives exactly what feedparser gives, item for item, after normalisation.

Every document is parsed twice — `parse_bytes(fast=False)` (feedparser) and `parse_bytes()` (fast path when it
applies) — and the normalised items, the feed title and link and the bozo flag must be equal. Corpus: our own
fixtures, the demo feeds, hand-written corner cases of feedparser's rules, generated documents (hypothesis), and
the real-world feeds in ../shared when present.
"""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feeds.demo import build_demo_feeds
from feeds.fastparse import fast_parse
from feeds.parser import parse_bytes, strip_dtd
from feeds.processor import canonical_url, normalize_entry

DATA = Path(__file__).resolve().parents[1] / "data" / "feeds"
SHARED_FEEDS = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "feeds"
FETCHED = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
URL = "https://news.example/feed"


def _view(body: bytes, *, fast: bool, content_type: str = "application/rss+xml") -> dict[str, Any]:
    parsed = parse_bytes(body, url=URL, content_type=content_type, fast=fast)
    feed = parsed.feed or {}
    return {
        "title": feed.get("title"),
        "site": canonical_url(feed.get("link"), URL)[0],
        "bozo": parsed.bozo is not None,
        "items": [normalize_entry(e, base_url=URL, fetched=FETCHED) for e in parsed.entries],
    }


def assert_same(body: bytes, content_type: str = "application/rss+xml") -> None:
    assert _view(body, fast=True, content_type=content_type) == _view(
        body, fast=False, content_type=content_type
    )


def used_fast_path(body: bytes) -> bool:
    return fast_parse(strip_dtd(body)) is not None


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"
     xmlns:media="http://search.yahoo.com/mrss/" xmlns:x="urn:example:x">
<channel><title>Outlet</title><link>https://news.example/</link>
{items}
</channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" {attrs}>
<title>Atom outlet</title><link href="https://atom.example/" rel="alternate"/>
<link href="https://atom.example/feed" rel="self"/>
{items}
</feed>"""

# Corner cases of feedparser's rules the fast path reproduces (True) or hands back to feedparser (False).
CASES: dict[str, tuple[str, bool]] = {
    "plain": (
        RSS.format(
            items="<item><title>A</title><link>https://news.example/a</link><guid>g1</guid>"
            "<description>&lt;p&gt;Hello&lt;/p&gt;</description>"
            "<pubDate>Sat, 28 Nov 2026 10:00:00 +0000</pubDate></item>"
        ),
        True,
    ),
    "permalink guid stands in for the link": (
        RSS.format(items="<item><title>A</title><guid>https://news.example/g</guid></item>"),
        True,
    ),
    "guid not a permalink": (
        RSS.format(
            items='<item><title>A</title><guid isPermaLink="false">https://news.example/g</guid></item>'
        ),
        True,
    ),
    "link after a permalink guid wins": (
        RSS.format(items="<item><guid>https://x.example/g</guid><link>https://x.example/l</link></item>"),
        True,
    ),
    "empty link before a guid": (
        RSS.format(items="<item><title>t</title><link></link><guid>https://x.example/g</guid></item>"),
        True,
    ),
    "content before description": (
        RSS.format(
            items="<item><title>A</title><content:encoded><![CDATA[<p>Full</p>]]></content:encoded>"
            "<description>short</description></item>"
        ),
        True,
    ),
    "content only becomes the summary": (
        RSS.format(
            items="<item><title>A</title><content:encoded>&lt;b&gt;x&lt;/b&gt;</content:encoded></item>"
        ),
        True,
    ),
    "double-encoded UTF-8 and cp1252 controls": (
        RSS.format(
            items="<item><title>HÃ¤me \u0093quoted\u0094</title><description>Ã©\u0085</description></item>"
        ),
        True,
    ),
    "tracking &amp; and entity-like text in links": (
        RSS.format(
            items="<item><title>A</title><link>https://x.example/a?b=1&amp;amp;c=2&amp;d;</link></item>"
        ),
        True,
    ),
    "whitespace, comments and CDATA": (
        RSS.format(
            items="<item><title>\n  A <!-- c --> B  \n</title><description><![CDATA[ x ]]> y</description></item>"
        ),
        True,
    ),
    "dc:creator, dc:date and author (last wins)": (
        RSS.format(
            items="<item><title>A</title><author>jo@x.example (Jo)</author><dc:creator>Ann</dc:creator>"
            "<dc:date>2026-11-28T10:00:00Z</dc:date></item>"
        ),
        True,
    ),
    "atom:link and link with href in an RSS item": (
        RSS.format(
            items='<item><title>A</title><atom:link href="https://x.example/alt"/>'
            '<link href="https://x.example/pdf" type="application/pdf"/></item>'
        ),
        True,
    ),
    "inert media, categories, enclosures and unknown namespaces": (
        RSS.format(
            items="<item><title>A</title><category>c1</category><category>c2</category>"
            '<enclosure url="https://x.example/a.mp3" type="audio/mpeg" length="1"/>'
            '<media:content url="https://x.example/i.jpg"><media:credit>me</media:credit></media:content>'
            "<x:title>not a title</x:title><x:any><title>not read</title></x:any></item>"
        ),
        False,  # an RSS <title> inside x:any is read by feedparser: handed over
    ),
    "unknown namespaced elements only": (
        RSS.format(items="<item><title>A</title><x:title>other</x:title><x:note a='1'/></item>"),
        True,
    ),
    "media:title is a title to feedparser": (
        RSS.format(items="<item><media:title>M</media:title><title>T</title></item>"),
        False,
    ),
    "two titles": (RSS.format(items="<item><title></title><title>T</title></item>"), False),
    "markup inside a description": (
        RSS.format(items="<item><title>A</title><description><p>naked <b>html</b></p></description></item>"),
        False,
    ),
    "xml:lang scoping": (
        RSS.format(
            items='<item xml:lang="fi"><title>A</title></item><item><title xml:lang="sv_SE">B</title></item>'
            '<item xml:lang="et"><title xml:lang="">C</title></item><item><description lang="lv">D</description></item>'
        ),
        True,
    ),
    "xml:base": (RSS.format(items='<item xml:base="https://b.example/"><link>a</link></item>'), False),
    "base attribute on any element": (
        RSS.format(items='<item><title>A</title><link base="https://b.example/x/">a</link></item>'),
        False,
    ),
    "the word base in text": (
        RSS.format(items="<item><title>database = 1</title><description>base=2</description></item>"),
        True,
    ),
    "a known prefix bound to another URI": (
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1"><channel><title>T</title>'
        "<item><title>A</title><dc:creator>Ann</dc:creator></item></channel></rss>",
        False,  # feedparser still reads dc:creator by its prefix; ElementTree sees only the (wrong) URI
    ),
    "whitespace in a namespace URI": (
        '<rss version="2.0" xmlns:x="urn:a b"><channel><title>T</title><item><title>A</title></item></channel></rss>',
        False,
    ),
    "feed-level id and image": (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>https://f.example/</id>'
        "<entry><title>A</title><author>Team <uri>https://f.example/team</uri></author></entry></feed>",
        True,
    ),
    "channel image with its own title and link": (
        RSS.format(
            items="<image><title>Logo</title><url>https://x.example/l.png</url><link>https://x.example/i</link>"
            "</image><item><title>A</title></item>"
        ).replace("<link>https://news.example/</link>", ""),
        True,
    ),
    "something nested in the channel image": (
        RSS.format(items="<image><title>L</title><rss></rss><link>https://x.example/i</link></image>"),
        False,
    ),
    "atom author name with a C1 control": (
        ATOM.format(
            attrs="", items="<entry><title>A</title><author><name>Li\u009bnnea</name></author></entry>"
        ),
        True,
    ),
    "userland namespace": (
        '<rss version="2.0" xmlns="http://backend.userland.com/rss2"><channel><title>U</title>'
        "<item><title>A</title><link>https://u.example/a</link></item></channel></rss>",
        True,
    ),
    "item outside the channel": (
        '<rss version="2.0"><channel><title>U</title></channel><item><title>A</title></item></rss>',
        False,
    ),
    "atom basics": (
        ATOM.format(
            attrs='xml:lang="en"',
            items='<entry><title type="html">A &amp;lt;b&amp;gt;</title><id>urn:uuid:1</id>'
            '<link href="https://atom.example/a"/><link rel="enclosure" href="https://atom.example/a.mp3"/>'
            "<published>2026-11-28T10:00:00+02:00</published><updated>2026-11-28T11:00:00Z</updated>"
            "<author><name>Ann</name><email>ann@atom.example</email></author>"
            '<summary>s</summary><content type="html">&lt;p&gt;c&lt;/p&gt;</content></entry>',
        ),
        True,
    ),
    "atom id stands in for the link": (
        ATOM.format(attrs="", items="<entry><title>A</title><id>https://atom.example/id</id></entry>"),
        True,
    ),
    "atom content before summary, author without name": (
        ATOM.format(
            attrs="",
            items="<entry><title>A</title><content>c</content><summary>s</summary>"
            "<author><uri>https://a.example</uri></author></entry>",
        ),
        True,
    ),
    "atom xhtml content": (
        ATOM.format(
            attrs="",
            items='<entry><title>A</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
            "<p>x</p></div></content></entry>",
        ),
        False,
    ),
    "atom base64 content": (
        ATOM.format(
            attrs="", items='<entry><title>A</title><content type="image/png">aGk=</content></entry>'
        ),
        False,
    ),
    "atom source": (
        ATOM.format(attrs="", items="<entry><title>A</title><source><title>S</title></source></entry>"),
        False,
    ),
    "atom alternate link types": (
        ATOM.format(
            attrs="",
            items='<entry><title>A</title><link rel="ALTERNATE" type="TEXT/HTML" href="https://a.example/1"/>'
            '<link type="application/pdf" href="https://a.example/2"/></entry>',
        ),
        True,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_corner_cases_agree_with_feedparser(name: str) -> None:
    doc, expect_fast = CASES[name]
    body = doc.encode("utf-8")
    assert used_fast_path(body) is expect_fast
    assert_same(body)


@pytest.mark.parametrize("path", sorted(DATA.glob("*.xml")), ids=lambda p: p.name)
def test_our_fixtures_agree(path: Path) -> None:
    assert_same(path.read_bytes())


def test_demo_feeds_take_the_fast_path_and_agree(tmp_path: Path) -> None:
    feeds = build_demo_feeds(tmp_path, FETCHED)
    for feed in feeds:
        body = (tmp_path / feed.filename).read_bytes()
        assert used_fast_path(body), feed.filename
        assert_same(body)


def test_hostile_text_survives_the_fast_path_as_it_does_feedparser() -> None:
    nasty = "\x1b]52;c;ZXZpbA==\x07[red]x[/red]\u202e\x9b31m"
    body = RSS.format(
        items=f"<item><title>{nasty}</title><link>javascript:alert(1)</link><description>{nasty}</description></item>"
    ).encode("utf-8", "surrogatepass")
    assert_same(body)
    item = _view(body, fast=True)["items"][0]
    assert "\x1b" not in item["title"] and "\x9b" not in item["summary"] and item["url"] is None


@pytest.mark.skipif(not SHARED_FEEDS.is_dir(), reason="needs ../shared/fixtures/feeds")
def test_real_world_feeds_agree() -> None:
    paths = sorted(p for p in SHARED_FEEDS.rglob("*") if p.is_file() and p.suffix in (".xml", ".gz", ".rss"))
    assert paths
    fast = 0
    for path in paths:
        body = path.read_bytes()
        if path.suffix == ".gz":
            body = gzip.decompress(body)
        assert_same(body), path.name
        fast += used_fast_path(body)
    assert fast >= len(paths) // 3  # most plain RSS 2.0 / Atom feeds take the fast path


# Generated documents: items built from a vocabulary of the elements feedparser's rules care about.
_TEXT = st.sampled_from(
    [
        "",
        " x ",
        "Hämeenlinna",
        "Ã¤",
        "a &amp; b",
        "&lt;p&gt;p&lt;/p&gt;",
        "\u0093q\u0094",
        "https://g.example/1",
    ]
)
_CHILD = st.one_of(
    _TEXT.map(lambda t: f"<title>{t}</title>"),
    _TEXT.map(lambda t: f"<link>{t}</link>"),
    st.tuples(st.sampled_from(["", ' isPermaLink="false"', ' isPermaLink="true"']), _TEXT).map(
        lambda a: f"<guid{a[0]}>{a[1]}</guid>"
    ),
    _TEXT.map(lambda t: f"<description>{t}</description>"),
    _TEXT.map(lambda t: f"<content:encoded>{t}</content:encoded>"),
    st.sampled_from(["Sat, 28 Nov 2026 10:00:00 GMT", "2026-11-28T10:00:00Z", "yesterday", ""]).map(
        lambda t: f"<pubDate>{t}</pubDate>"
    ),
    _TEXT.map(lambda t: f"<dc:creator>{t}</dc:creator>"),
    _TEXT.map(lambda t: f"<author>{t}</author>"),
    st.sampled_from(["", ' rel="self"', ' type="application/pdf"', ' rel="alternate"']).map(
        lambda a: f'<atom:link href="https://h.example/x"{a}/>'
    ),
    st.just("<category>c</category>"),
    st.just('<media:content url="https://m.example/i.jpg"/>'),
    _TEXT.map(lambda t: f"<x:extra>{t}</x:extra>"),
    st.sampled_from(["fi", "", "sv_SE"]).map(lambda lang: f'<title xml:lang="{lang}">L</title>'),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_CHILD, max_size=6), min_size=1, max_size=3))
def test_generated_items_agree(items: list[list[str]]) -> None:
    body = RSS.format(items="".join("<item>" + "".join(c) + "</item>" for c in items)).encode("utf-8")
    assert_same(body)
