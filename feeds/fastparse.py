"""A fast path for plain RSS 2.0 and Atom 1.0 documents, giving exactly what feedparser would for our fields.

feedparser drives a Python callback for every element and every run of text; on a typical news feed that is
~0.6 ms per item, more than everything else a poll does to an item put together. Most feeds are well-formed RSS
2.0 or Atom 1.0 using a handful of elements, so we parse those with ElementTree (expat building the tree in C)
and read the few fields `feeds.processor.normalize_entry` uses, replicating feedparser's rules for them
(a second title hands over to feedparser, a permalink guid or an Atom id stands in for a missing link, the description or
else the content becomes the summary, xml:lang scoping, its whitespace stripping, its double-encoded-UTF-8 repair
and cp1252 mapping, its link clean-up and date parser).

Anything outside that subset returns None and the caller uses feedparser: a document that is not well-formed,
RSS 1.0/RDF and older formats, xml:base, XHTML or base64 content, elements nested inside a text field, duplicate
fields, media:title/description, Atom sources, unknown elements that feedparser might map onto our fields.
`tests/feeds/test_fastparse.py` checks the two paths agree on every feed we have.
"""

from __future__ import annotations

import contextlib
import re
import xml.etree.ElementTree as ET
from typing import Any

from feedparser.api import StrictFeedParser
from feedparser.datetimes import _parse_date
from feedparser.html import _cp1252
from feedparser.mixin import _FeedParserMixin
from feedparser.urls import _urljoin

__all__ = ["fast_parse"]

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# feedparser takes `base=`/`xml:base=` on any element (and keeps it after the element ends); we do not model it.
_BASE_EQ = re.compile(rb"base\s*=")  # searched in the lower-cased body: a literal prefix, so a fast scan
_ENTITY_IN_LINK = re.compile("&([A-Za-z0-9_]+);")
_C1 = re.compile("[\x80-\x9f]")

_PREFIXES = {uri.lower(): prefix for uri, prefix in _FeedParserMixin.namespaces.items()}
"""feedparser's namespace URI -> prefix map: RSS and Atom elements get no prefix, Dublin Core `dc`, and so on."""
_HANDLED = frozenset(
    [n[7:].lower() for n in dir(StrictFeedParser) if n.startswith("_start_")]
    + [n[5:].lower() for n in dir(StrictFeedParser) if n.startswith("_end_")]
)
"""Element names feedparser has a handler for; any of them we do not model sends the document to feedparser."""
_INERT = frozenset(
    [
        "category",
        "keywords",
        "enclosure",
        "source",
        "rights",
        "copyright",
        "language",
        "media_content",
        "media_thumbnail",
        "media_credit",
        "media_category",
        "media_keywords",
        "media_rating",
        "media_restriction",
        "media_license",
        "media_player",
        "media_group",
        "dc_subject",
        "dc_rights",
        "dc_language",
        "itunes_image",
        "itunes_category",
        "cc_license",
        "creativecommons_license",
    ]
)
"""Handled by feedparser, but only into fields we never read (their children are checked the same way)."""
_OUR_KEYS = frozenset(
    [
        "title",
        "title_detail",
        "link",
        "id",
        "summary",
        "summary_detail",
        "content",
        "published",
        "published_parsed",
        "updated",
        "updated_parsed",
        "created",
        "created_parsed",
        "author",
    ]
)
_TEXT_TYPES = frozenset(["text", "html", "text/plain", "text/html"])
_HTML_TYPES = frozenset(["text/html", "application/xhtml+xml"])
_CONTENT_TYPE_MAP = {"text": "text/plain", "html": "text/html", "xhtml": "application/xhtml+xml"}


class _Unsupported(Exception):
    """The document uses something the fast path does not model: let feedparser parse it."""


def fast_parse(body: bytes) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """(feed, entries) for a UTF-8 RSS 2.0 / Atom 1.0 body (DOCTYPE already removed), or None to use feedparser.

    `feed` has `title` and `link`; each entry has the feedparser keys the processor reads (`title`,
    `title_detail`, `link`, `id`, `summary`, `summary_detail`, `content`, `published`/`updated` with their
    `_parsed` forms, `author`), present exactly when feedparser would set them.
    """
    if _has_base_attribute(body) or not _namespaces_agree(body):
        return None
    try:
        root = ET.fromstring(body)  # DOCTYPE/ENTITY declarations are gone (strip_dtd); expat never fetches
    except (ET.ParseError, ValueError, LookupError):
        return None
    try:
        kind = _name(root.tag)
        if kind == "rss":
            channels = list(root)
            if len(channels) != 1 or _name(channels[0].tag) != "channel":
                return None
            return _feed(channels[0], _lang(channels[0], _lang(root, None)))
        if kind == "feed" and root.tag == "{http://www.w3.org/2005/Atom}feed":
            return _feed(root, _lang(root, None))
    except (_Unsupported, RecursionError):
        return None
    return None


