"""Render the bundled demo content (``articles.toml``) into RSS 2.0 and Atom 1.0 feed files.

The content is data so that writers can edit it without touching code. Every date is relative to ``now``
(``hours_ago``), so a demo always looks fresh; the output is byte-for-byte deterministic for a given ``now``.

Characters that XML 1.0 cannot carry at all (C0 controls such as ESC) are written the way they reach us from
real feeds: as an HTML numeric character reference inside the escaped text (``&amp;#27;``). The feed stays
well-formed, and the character reappears as soon as the pipeline decodes HTML, which is exactly the path the
sanitiser has to guard.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

DATA_FILE = Path(__file__).with_name("articles.toml")

NB8 = ("DK", "EE", "FI", "IS", "LV", "LT", "NO", "SE")
NEIGHBOURS = ("PL", "RU", "BY", "UA")

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Characters not allowed anywhere in an XML 1.0 document (not even as &#NN;).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")


@dataclass(frozen=True)
class DemoFeed:
    """One rendered demo feed: what the config needs to poll it."""

    name: str
    """Outlet name, used as the feed's name in the config."""
    filename: str
    """File name inside the output directory (and the URL path on the demo server)."""
    countries: tuple[str, ...]
    """Country hints for the analysis (empty for wire services and regional sites)."""
    language: str
    tags: tuple[str, ...]
    format: str = "rss"
    """``"rss"`` (RSS 2.0) or ``"atom"`` (Atom 1.0)."""
    entries: int = 0
    """Number of items in the rendered file."""


@dataclass(frozen=True)
class DemoArticle:
    """One article of the demo content, as written in ``articles.toml``."""

    id: str
    outlet: str
    title: str
    summary: str
    body: str
    author: str
    hours_ago: float
    link: str
    countries: tuple[str, ...] = ()
    """Countries the story is about (for tests and writers; the pipeline finds them itself)."""
    categories: tuple[str, ...] = ()
    guid: str = "default"

    def published(self, now: datetime) -> datetime:
        return now - timedelta(hours=self.hours_ago)


@dataclass(frozen=True)
class DemoOutlet:
    id: str
    name: str
    format: str
    filename: str
    language: str
    site: str
    description: str
    countries: tuple[str, ...]
    tags: tuple[str, ...]
    utc_offset: str
    guid: str
    cdata: bool
    articles: tuple[DemoArticle, ...]

    def tz(self) -> timezone:
        m = _OFFSET.match(self.utc_offset)
        if not m:
            raise ValueError(f"{self.id}: bad utc_offset {self.utc_offset!r}")
        sign = -1 if m.group(1) == "-" else 1
        return timezone(sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3))))

    def feed(self) -> DemoFeed:
        return DemoFeed(
            self.name,
            self.filename,
            self.countries,
            self.language,
            self.tags,
            self.format,
            len(self.articles),
        )


def _num(article_id: str) -> int:
    """A stable pseudo article number for link templates (``{num}``)."""
    return 100_000 + int(hashlib.sha1(article_id.encode()).hexdigest()[:6], 16) % 900_000


def load_outlets(path: Path = DATA_FILE) -> list[DemoOutlet]:
    """Read and validate the demo content."""
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    outlets: list[DemoOutlet] = []
    seen_ids: set[str] = set()
    for o in raw["outlets"]:
        site = o["site"].rstrip("/")
        template = o.get("link_template", site + "/news/{id}")
        articles = []
        for a in o["articles"]:
            if a["id"] in seen_ids:
                raise ValueError(f"duplicate demo article id {a['id']!r}")
            seen_ids.add(a["id"])
            hours = float(a["hours_ago"])
            if not 0 <= hours <= 24 * 14:
                raise ValueError(f"{a['id']}: hours_ago {hours} outside 0..336")
            articles.append(
                DemoArticle(
                    id=a["id"],
                    outlet=o["id"],
                    title=a["title"],
                    summary=a["summary"].strip(),
                    body=a["body"].strip(),
                    author=a.get("author", ""),
                    hours_ago=hours,
                    link=a.get("link") or template.format(id=a["id"], num=_num(a["id"])),
                    countries=tuple(a.get("countries", ())),
                    categories=tuple(a.get("categories", ())),
                    guid=a.get("guid", "default"),
                )
            )
        fmt = o.get("format", "rss")
        if fmt not in ("rss", "atom"):
            raise ValueError(f"{o['id']}: format must be 'rss' or 'atom'")
        outlets.append(
            DemoOutlet(
                id=o["id"],
                name=o["name"],
                format=fmt,
                filename=o.get("filename", f"{o['id']}.{'atom' if fmt == 'atom' else 'rss'}"),
                language=o.get("language", "en"),
                site=site,
                description=o.get("description", o["name"]),
                countries=tuple(o.get("countries", ())),
                tags=tuple(o.get("tags", ())),
                utc_offset=o.get("utc_offset", "+00:00"),
                guid=o.get("guid", "link"),
                cdata=bool(o.get("cdata", False)),
                articles=tuple(articles),
            )
        )
    return outlets


