"""Bytes -> feedparser result, after removing what must never be parsed.

feedparser expands internal DTD entities, so a ~100 KB feed referencing one large entity many times becomes
hundreds of MB of text ("billion laughs" and its quadratic cousin); no body-size cap helps. We decode the body
as feedparser will, then delete the DOCTYPE (with its internal subset) and defuse any other DOCTYPE or ENTITY
declaration in the whole body before parsing. External entities are never resolved (expat's external-entity
feature is off in xml.sax, and the DOCTYPE is gone).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

import feedparser
import feedparser.encodings
from feedparser.encodings import convert_to_utf8

from feeds.fastparse import fast_parse

# feedparser's own pattern for `<?xml ... encoding="..." ?>`, `^<\?.*encoding=['"](.*?)['"].*\?>`, backtracks
# polynomially on a long first line repeating `encoding="x"` without `?>` (fuzzing found an 86 KB body taking
# 19 s; 10 MB would never finish). Same purpose, bounded: the first encoding pseudo-attribute of the declaration.
feedparser.encodings.RE_XML_PI_ENCODING = re.compile(
    rb"^<\?[^\n>]{0,500}?encoding=['\"]([^'\"\n>]{0,100})['\"]"
)

# Possessive quantifiers and atomic groups only: the match never backtracks, so it is linear in the length of
# the declaration whatever the input (the previous pattern was exponential on `<!DOCTYPE [] [] [] ...`).
_DOCTYPE = re.compile(
    rb"""<!DOCTYPE
    (?:[^\[>"']++|"[^"]*+"|'[^']*+')*+
    (?:\[
        (?:[^\]"'<]++|"[^"]*+"|'[^']*+'|<!--(?:[^-]++|-(?!->))*+-->|<|\](?!\s*+>))*+
    \]\s*+)?
    >""",
    re.IGNORECASE | re.VERBOSE,
)
# Whatever declaration opener is left (unterminated, malformed, or glued back together from pieces) is defused:
# its `<` becomes `&lt;`, which can never start a declaration again.
_DECL_OPEN = re.compile(rb"<(?=!(?:DOCTYPE|ENTITY))", re.IGNORECASE)
_MAX_DOCTYPES = 8
"""Well-formed DOCTYPEs removed whole; any further ones are only defused (bounds the work on hostile input)."""


@dataclass(frozen=True)
class Parsed:
    feed: Any
    entries: list[Any]
    bozo: str | None
    """Why the document was not well-formed (feedparser's bozo exception), if it was not."""


def strip_dtd(body: bytes) -> bytes:
    """Remove DOCTYPE declarations (with internal subsets) and defuse any other DOCTYPE/ENTITY declaration.

    Works on UTF-8 (or any ASCII-compatible) bytes: `parse_bytes` decodes the body the way feedparser will
    before calling it. Linear time on any input.
    """
    low = body.lower()
    if b"<!doctype" not in low and b"<!entity" not in low:
        return body
    out = []
    pos = 0
    for _ in range(_MAX_DOCTYPES):
        start = low.find(b"<!doctype", pos)
        if start < 0:
            break
        m = _DOCTYPE.match(body, start)
        if m is None:
            break
        out.append(body[pos:start])
        pos = m.end()
    out.append(body[pos:])
    return _DECL_OPEN.sub(b"&lt;", b"".join(out))


def parse_bytes(
    body: bytes, *, url: str | None = None, content_type: str | None = None, fast: bool = True
) -> Parsed:
    """Parse a feed body: plain RSS 2.0 / Atom 1.0 by `feeds.fastparse` (same fields, ~10x faster), anything
    else by feedparser (sanitizer and relative-URI rewriting off: we keep plain text). `fast=False` always
    uses feedparser (the tests compare the two)."""
    # Decode exactly as feedparser will (BOM, <?xml encoding=...>, charset, UTF-16/32 and EBCDIC sniffing) and
    # strip on the UTF-8 result: a DOCTYPE in UTF-16BE-without-BOM, UTF-32, cp037 or UTF-7 has no ASCII bytes
    # to match, yet feedparser would decode it and let expat expand its entities.
    try:
        return _parse(body, content_type, fast)
    except (
        Exception
    ) as e:  # feedparser's loose parser has bugs (TypeError, KeyError) on some broken documents
        return Parsed(feed={}, entries=[], bozo=f"unparseable document ({type(e).__name__}: {e})"[:300])


def _parse(body: bytes, content_type: str | None, fast: bool) -> Parsed:
    media = (content_type or "application/xml").split(";")[0].strip() or "application/xml"
    pre: dict[str, Any] = {}
    body = convert_to_utf8({"content-type": content_type or "application/xml"}, body, pre)
    body = strip_dtd(body)
    if fast and pre.get("encoding") and not pre.get("bozo"):
        quick = fast_parse(body)
        if quick is not None:
            return Parsed(feed=quick[0], entries=quick[1], bozo=None)
    # No content-location: feedparser would resolve permalink guids against it, so a feed that moves (or
    # redirects) would change every guid. Links are made absolute by the processor instead.
    headers = {"content-type": f"{media}; charset=utf-8"}
    # Always a stream: given bytes, feedparser first tries open(bytes) as a *filename*, so a body reading
    # "/etc/passwd" would be answered with that file's content.
    result = feedparser.parse(
        io.BytesIO(body),
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    bozo = None
    if result.get("bozo") or pre.get("bozo"):
        exc = result.get("bozo_exception") if result.get("bozo") else pre.get("bozo_exception")
        bozo = f"{type(exc).__name__}: {exc}"[:300] if exc is not None else "not well-formed"
    return Parsed(feed=result.get("feed", {}), entries=list(result.get("entries", [])), bozo=bozo)
