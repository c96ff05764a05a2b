"""Feeds in and out: OPML 1.0/2.0 and newsboat `urls` files -> feeds; feeds -> OPML 2.0; merge into the config.

OPML is a hostile XML file like any feed: DOCTYPE and ENTITY declarations are removed before parsing (no entity
expansion, no external entities; `xml.etree` never fetches anything), and the file is capped in size.

Tags: an outline nested in folders gets each folder's name as a tag, plus the items of its `category` attribute
(OPML 2.0: comma-separated, slash-delimited). nordwatch's own fields travel in attributes of the
`https://nordwatch.invalid/opml` namespace, so `export -> import` loses nothing (other readers ignore them).

The config is edited with tomlkit, which keeps its comments and layout; the result is validated with the
normal config parser before it replaces the file (atomically).
"""

from __future__ import annotations

import json
import os
import shlex
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from feeds.config import _ISO2, _LANG, FeedConfig, is_http_url, parse_config
from feeds.parser import strip_dtd
from feeds.sanitize import clean_text

NS = "https://nordwatch.invalid/opml"
MAX_OPML_BYTES = 20_000_000
DEFAULT_INTERVAL_S = 1800


class ImportError_(ValueError):
    """A file that cannot be imported; str() is one line naming the file."""


@dataclass(frozen=True)
class ImportedFeed:
    url: str
    name: str = ""
    tags: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    language: str | None = None
    interval_s: int | None = None
    enabled: bool = True


@dataclass
class MergeReport:
    added: list[ImportedFeed] = field(default_factory=list)
    duplicates: list[ImportedFeed] = field(default_factory=list)
    """Already configured (same URL), or twice in the file."""
    rejected: list[tuple[str, str]] = field(default_factory=list)
    """(url, reason) of entries that are not http(s) feeds."""
    renamed: list[tuple[str, str]] = field(default_factory=list)
    """(name in the file, name used) when a name was already taken."""


def _add_tag(tags: list[str], tag: str) -> None:
    tag = clean_text(tag, single_line=True).strip()
    if tag and tag not in tags:
        tags.append(tag)


def _attr(el: ET.Element, name: str) -> str | None:
    """An attribute by case-insensitive name (OPML 1.0 files write xmlurl, xmlURL, ...)."""
    low = name.lower()
    for k, v in el.attrib.items():
        if k.lower() == low:
            return v
    return None


def parse_opml(data: bytes, *, source: str = "OPML") -> list[ImportedFeed]:
    """Every feed outline (one with an xmlUrl) in an OPML 1.0/2.0 document, with folders as tags."""
    if len(data) > MAX_OPML_BYTES:
        raise ImportError_(f"{source}: larger than {MAX_OPML_BYTES:,} bytes")
    body = strip_dtd(data)
    if b"<!ENTITY" in body.upper():
        raise ImportError_(f"{source}: entity declarations are not allowed")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as e:
        raise ImportError_(f"{source}: not well-formed XML ({e})") from None
    if root.tag.lower() != "opml":
        raise ImportError_(f"{source}: not an OPML document (root element <{root.tag[:40]}>)")
    body_el = next((c for c in root if c.tag.lower() == "body"), None)
    if body_el is None:
        raise ImportError_(f"{source}: OPML without a <body>")
    out: list[ImportedFeed] = []

    def walk(el: ET.Element, folders: list[str]) -> None:
        for child in el:
            if not isinstance(child.tag, str) or child.tag.lower() != "outline":
                continue
            url = (_attr(child, "xmlUrl") or "").strip()
            label = _attr(child, "title") or _attr(child, "text") or ""
            if not url:
                walk(child, [*folders, label] if label.strip() else folders)
                continue
            out.append(_feed_from_outline(child, url, label, folders))
            walk(child, folders)  # feeds nested under a feed (rare) are still feeds

    walk(body_el, [])
    return out


def _feed_from_outline(el: ET.Element, url: str, label: str, folders: list[str]) -> ImportedFeed:
    ours = {k[len(NS) + 2 :]: v for k, v in el.attrib.items() if k.startswith("{" + NS + "}")}
    tags: list[str] = []
    if "tags" in ours:
        try:
            for t in json.loads(ours["tags"]):
                _add_tag(tags, str(t))
        except (ValueError, TypeError):
            pass
    else:
        for f in folders:
            _add_tag(tags, f)
        for item in (_attr(el, "category") or "").split(","):
            for part in item.split("/"):
                _add_tag(tags, part)
    countries = tuple(
        c.strip().upper() for c in ours.get("countries", "").split(",") if _ISO2.match(c.strip().upper())
    )
    interval = None
    if ours.get("interval", "").isdigit():
        interval = int(ours["interval"])
    lang = (_attr(el, "language") or "").strip() or None
    if lang and not _LANG.match(lang):
        lang = lang.lower() if _LANG.match(lang.lower()) else None  # "EN" -> "en"; "English" is dropped
    return ImportedFeed(
        url=url,
        name=clean_text(label, single_line=True, max_len=200).strip(),
        tags=tuple(tags),
        countries=countries,
        language=lang,
        interval_s=interval,
        enabled=ours.get("enabled", "true").lower() != "false",
    )