def _has_base_attribute(body: bytes) -> bool:
    """Whether some element may carry `xml:base=` or `base=` (text such as "database = x" may also match)."""
    low = body.lower()
    for m in _BASE_EQ.finditer(low):
        before = low[m.start() - 1 : m.start()]
        if before == b":" or before.isspace():
            return True
    return False


_XMLNS = re.compile(rb"""xmlns(?::([^\s=/>]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_HANDLER_PREFIXES = frozenset(
    [p.lower() for p in _PREFIXES.values() if p] + [n.split("_")[0] for n in _HANDLED if "_" in n]
)


def _namespaces_agree(body: bytes) -> bool:
    """False when feedparser would read the namespaces differently from ElementTree.

    feedparser dispatches an element in an unknown namespace on the document's prefix, so `xmlns:dc="http://wrong"`
    still makes `dc:creator` the author for feedparser (ElementTree only sees the URI); and SAX splits names on a
    space, so a namespace URI with whitespace fails its strict parser.
    """
    for m in _XMLNS.finditer(body):
        raw = m.group(2) if m.group(2) is not None else m.group(3)
        if raw is None or b"&" in raw or any(c in raw for c in b" \t\r\n"):
            return False
        prefix = m.group(1)
        low = raw.decode("utf-8", "replace").lower()
        if "backend.userland.com/rss" in low:
            continue
        if prefix and low not in _PREFIXES and prefix.decode("utf-8", "replace").lower() in _HANDLER_PREFIXES:
            return False
    return True


_NAMES: dict[str, str | None] = {}


def _name(tag: str) -> str | None:
    """The name feedparser dispatches an element on (`title`, `content_encoded`, `dc_creator` …), or None for an
    element in a namespace feedparser does not know."""
    name = _NAMES.get(tag)
    if name is None and tag not in _NAMES:
        if tag[:1] == "{":
            uri, _, local = tag[1:].partition("}")
            low = uri.lower()
            if "backend.userland.com/rss" in low:
                low = "http://backend.userland.com/rss"
            prefix = _PREFIXES.get(low)
            name = None if prefix is None else (f"{prefix}_{local}" if prefix else local).lower()
        else:
            name = tag.lower()
        if len(_NAMES) < 10_000:
            _NAMES[tag] = name
    return name


# ---------------------------------------------------------------------------------------------- values


def _fix(value: str) -> str:
    """feedparser's last steps for any text: double-encoded UTF-8 repaired, C1 controls read as cp1252."""
    if not value.isascii():
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            value = value.encode("iso-8859-1").decode("utf-8")
        if _C1.search(value):  # translate() with a dict is slow on long text: only when there is work
            value = value.translate(_cp1252)
    return value


def _text(el: ET.Element) -> str:
    if len(el):
        raise _Unsupported  # markup inside a text field: feedparser re-serialises it
    return (el.text or "").strip()


def _uri(value: str) -> str:
    return _urljoin("", value)


def _attrs(el: ET.Element) -> dict[str, str]:
    """Attributes as feedparser sees them: names lower-cased, `rel` and `type` values too."""
    out = {}
    for key, value in el.attrib.items():
        if key[:1] == "{":
            if key != _XML_LANG:
                continue
            key = "xml:lang"
        key = key.lower()
        out[key] = value.lower() if key in ("rel", "type") else value
    return out


def _lang(el: ET.Element, inherited: str | None) -> str | None:
    if not el.attrib:
        return inherited
    attrs = _attrs(el)
    value = attrs.get("xml:lang", attrs.get("lang"))
    if value is None:
        return inherited
    return value or None


def _detail_lang(lang: str | None) -> str | None:
    return lang.replace("_", "-") if lang else lang


def _check_type(attrs: dict[str, str]) -> None:
    """Only text and escaped-HTML constructs: XHTML is re-serialised by feedparser, other types are base64."""
    if "mode" in attrs or "src" in attrs:
        raise _Unsupported
    kind = attrs.get("type")
    if kind is not None and kind not in _TEXT_TYPES:
        raise _Unsupported


def _link(el: ET.Element, attrs: dict[str, str], *, in_entry: bool) -> str | None:
    """What a link element makes the link, as feedparser's `_start_link`/`_end_link` do: for one with a target
    (href, url or uri), the alternate HTML page's URL, else None (the link stays as it was); otherwise its text,
    cleaned as feedparser cleans an entry's or the feed's link."""
    href = attrs.get("url", attrs.get("uri", attrs.get("href")))
    if href is None:
        text = _fix(_uri(_text(el)))
        return _ENTITY_IN_LINK.sub(r"&\g<1>", text.replace("&amp;", "&") if in_entry else text)
    rel = attrs.get("rel", "alternate")
    kind = attrs.get("type", "application/atom+xml" if rel == "self" else "text/html")
    if rel == "alternate" and _CONTENT_TYPE_MAP.get(kind, kind) in _HTML_TYPES:
        return _uri(href)
    return None


def _id(el: ET.Element, attrs: dict[str, str]) -> tuple[str, bool]:
    """(value, whether it is a permalink) of a guid or id: a permalink also stands in for a missing link."""
    is_link = attrs.get("ispermalink", "true") == "true"
    value = _text(el)
    return _fix(_uri(value) if is_link and value else value), is_link


def _inert(el: ET.Element) -> None:
    """Let an element we do not read pass, or give up if feedparser might read it (or a child) into our fields."""
    name = _name(el.tag)
    if name is not None and (name in _OUR_KEYS or (name in _HANDLED and name not in _INERT)):
        raise _Unsupported
    for child in el:
        _inert(child)


# ---------------------------------------------------------------------------------------------- structure


_IMAGE_PARTS = frozenset(["url", "title", "link", "width", "height", "description", "name"])
_FEED_FIELDS = frozenset(
    ["title", "dc_title", "media_title", "link", "item", "entry", "rss", "channel", "feed"]
)


def _feed(el: ET.Element, lang: str | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The channel (RSS) or feed (Atom) element: its title and link, and its entries."""
    feed: dict[str, Any] = {}
    entries: list[dict[str, Any]] = []
    has_title = False
    for child in el:
        name = _name(child.tag)
        if name == "item" or name == "entry":
            entries.append(_entry(child, lang))
        elif name == "title" or name == "dc_title":
            if has_title:
                raise _Unsupported  # a second title: feedparser's choice depends on element depths
            has_title = True
            _check_type(_attrs(child))
            feed["title"] = _fix(_text(child))
        elif name == "link":
            link = _link(child, _attrs(child), in_entry=False)
            if link is not None:
                feed["link"] = link
        elif name == "id" or name == "guid":  # a permalink id stands in for a missing feed link too
            value, is_link = _id(child, _attrs(child))
            if is_link:
                feed.setdefault("link", value)
        elif name in ("image", "textinput"):  # their own flat title and link never become the feed's
            if any(len(c) or _name(c.tag) not in _IMAGE_PARTS for c in child):
                raise _Unsupported
        elif any(_name(e.tag) in _FEED_FIELDS for e in child.iter()):
            raise _Unsupported  # a title, link or entry somewhere feedparser would still read it
    return feed, entries


def _entry(el: ET.Element, lang: str | None) -> dict[str, Any]:
    """One RSS item or Atom entry, read the way feedparser's handlers read it."""
    if el.attrib:
        attrs = _attrs(el)
        if any(k in attrs for k in ("rdf:about", "about", "lastmod", "href")):
            raise _Unsupported  # RDF/CDF attributes feedparser turns into an id, date or link
    lang = _lang(el, lang)
    entry: dict[str, Any] = {}
    seen: set[str] = set()
    for child in el:
        name = _name(child.tag)
        role = _ROLES.get(name) if name is not None else None
        if role is None:
            _inert(child)
            continue
        if role in _SINGLE:
            if role in seen:
                raise _Unsupported  # feedparser's rules for a second title/summary/id are intricate
            seen.add(role)
        attrs = _attrs(child) if child.attrib else {}
        if role == "title":
            _check_type(attrs)
            entry["title"] = _fix(_text(child))
            entry["title_detail"] = {"language": _detail_lang(_lang(child, lang))}
        elif role == "link":
            link = _link(child, attrs, in_entry=True)
            if link is not None:
                entry["link"] = link
        elif role == "id":
            entry["id"], is_link = _id(child, attrs)
            if is_link:
                entry.setdefault("link", entry["id"])
        elif role == "summary":
            _check_type(attrs)
            entry["summary"] = _fix(_text(child))
            entry["summary_detail"] = {"language": _detail_lang(_lang(child, lang))}
        elif role == "content":
            _check_type(attrs)
            value = _fix(_text(child))
            entry["content"] = [{"value": value}]
            entry.setdefault("summary", value)
        elif role == "published" or role == "updated":
            value = _fix(_text(child))
            entry[role] = value
            entry[role + "_parsed"] = _parse_date(value)
        elif role == "author":
            entry["author"] = _author(child) if len(child) else _fix(_text(child))
    return entry


_ROLES = {
    "title": "title",
    "link": "link",
    "guid": "id",
    "id": "id",
    "description": "summary",
    "summary": "summary",
    "content": "content",
    "content_encoded": "content",
    "pubdate": "published",
    "published": "published",
    "updated": "updated",
    "dc_date": "updated",
    "author": "author",
    "dc_creator": "author",
}
_SINGLE = frozenset(["title", "id", "summary", "content", "published", "updated"])


def _author(el: ET.Element) -> str:
    """An Atom person construct as feedparser's _sync_author_detail sees it: `name (email)`, the name or the
    email; without either, the element's own text (its children's text stays with them)."""
    name = email = None
    for child in el:
        role = _name(child.tag)
        if role == "name":  # pushed without "expecting text": feedparser skips its text repairs here
            name = _text(child)
        elif role == "email":
            email = _text(child)
        elif role != "uri" or len(child):
            raise _Unsupported
    if name and email:
        return f"{name} ({email})"
    if name or email:
        return name or email or ""
    return _fix(((el.text or "") + "".join(c.tail or "" for c in el)).strip())
