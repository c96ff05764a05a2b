"""The bundled demo feeds and the local feed server."""

from __future__ import annotations

import calendar
import http.client
import re
import threading
import tomllib
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from email.utils import formatdate
from pathlib import Path

import feedparser
import httpx
import pytest

from feeds.demo import DemoFeed, build_demo_feeds, demo_config_toml, serve_directory
from feeds.demo.build import NB8, NEIGHBOURS, load_articles, load_outlets

NOW = datetime(2026, 11, 29, 9, 30, 15, tzinfo=UTC)

COUNTRY_NAMES = {
    "DK": ("Denmark", "Danish"),
    "EE": ("Estonia", "Estonian"),
    "FI": ("Finland", "Finnish"),
    "IS": ("Iceland", "Icelandic"),
    "LV": ("Latvia", "Latvian"),
    "LT": ("Lithuania", "Lithuanian"),
    "NO": ("Norway", "Norwegian"),
    "SE": ("Sweden", "Swedish"),
    "PL": ("Poland", "Polish"),
    "UA": ("Ukraine", "Ukrainian"),
    "RU": ("Russia", "Russian"),
    "BY": ("Belarus", "Belarusian"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[DemoFeed]]:
    out = tmp_path_factory.mktemp("demo")
    return out, build_demo_feeds(out, NOW)


@pytest.fixture(scope="module")
def parsed(built: tuple[Path, list[DemoFeed]]) -> dict[str, feedparser.FeedParserDict]:
    out, feeds = built
    return {f.filename: feedparser.parse((out / f.filename).read_bytes()) for f in feeds}


def _text(entry: feedparser.FeedParserDict) -> str:
    parts = [entry.get("title", ""), entry.get("summary", "")]
    parts += [c.value for c in entry.get("content", [])]
    return " ".join(parts)


def _ts(entry: feedparser.FeedParserDict) -> datetime:
    return datetime.fromtimestamp(calendar.timegm(entry.published_parsed), UTC)


# --- content -----------------------------------------------------------------------------------------------


def test_feeds_parse_cleanly_with_expected_counts(built, parsed) -> None:
    _, feeds = built
    assert 8 <= len(feeds) <= 12
    for f in feeds:
        d = parsed[f.filename]
        assert not d.bozo, (f.filename, d.get("bozo_exception"))
        assert d.version == ("atom10" if f.format == "atom" else "rss20")
        assert len(d.entries) == f.entries
        assert 6 <= f.entries <= 12, f.name
        assert d.feed.title == f.name
        for e in d.entries:
            assert e.get("title") and e.get("link") and e.get("published_parsed"), (f.filename, e)
            assert e.get("summary") and e.get("content"), (f.filename, e.get("title"))
    assert {f.format for f in feeds} == {"rss", "atom"}
    assert 75 <= sum(f.entries for f in feeds) <= 100


def test_feed_metadata_is_valid_for_config(built) -> None:
    _, feeds = built
    assert len({f.name for f in feeds}) == len(feeds)
    assert len({f.filename for f in feeds}) == len(feeds)
    for f in feeds:
        assert set(f.countries) <= set(NB8) | set(NEIGHBOURS)
        assert f.language == "en"
        assert f.tags
    hinted = {c for f in feeds for c in f.countries}
    assert hinted == set(NB8)
    assert any(not f.countries for f in feeds), "wire/analysis feeds carry no country hint"


def test_every_country_is_covered_and_recent() -> None:
    articles = load_articles()
    covered = {c for a in articles for c in a.countries}
    assert covered >= set(NB8) | set(NEIGHBOURS)
    recent: dict[str, int] = defaultdict(int)
    for a in articles:
        text = f"{a.title} {a.summary} {a.body}"
        for c in a.countries:
            assert any(n in text for n in COUNTRY_NAMES[c] + (c,)) or c in ("RU",), (a.id, c)
            if a.hours_ago <= 24:
                recent[c] += 1
    for c in NB8:
        assert recent[c] >= 3, f"{c} has only {recent[c]} articles in the last 24 h"


def test_dates_spread_over_fourteen_days() -> None:
    hours = [a.hours_ago for a in load_articles()]
    assert min(hours) < 3 and max(hours) > 24 * 12
    days = Counter(int(h // 24) for h in hours)
    assert set(range(14)) <= set(days), f"days without articles: {set(range(14)) - set(days)}"
    assert days[0] >= 25, "the last 24 h should be busy"
    assert days[0] > days[5]


def test_dates_are_relative_to_now(built, parsed) -> None:
    _, feeds = built
    outlets = {o.filename: o for o in load_outlets()}
    for f in feeds:
        expected = sorted(
            NOW.replace(microsecond=0) - timedelta(hours=a.hours_ago) for a in outlets[f.filename].articles
        )
        got = sorted(_ts(e) for e in parsed[f.filename].entries)
        assert [g.replace(second=0) for g in got] == [x.replace(second=0) for x in expected], f.filename
        assert all(g <= NOW for g in got)


def test_date_formats(built) -> None:
    out, feeds = built
    rfc822 = re.compile(
        r"<pubDate>(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}</pubDate>"
    )
    rfc3339 = re.compile(r"<published>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})</published>")
    for f in feeds:
        raw = (out / f.filename).read_text("utf-8")
        pattern = rfc3339 if f.format == "atom" else rfc822
        assert len(pattern.findall(raw)) == f.entries, f.filename


def test_weekday_placeholder_is_filled(parsed) -> None:
    texts = [_text(e) for d in parsed.values() for e in d.entries]
    assert not any("{weekday}" in t for t in texts)
    assert any(
        re.search(r"on (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", t) for t in texts
    )


def test_deterministic_for_a_given_now(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    feeds_a = build_demo_feeds(a, NOW)
    feeds_b = build_demo_feeds(b, NOW)
    build_demo_feeds(c, NOW + timedelta(hours=1))
    assert feeds_a == feeds_b
    for f in feeds_a:
        assert (a / f.filename).read_bytes() == (b / f.filename).read_bytes()
        assert (a / f.filename).read_bytes() != (c / f.filename).read_bytes()


def test_naive_now_is_utc(tmp_path: Path) -> None:
    build_demo_feeds(tmp_path / "naive", NOW.replace(tzinfo=None))
    build_demo_feeds(tmp_path / "aware", NOW)
    for p in (tmp_path / "aware").iterdir():
        assert p.read_bytes() == (tmp_path / "naive" / p.name).read_bytes()


def test_same_story_from_two_outlets_shares_the_link(parsed) -> None:
    feeds_by_link: dict[str, set[str]] = defaultdict(set)
    for name, d in parsed.items():
        for e in d.entries:
            feeds_by_link[e.link].add(name)
    shared = {link: names for link, names in feeds_by_link.items() if len(names) > 1}
    assert len(shared) >= 2, shared
    for d in parsed.values():
        ids = [e.get("id") for e in d.entries if e.get("id")]
        assert len(ids) == len(set(ids)), "entry ids are unique within a feed"
    # Across feeds an id repeats only for the same story (a wire item whose guid is its link).
    ids = Counter(e.get("id") for d in parsed.values() for e in d.entries if e.get("id"))
    assert all(i in shared for i, n in ids.items() if n > 1)
    # ... and one shared story carries a different guid in each feed.
    assert any(
        len({e.get("id") for d in parsed.values() for e in d.entries if e.link == link}) > 1
        for link in shared
    )


def test_guid_styles_vary(parsed) -> None:
    rss = [d for d in parsed.values() if d.version == "rss20"]
    with_id = [all(e.get("id") for e in d.entries) for d in rss]
    assert True in with_id and False in with_id, "some RSS feeds have no guid (dedup by link)"
    assert any(e.get("id") != e.get("link") for d in rss for e in d.entries if e.get("id")), (
        "some guids are not permalinks"
    )


def test_quotes_treaties_and_hybrid_topics_are_present() -> None:
    text = " ".join(f"{a.title} {a.summary} {a.body}" for a in load_articles())
    assert "“" in text and "”" in text and '"' in text
    assert re.search(r'," said [A-Z]', text) and re.search(r"“[^”]+,” [A-Z][a-z]+ said", text)
    assert re.search(r"told [A-Z]", text) and re.search(r': "', text)
    assert re.search(r'"[^"]+," [A-Z][\w ]+ said, "', text), "a split quote"
    for word in (
        "Ottawa Convention", "Cluster Munitions", "CFE", "Open Skies", "NATO", "Article 20", "suspension",
        "deposited", "withdrawal", "cable", "GPS", "shadow fleet", "drone", "Narva", "Gotland", "Suwałki",
        "Kaliningrad", "Åland", "Svalbard", "Bornholm",
    ):  # fmt: skip
        assert word.lower() in text.lower(), word


def test_articles_are_article_sized() -> None:
    counts = {a.id: len(re.sub(r"<[^>]+>", " ", a.body).split()) for a in load_articles()}
    assert all(n >= 120 for n in counts.values()), {k: n for k, n in counts.items() if n < 120}
    assert all(n <= 420 for n in counts.values()), {k: n for k, n in counts.items() if n > 420}
    assert sorted(counts.values())[len(counts) // 2] >= 150


def test_bodies_are_html_paragraphs(parsed) -> None:
    bodies = [e.content[0].value for d in parsed.values() for e in d.entries]
    assert all(b.startswith("<p>") or b.startswith("<strong>") or "<p>" in b for b in bodies)
    assert any("<a href=" in b for b in bodies) and any("<em>" in b for b in bodies)


def test_hostile_items_are_well_formed_and_still_hostile(built, parsed) -> None:
    out, feeds = built
    titles = [e.title for d in parsed.values() for e in d.entries]
    assert any("[bold red]not markup[/]" in t for t in titles)
    # ESC cannot travel in XML 1.0; it arrives as an HTML character reference that decodes back to ESC.
    escaped = [t for t in titles if "&#27;[" in t]
    assert escaped
    from html.parser import HTMLParser

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=False)
            self.chars: list[str] = []

        def handle_charref(self, name: str) -> None:
            self.chars.append(chr(int(name[1:], 16) if name[:1] in "xX" else int(name)))

    p = _Text()
    p.feed(escaped[0])
    assert "\x1b" in p.chars
    summaries = [e.summary for d in parsed.values() for e in d.entries]
    assert any("\u202e" in s for s in summaries)
    for f in feeds:
        raw = (out / f.filename).read_text("utf-8")
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", raw), f.filename


def test_rendered_text_is_xml_escaped(built) -> None:
    out, _ = built
    nemunas = (out / "nemunas.atom").read_text("utf-8")
    assert "Nemunas Radio &amp; TV English" in nemunas


# --- config ------------------------------------------------------------------------------------------------


def test_demo_config_toml(built, tmp_path: Path) -> None:
    _, feeds = built
    db = tmp_path / 'we"ird\\dir' / "demo.db"
    text = demo_config_toml(feeds, "http://127.0.0.1:8123/", db)
    cfg = tomllib.loads(text)
    assert cfg["store"]["path"] == str(db)
    assert [f["name"] for f in cfg["feeds"]] == [f.name for f in feeds]
    for raw, f in zip(cfg["feeds"], feeds, strict=True):
        assert raw["url"] == f"http://127.0.0.1:8123/{f.filename}"
        assert raw.get("countries", []) == list(f.countries)
        assert raw["language"] == "en"
        assert raw["tags"] == list(f.tags)
        assert set(raw) <= {"name", "url", "countries", "language", "tags"}


def test_demo_config_loads_with_nordwatch_config(built, tmp_path: Path) -> None:
    config = pytest.importorskip("feeds.config")
    _, feeds = built
    path = tmp_path / "demo.toml"
    path.write_text(demo_config_toml(feeds, "http://127.0.0.1:8123", tmp_path / "demo.db"), "utf-8")
    loaded = config.load_config(path)
    assert len(loaded.feeds) == len(feeds)
    assert {f.url for f in loaded.feeds} == {f"http://127.0.0.1:8123/{f.filename}" for f in feeds}


# --- server ------------------------------------------------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "sub").mkdir(parents=True)
    (root / "feed.rss").write_text(
        "<rss version='2.0'><channel><title>t</title></channel></rss>" * 20, "utf-8"
    )
    (root / "feed.atom").write_text("<feed xmlns='http://www.w3.org/2005/Atom'/>", "utf-8")
    (root / "sub" / "a b.xml").write_text("<x/>", "utf-8")
    (tmp_path / "secret.txt").write_text("TOP SECRET", "utf-8")
    return root


@pytest.fixture
def server(site: Path):
    with serve_directory(site) as srv:
        yield srv


def _raw(server, method: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def test_server_serves_with_headers(server, site: Path) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.base_url)
    assert server.url_for("sub/a b.xml") == f"{server.base_url}/sub/a%20b.xml"
    r = httpx.get(server.url_for("feed.rss"), headers={"Accept-Encoding": "identity"})
    assert r.status_code == 200
    assert r.content == (site / "feed.rss").read_bytes()
    assert r.headers["content-type"] == "application/rss+xml; charset=utf-8"
    assert r.headers["etag"].startswith('"') and r.headers["last-modified"].endswith("GMT")
    assert int(r.headers["content-length"]) == len(r.content)
    assert "content-encoding" not in r.headers
    assert httpx.get(server.url_for("feed.atom")).headers["content-type"].startswith("application/atom+xml")
    assert httpx.get(server.url_for("sub/a b.xml")).text == "<x/>"


def test_server_gzip_when_asked(server, site: Path) -> None:
    status, headers, body = _raw(server, "GET", "/feed.rss", {"Accept-Encoding": "br, gzip;q=0.8"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    import gzip

    assert gzip.decompress(body) == (site / "feed.rss").read_bytes()
    assert len(body) < (site / "feed.rss").stat().st_size
    status, headers, body = _raw(server, "GET", "/feed.rss", {"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in headers and body == (site / "feed.rss").read_bytes()
    # httpx asks for gzip by default and decodes transparently.
    assert httpx.get(server.url_for("feed.rss")).content == (site / "feed.rss").read_bytes()


def test_server_conditional_requests(server, site: Path) -> None:
    url = server.url_for("feed.rss")
    first = httpx.get(url)
    etag, last_modified = first.headers["etag"], first.headers["last-modified"]
    r = httpx.get(url, headers={"If-None-Match": etag})
    assert r.status_code == 304 and r.content == b"" and r.headers["etag"] == etag
    assert httpx.get(url, headers={"If-None-Match": f'"nope", W/{etag}'}).status_code == 304
    assert httpx.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200
    assert httpx.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
    old = formatdate(0, usegmt=True)
    assert httpx.get(url, headers={"If-Modified-Since": old}).status_code == 200
    assert httpx.get(url, headers={"If-Modified-Since": "garbage"}).status_code == 200
    # If-None-Match wins over If-Modified-Since.
    assert (
        httpx.get(url, headers={"If-None-Match": '"stale"', "If-Modified-Since": last_modified}).status_code
        == 200
    )
    # Content changes -> new ETag.
    (site / "feed.rss").write_text("<rss version='2.0'/>", "utf-8")
    r = httpx.get(url, headers={"If-None-Match": etag})
    assert r.status_code == 200 and r.headers["etag"] != etag


def test_server_head(server, site: Path) -> None:
    status, headers, body = _raw(server, "HEAD", "/feed.rss")
    assert status == 200 and body == b""
    assert int(headers["content-length"]) == (site / "feed.rss").stat().st_size
    status, _, body = _raw(server, "HEAD", "/missing.rss")
    assert status == 404 and body == b""


def test_server_404s_missing_files_and_directories(server) -> None:
    assert httpx.get(server.url_for("missing.rss")).status_code == 404
    assert httpx.get(server.base_url + "/").status_code == 404
    assert httpx.get(server.url_for("sub")).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/sub/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/sub/%2E%2E/%2E%2E/secret.txt",
        "//etc/passwd",
        "/%2Fetc%2Fpasswd",
        "/..\\secret.txt",
        "/%00feed.rss",
        "secret.txt",
    ],
)
def test_server_refuses_traversal(server, path: str) -> None:
    status, _, body = _raw(server, "GET", path)
    assert status in (400, 403, 404)
    assert b"SECRET" not in body and b"root:" not in body


def test_server_refuses_symlinks_out_of_root(server, site: Path) -> None:
    link = site / "escape.txt"
    try:
        link.symlink_to(site.parent / "secret.txt")
    except OSError:
        pytest.skip("symlinks not supported here")
    status, _, body = _raw(server, "GET", "/escape.txt")
    assert status in (400, 403, 404) and b"SECRET" not in body


def test_server_keep_alive_and_concurrency(server) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    for _ in range(3):
        conn.request("GET", "/feed.atom")
        resp = conn.getresponse()
        assert resp.status == 200 and resp.version == 11
        resp.read()
    conn.close()

    results: list[int] = []

    def fetch() -> None:
        results.append(httpx.get(server.url_for("feed.rss")).status_code)

    threads = [threading.Thread(target=fetch) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert results == [200] * 16


def test_server_close_is_idempotent_and_frees_the_port(site: Path) -> None:
    srv = serve_directory(site)
    url = srv.url_for("feed.rss")
    assert httpx.get(url).status_code == 200
    srv.close()
    srv.close()
    with pytest.raises(httpx.TransportError):
        httpx.get(url, timeout=1)


def test_serve_directory_rejects_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(NotADirectoryError):
        serve_directory(tmp_path / "nope")


def test_demo_feeds_over_http(built) -> None:
    out, feeds = built
    with serve_directory(out) as srv:
        for f in feeds:
            r = httpx.get(srv.url_for(f.filename))
            assert r.status_code == 200
            d = feedparser.parse(r.content, response_headers=dict(r.headers))
            assert not d.bozo and len(d.entries) == f.entries