def load_articles(path: Path = DATA_FILE) -> list[DemoArticle]:
    """All demo articles of all outlets, in file order."""
    return [a for o in load_outlets(path) for a in o.articles]


def build_demo_feeds(out_dir: Path, now: datetime | None = None) -> list[DemoFeed]:
    """Write one feed file per demo outlet into ``out_dir`` and return what was written.

    ``now`` must be timezone-aware (naive values are taken as UTC); it defaults to the current time.
    """
    now = _aware(now or datetime.now(UTC))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    feeds = []
    for outlet in load_outlets():
        text = render_atom(outlet, now) if outlet.format == "atom" else render_rss(outlet, now)
        (out_dir / outlet.filename).write_bytes(text.encode("utf-8"))
        feeds.append(outlet.feed())
    return feeds


# --- rendering -------------------------------------------------------------------------------------------


def _aware(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt


def _x(text: str) -> str:
    """Escape text for an XML text node; illegal characters become a (double-escaped) HTML reference."""
    return _XML_ILLEGAL.sub(lambda m: f"&amp;#{ord(m.group())};", escape(text))


def _attr(text: str) -> str:
    return _XML_ILLEGAL.sub(lambda m: f"&amp;#{ord(m.group())};", quoteattr(text))


def _html_in_xml(html: str, cdata: bool) -> str:
    """Embed an HTML fragment in an XML element, as CDATA or as escaped text."""
    if cdata and not _XML_ILLEGAL.search(html):
        return "<![CDATA[" + html.replace("]]>", "]]]]><![CDATA[>") + "]]>"
    return _x(html)


def _fill(text: str, published: datetime) -> str:
    return text.replace("{weekday}", _WEEKDAYS[published.weekday()])


def body_html(article: DemoArticle, published: datetime) -> str:
    """The article body as HTML: blank-line-separated paragraphs become ``<p>`` unless already block HTML."""
    parts = []
    for para in re.split(r"\n\s*\n", _fill(article.body, published)):
        para = " ".join(para.split())
        if not para:
            continue
        parts.append(para if para.startswith(("<p", "<blockquote", "<ul", "<h")) else f"<p>{para}</p>")
    return "\n".join(parts)


def _rfc3339(dt: datetime) -> str:
    return dt.replace(microsecond=0).isoformat()


def _sorted(outlet: DemoOutlet) -> list[DemoArticle]:
    return sorted(outlet.articles, key=lambda a: (a.hours_ago, a.id))


def _guid_opaque(outlet: DemoOutlet, article: DemoArticle) -> str:
    return f"{outlet.id}-" + hashlib.sha1(article.id.encode()).hexdigest()[:10]


def render_rss(outlet: DemoOutlet, now: datetime) -> str:
    """Render an outlet as RSS 2.0 (with content:encoded, dc:creator and RFC 822 dates)."""
    tz = outlet.tz()
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">',
        "<channel>",
        f"<title>{_x(outlet.name)}</title>",
        f"<link>{_x(outlet.site + '/')}</link>",
        f"<description>{_x(outlet.description)}</description>",
        f"<language>{_x(outlet.language)}</language>",
        f"<lastBuildDate>{format_datetime(now.astimezone(tz).replace(microsecond=0))}</lastBuildDate>",
        f'<atom:link href={_attr(outlet.site + "/" + outlet.filename)} rel="self"'
        ' type="application/rss+xml"/>',
        "<ttl>15</ttl>",
    ]
    for a in _sorted(outlet):
        pub = a.published(now).astimezone(tz).replace(microsecond=0)
        out.append("<item>")
        out.append(f"<title>{_x(_fill(a.title, pub))}</title>")
        out.append(f"<link>{_x(a.link)}</link>")
        style = outlet.guid if a.guid == "default" else a.guid
        if style == "link":
            out.append(f"<guid>{_x(a.link)}</guid>")
        elif style == "opaque":
            out.append(f'<guid isPermaLink="false">{_x(_guid_opaque(outlet, a))}</guid>')
        elif style != "none":
            raise ValueError(f"{a.id}: unknown guid style {style!r}")
        out.append(f"<pubDate>{format_datetime(pub)}</pubDate>")
        if a.author:
            out.append(f"<dc:creator>{_x(a.author)}</dc:creator>")
        out.extend(f"<category>{_x(c)}</category>" for c in a.categories)
        out.append(f"<description>{_x(_fill(a.summary, pub))}</description>")
        out.append(f"<content:encoded>{_html_in_xml(body_html(a, pub), outlet.cdata)}</content:encoded>")
        out.append("</item>")
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


