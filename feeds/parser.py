"""Bytes -> feedparser result, after removing what must never be parsed.

feedparser expands internal DTD entities, so a ~100 KB feed referencing one large entity many times becomes
hundreds of MB of text ("billion laughs" and its quadratic cousin); no body-size cap helps. We delete the
DOCTYPE (with its internal subset) and any ENTITY declaration from the whole body before parsing. External
entities are never resolved (expat's external-entity feature is off in xml.sax, and the DOCTYPE is gone).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

import feedparser

# Only the first KB can hold the prolog; but entity declarations smuggled later are removed everywhere.
_DOCTYPE = re.compile(rb"<!DOCTYPE(?:[^\[>]|\[(?:[^\]]|\](?!\s*>))*\]\s*)*>", re.IGNORECASE)
_ENTITY_DECL = re.compile(rb"<!ENTITY[^>]*>", re.IGNORECASE)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class Parsed:
    feed: Any
    entries: list[Any]
    bozo: str | None
    """Why the document was not well-formed (feedparser's bozo exception), if it was not."""


def strip_dtd(body: bytes) -> bytes:
    """Remove DOCTYPE declarations (with internal subsets) and ENTITY declarations."""
    if body.startswith(_UTF16_BOMS) or (len(body) > 1 and body[1:2] == b"\x00"):
        # UTF-16: work on a UTF-8 copy so the byte patterns apply; feedparser re-detects the encoding.
        try:
            text = body.decode("utf-16")
        except UnicodeDecodeError:
            return body
        body = text.encode("utf-8")
        body = re.sub(
            rb"(<\?xml[^>]*?encoding=[\"'])utf-16(?:[lb]e)?([\"'])", rb"\1utf-8\2", body, count=1, flags=re.I
        )
    if b"<!" not in body:
        return body
    body = _DOCTYPE.sub(b"", body)
    if b"<!ENTITY" in body or b"<!entity" in body.lower():
        body = _ENTITY_DECL.sub(b"", body)
    return body


def parse_bytes(body: bytes, *, url: str | None = None, content_type: str | None = None) -> Parsed:
    """Parse a feed body with feedparser (sanitizer and relative-URI rewriting off: we keep plain text)."""
    body = strip_dtd(body)
    # No content-location: feedparser would resolve permalink guids against it, so a feed that moves (or
    # redirects) would change every guid. Links are made absolute by the processor instead.
    headers = {"content-type": content_type or "application/xml"}
    # Always a stream: given bytes, feedparser first tries open(bytes) as a *filename*, so a body reading
    # "/etc/passwd" would be answered with that file's content.
    result = feedparser.parse(
        io.BytesIO(body),
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    bozo = None
    if result.get("bozo"):
        exc = result.get("bozo_exception")
        bozo = f"{type(exc).__name__}: {exc}"[:300] if exc is not None else "not well-formed"
    return Parsed(feed=result.get("feed", {}), entries=list(result.get("entries", [])), bozo=bozo)