def parse_newsboat(text: str) -> list[ImportedFeed]:
    """newsboat's `urls` file: `URL tag "tag with space" "~Title"`; `query:` feeds, comments and `!` skipped."""
    out = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith("query:"):
            continue
        try:
            parts = shlex.split(line, comments=False, posix=True)
        except ValueError:  # an unbalanced quote: newsboat itself keeps going, so do we
            parts = line.split()
        if not parts or parts[0].startswith("query:"):
            continue
        url, name, tags = parts[0], "", []
        for p in parts[1:]:
            if p.startswith("~"):
                name = p[1:]
            elif p == "!":  # "hidden from the feed list" in newsboat: no meaning here
                continue
            else:
                _add_tag(tags, p)
        out.append(ImportedFeed(url=url, name=clean_text(name, single_line=True).strip(), tags=tuple(tags)))
    return out


def _interval_text(seconds: int) -> str:
    for unit, n in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % n == 0:
            return f"{seconds // n}{unit}"
    return f"{seconds}s"


def to_opml(feeds: list[FeedConfig], *, title: str = "nordwatch feeds") -> bytes:
    """OPML 2.0: feeds nested under a folder per first tag, all tags in `category`, our fields namespaced."""
    ET.register_namespace("nw", NS)
    root = ET.Element("opml", {"version": "2.0"})
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
    ET.SubElement(head, "docs").text = "https://opml.org/spec2.opml"
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    for f in feeds:
        attrs = {"type": "rss", "text": f.name, "title": f.name, "xmlUrl": f.url}
        if f.language:
            attrs["language"] = f.language
        if f.tags:
            attrs["category"] = ",".join("/" + t for t in f.tags)
            attrs[f"{{{NS}}}tags"] = json.dumps(list(f.tags), ensure_ascii=False)
        if f.countries:
            attrs[f"{{{NS}}}countries"] = ",".join(f.countries)
        if f.interval_s != DEFAULT_INTERVAL_S:
            attrs[f"{{{NS}}}interval"] = str(f.interval_s)
        if not f.enabled:
            attrs[f"{{{NS}}}enabled"] = "false"
        parent = body
        if f.tags:
            folder = f.tags[0]
            if folder not in folders:
                folders[folder] = ET.SubElement(body, "outline", {"text": folder, "title": folder})
            parent = folders[folder]
        ET.SubElement(parent, "outline", attrs)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def merge_into_config(
    config_path: Path, feeds: list[ImportedFeed], *, dry_run: bool = False
) -> tuple[MergeReport, str]:
    """Append the feeds not yet configured (by URL) to the TOML config, keeping its comments.

    Returns the report and the new text; writes the file (atomically) unless `dry_run`. The new text is
    validated with the config parser first, so a merge never leaves a config nordwatch refuses.
    """
    import tomlkit

    text = config_path.read_text(encoding="utf-8") if config_path.exists() else ""
    doc = tomlkit.parse(text)
    existing = doc.get("feeds")
    if existing is None:
        existing = tomlkit.aot()
        doc["feeds"] = existing
    urls = {str(t.get("url", "")).strip() for t in existing}
    names = {str(t.get("name", "")).strip() for t in existing}
    report = MergeReport()
    for f in feeds:
        url = f.url.strip()
        if not is_http_url(url):
            report.rejected.append((url, "not an http(s) URL"))
            continue
        if url in urls:
            report.duplicates.append(f)
            continue
        base = f.name or urlsplit(url).netloc
        name, n = base, 2
        while name in names:
            name, n = f"{base} ({n})", n + 1
        if name != base:
            report.renamed.append((base, name))
        table = tomlkit.table()
        table["name"] = name
        table["url"] = url
        if f.countries:
            table["countries"] = list(f.countries)
        if f.language:
            table["language"] = f.language
        if f.tags:
            table["tags"] = list(f.tags)
        if f.interval_s and f.interval_s != DEFAULT_INTERVAL_S:
            table["interval"] = _interval_text(f.interval_s)
        if not f.enabled:
            table["enabled"] = False
        existing.append(table)
        urls.add(url)
        names.add(name)
        report.added.append(ImportedFeed(**{**f.__dict__, "url": url, "name": name}))
    new_text = tomlkit.dumps(doc)
    parse_config(new_text, config_path)  # raises ConfigError (e.g. a bad language code in the file)
    if not dry_run and report.added:
        write_atomically(config_path, new_text)
    return report, new_text


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` via a temporary file in the same directory (keeps the file's mode)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ------------------------------------------------------------------------------------ feed discovery

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml")


def discover_feed_links(html: bytes, base_url: str) -> list[tuple[str, str, str]]:
    """(absolute url, type, title) of each `<link rel="alternate" type="application/rss+xml|atom+xml">`."""
    from html.parser import HTMLParser
    from urllib.parse import urljoin

    found: list[tuple[str, str, str]] = []

    class _Links(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag not in ("link", "a"):
                return
            a = {k.lower(): (v or "") for k, v in attrs}
            rels = a.get("rel", "").lower().split()
            kind = a.get("type", "").lower().split(";")[0].strip()
            if "alternate" in rels and kind in _FEED_TYPES[:2] + _FEED_TYPES[3:] and a.get("href"):
                url = urljoin(base_url, a["href"].strip())
                if urlsplit(url).scheme in ("http", "https") and url not in [f[0] for f in found]:
                    found.append((url, kind, clean_text(a.get("title", ""), single_line=True).strip()))

    parser = _Links(convert_charrefs=True)
    try:
        parser.feed(html[:2_000_000].decode("utf-8", "replace"))
        parser.close()
    except Exception:  # html.parser is lenient; anything it still chokes on means "no links found"
        pass
    return found
