"""Normalise feedparser entries into the plain item dicts `store.articles.save_polls` takes.

guid (fallback: link, then a hash of title + date), canonical URL (tracking parameters dropped), dates in UTC
(missing, far-future and pre-1990 dates clamped to the fetch time, raw value kept), HTML converted to plain
text (selectolax; script/style/iframe dropped), every string cleaned of control characters, sizes bounded.

`process_feed` is the parse worker's entry point: bytes in, items out, analysis run only for items that are new
or edited (the caller passes the guid -> hash map of what the feed delivered before).
"""

from __future__ import annotations

import calendar
import hashlib
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser

from feeds.parser import parse_bytes
from feeds.sanitize import clean_text, is_clean
from store.articles import AnalysisRows

MAX_ITEMS = 5000
"""Items taken from one feed body; the rest are reported, not stored (a feed of 50,000 items is an attack)."""
MAX_TITLE = 1000
MAX_SUMMARY = 4000
MAX_CONTENT = 200_000
MAX_URL = 2000
MIN_DATE = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(hours=2)

_TRACKING_PARAMS = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_[a-z]+|igshid|yclid|_hsenc|_hsmi|"
    r"ref_src|wt_mc|wt_zmc|cmpid|ns_[a-z_]+|ocid|at_[a-z_]+|xtor|spm|share|s_cid|rss|rssfeed|feed|from)$",
    re.IGNORECASE,
)
# The "<" of a block tag (the rest of the tag is a look-ahead): `sub("\n<")` puts a line break before the tag with a
# literal replacement, done in C (a callable or a template costs a Python call per match).
_BLOCK_TAG_OPEN = re.compile(
    r"<(?=(?:br|/?(?:p|div|li|ul|ol|h[1-6]|tr|table|blockquote|section|article|header|footer|pre|hr|figure|"
    r"figcaption|dd|dt|dl))\b[^>]*>)",
    re.IGNORECASE,
)
# Whitespace other than a space or a line break: text with none, and no double space, has blank runs only at the
# ends of lines
_ODD_WS = re.compile(r"[^\S \n]")
_DROP_TAGS = ("script", "style", "iframe", "noscript", "object", "embed", "template", "svg", "math", "form")
_URL_WS = re.compile(r"[\t\r\n]")
_HTMLISH = re.compile(r"<[a-zA-Z!/]|&[#a-zA-Z0-9]+;")


@dataclass
class FeedOutcome:
    """What one feed body yielded."""

    items: list[dict[str, Any]] = field(default_factory=list)
    total_entries: int = 0
    skipped_unchanged: int = 0
    title: str | None = None
    site_url: str | None = None
    bozo: str | None = None
    warning: str | None = None


def _lines(text: str) -> str:
    """Each line's blank runs collapsed to one space, lines stripped, empty lines dropped."""
    # (in ASCII text every blank but the space and the line break is a control character, which isprintable finds
    # at C speed; `isascii` is a flag of the string)
    odd = not text.replace("\n", "").isprintable() if text.isascii() else _ODD_WS.search(text)
    if odd or "  " in text:
        lines = [" ".join(line.split()) for line in text.split("\n")]
        return "\n".join(line for line in lines if line)
    # (only single spaces inside lines: stripping a line does what splitting and joining its words would)
    return "\n".join(s for line in text.split("\n") if (s := line.strip()))


def html_to_text(value: str | None) -> str:
    """Plain text from an HTML fragment (block elements become line breaks); control characters removed."""
    if not value:
        return ""
    if not _HTMLISH.search(value):
        return clean_text(value)
    # A line break *before* each block tag, the tag kept: replacing the tag would change how the HTML parses
    # (`<?</p><script>` would make the bogus comment swallow `<script>`, and its code would become text).
    marked = _BLOCK_TAG_OPEN.sub("\n<", value)
    try:
        tree = LexborHTMLParser(marked)
        tree.strip_tags(list(_DROP_TAGS))
        body = tree.body
        text = (body.text(deep=True, separator="") if body is not None else "") or ""
    except Exception:  # lexbor refuses some garbage; fall back to dropping tags by pattern
        text = html.unescape(re.sub(r"<[^>]*>", "", marked))
    out = _lines(text)
    # Blanks are already collapsed and lines stripped: clean_text has work only when a control character is left
    # (escape sequences start with one), and scanning for one is half its cost
    return out if is_clean(out) else clean_text(out)


def _join(base: str, link: str) -> str:
    """`urljoin(base, link)`, without parsing both when the link is absolute with the other web scheme than the
    base's (an https link in an http feed): urljoin returns such a link as it is."""
    if (link.startswith("https://") and base.startswith("http://")) or (
        link.startswith("http://") and base.startswith("https://")
    ):
        return link
    return urljoin(base, link)


def canonical_url(link: str | None, base: str | None = None) -> tuple[str | None, str | None]:
    """(absolute link, canonical form for dedup); only http(s) links survive."""
    if not link:
        return None, None
    # Tabs and line breaks inside a URL are dropped, as browsers do (WHATWG URL), not turned into spaces.
    link = clean_text(_URL_WS.sub("", link), single_line=True)
    if not link:
        return None, None
    try:
        absolute = _join(base, link) if base else link
        parts = urlsplit(absolute)
    except ValueError:
        return None, None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None, None
    if len(absolute) > MAX_URL:
        return None, None
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING_PARAMS.match(k)
    ]
    host = parts.netloc.lower()
    if host.endswith(":80") and parts.scheme.lower() == "http":
        host = host[:-3]
    elif host.endswith(":443") and parts.scheme.lower() == "https":
        host = host[:-4]
    path = parts.path or "/"
    canon = urlunsplit(("https", host.removeprefix("www."), path, urlencode(query), ""))
    return absolute, canon