def render_atom(outlet: DemoOutlet, now: datetime) -> str:
    """Render an outlet as Atom 1.0 (RFC 3339 dates in the outlet's UTC offset, HTML content)."""
    tz = outlet.tz()
    domain = outlet.site.split("://", 1)[-1].split("/", 1)[0]
    articles = _sorted(outlet)
    updated = articles[0].published(now) if articles else now
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={_attr(outlet.language)}>',
        f"<title>{_x(outlet.name)}</title>",
        f"<subtitle>{_x(outlet.description)}</subtitle>",
        f"<id>tag:{_x(domain)},2019:feed</id>",
        f'<link rel="alternate" type="text/html" href={_attr(outlet.site + "/")}/>',
        f'<link rel="self" type="application/atom+xml" href={_attr(outlet.site + "/" + outlet.filename)}/>',
        f"<updated>{_rfc3339(updated.astimezone(tz))}</updated>",
    ]
    for a in articles:
        pub = a.published(now).astimezone(tz).replace(microsecond=0)
        style = outlet.guid if a.guid == "default" else a.guid
        entry_id = a.link if style == "link" else f"tag:{domain},2019:{_guid_opaque(outlet, a)}"
        out.append("<entry>")
        out.append(f'<title type="text">{_x(_fill(a.title, pub))}</title>')
        out.append(f'<link rel="alternate" type="text/html" href={_attr(a.link)}/>')
        out.append(f"<id>{_x(entry_id)}</id>")
        out.append(f"<published>{_rfc3339(pub)}</published>")
        out.append(f"<updated>{_rfc3339(pub)}</updated>")
        if a.author:
            out.append(f"<author><name>{_x(a.author)}</name></author>")
        out.extend(f"<category term={_attr(c)}/>" for c in a.categories)
        out.append(f'<summary type="text">{_x(_fill(a.summary, pub))}</summary>')
        out.append(f'<content type="html">{_html_in_xml(body_html(a, pub), outlet.cdata)}</content>')
        out.append("</entry>")
    out += ["</feed>", ""]
    return "\n".join(out)


# --- config ------------------------------------------------------------------------------------------------


def _toml_str(value: str) -> str:
    """A TOML basic string."""
    out = ['"']
    for ch in value:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _toml_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(_toml_str(v) for v in values) + "]"


def demo_config_toml(feeds: Iterable[DemoFeed], base_url: str, db_path: Path | str) -> str:
    """A nordwatch TOML config that polls ``feeds`` from the demo server at ``base_url`` into ``db_path``."""
    base = base_url.rstrip("/")
    lines = [
        "# nordwatch demo config: bundled fictional feeds served from a local HTTP server.",
        "",
        "[store]",
        f"path = {_toml_str(str(db_path))}",
    ]
    for f in feeds:
        lines += [
            "",
            "[[feeds]]",
            f"name = {_toml_str(f.name)}",
            f"url = {_toml_str(f'{base}/{f.filename}')}",
        ]
        if f.countries:
            lines.append(f"countries = {_toml_list(f.countries)}")
        if f.language:
            lines.append(f"language = {_toml_str(f.language)}")
        if f.tags:
            lines.append(f"tags = {_toml_list(f.tags)}")
    return "\n".join(lines) + "\n"