def _date(entry: Mapping[str, Any], fetched: datetime) -> tuple[str, str | None]:
    get = dict.get  # plain lookups: FeedParserDict maps missing published_* keys to updated_* with a warning
    raw = get(entry, "published") or get(entry, "updated") or get(entry, "created")
    parsed = get(entry, "published_parsed") or get(entry, "updated_parsed") or get(entry, "created_parsed")
    raw_s = clean_text(raw, single_line=True, max_len=200) if raw else None
    if parsed:
        try:
            when = datetime.fromtimestamp(calendar.timegm(parsed), UTC)
        except (OverflowError, ValueError, TypeError, OSError):
            when = None
        if when is not None and MIN_DATE <= when <= fetched + FUTURE_SLACK:
            return when.strftime("%Y-%m-%dT%H:%M:%SZ"), None
    return fetched.strftime("%Y-%m-%dT%H:%M:%SZ"), raw_s


def _content(entry: Mapping[str, Any]) -> str:
    best = ""
    for c in entry.get("content") or ():
        value = c.get("value") or ""
        if len(value) > len(best):
            best = value
    return best


def _hash(*parts: str | None) -> str:
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        h.update((p or "").encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def normalize_entry(
    entry: Mapping[str, Any], *, base_url: str | None, fetched: datetime
) -> dict[str, Any] | None:
    """One feedparser entry -> item dict (without analysis); None when it carries nothing to show."""
    title = html_to_text(entry.get("title"))
    title = " ".join(title.split())[:MAX_TITLE]
    content = html_to_text(_content(entry))[:MAX_CONTENT]
    summary = html_to_text(entry.get("summary"))[:MAX_SUMMARY]
    url, canon = canonical_url(entry.get("link"), base_url)
    if not title and not summary and not content and not url:
        return None
    published_at, published_raw = _date(entry, fetched)
    raw_guid = entry.get("id") or entry.get("guid")
    guid = clean_text(raw_guid, single_line=True)[:MAX_URL] if raw_guid else ""
    if not guid:
        guid = url or (
            "sha:" + _hash(title, dict.get(entry, "published") or dict.get(entry, "updated") or summary[:200])
        )
    author = clean_text(entry.get("author"), single_line=True, max_len=200) or None
    language = None
    detail = entry.get("title_detail") or entry.get("summary_detail")
    if detail and detail.get("language"):
        language = clean_text(detail.get("language"), single_line=True, max_len=20) or None
    return {
        "guid": guid,
        "url": url,
        "canonical_url": canon,
        "title": title
        or " ".join((summary[:120] + ("…" if len(summary) > 120 else "")).split())
        or (url or "")[:MAX_TITLE],
        "summary": summary,
        "content": content,
        "author": author,
        "language": language,
        "published_at": published_at,
        "published_raw": published_raw,
        "content_hash": _hash(title, summary, content, url),
    }


def process_feed(
    body: bytes,
    *,
    url: str,
    content_type: str | None,
    known: Mapping[str, str],
    language: str | None = None,
    hint_countries: Sequence[str] = (),
    fetched: datetime | None = None,
    analyze: bool = True,
    fast: bool = True,
) -> FeedOutcome:
    """Parse and normalise a feed body; analyse the items that are new or changed. Never raises on bad input."""
    fetched = fetched or datetime.now(UTC)
    parsed = parse_bytes(body, url=url, content_type=content_type, fast=fast)
    out = FeedOutcome(total_entries=len(parsed.entries), bozo=parsed.bozo)
    feed = parsed.feed or {}
    out.title = clean_text(feed.get("title"), single_line=True, max_len=300) or None
    site, _ = canonical_url(feed.get("link"), url)
    out.site_url = site
    entries = parsed.entries
    if len(entries) > MAX_ITEMS:
        out.warning = f"feed has {len(entries):,} items; kept the first {MAX_ITEMS:,}"
        entries = entries[:MAX_ITEMS]
    analyzer = _analyzer() if analyze else None
    seen: set[str] = set()
    for entry in entries:
        try:
            item = normalize_entry(entry, base_url=url, fetched=fetched)
        except Exception as e:  # one bad entry never loses the rest of the feed
            out.warning = f"skipped an entry: {type(e).__name__}"
            continue
        if item is None or item["guid"] in seen:
            continue
        seen.add(item["guid"])
        if known.get(item["guid"]) == item["content_hash"]:
            out.skipped_unchanged += 1
            continue
        if item["language"] is None:
            item["language"] = language
        if analyzer is not None:
            item["analysis"] = analyzer(item, hint_countries)
        out.items.append(item)
    return out


def _analyzer() -> Any:
    try:
        from feeds.analysis import analyze
    except Exception:  # not installed, or its data/patterns fail to load: store the articles without analysis
        return None

    def run(item: Mapping[str, Any], hints: Sequence[str]) -> AnalysisRows | None:
        text = item["content"] if len(item["content"]) >= len(item["summary"]) else item["summary"]
        try:
            a = analyze(item["title"], text, lang=item["language"], hint_countries=tuple(hints))
        except Exception:  # analysis must never lose an article
            return None
        return AnalysisRows(
            tuple((c.code, c.score) for c in a.countries),
            tuple(
                (s.speaker, s.role, s.speaker_country, s.quote, s.cue, s.start, s.end) for s in a.statements
            ),
            tuple((t.country, t.treaty, t.action, t.date) for t in a.treaty_events),
        )

    return run


def preload() -> None:
    """Load the analysis data and compile its patterns now (~0.2 s), so processes forked afterwards share them
    instead of each paying for them on its first article."""
    run = _analyzer()
    if run is not None:
        run({"title": "", "content": "Helsinki said.", "summary": "", "language": "en"}, ())
