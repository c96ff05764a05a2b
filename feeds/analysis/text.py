"""Text helpers shared by the extractors: quoted spans, sentence spans, paragraphs."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib.resources import files
from typing import NamedTuple


class Quoted(NamedTuple):
    """A quoted span: `open`/`close` are the marks' offsets; the words are text[open + 1:close]."""

    open: int
    close: int  # offset of the closing mark; == paragraph end when the quote runs on unclosed


def lower_re(pattern: str) -> re.Pattern[str]:
    """Compile a case-insensitive pattern for use on lower-cased text (several times faster than IGNORECASE)."""
    low = re.sub(
        r"\\[a-zA-Z]|\(\?P<\w+>|[^\\(]+|.",
        lambda m: m.group() if m.group().startswith(("\\", "(?P<")) else m.group().lower(),
        pattern,
    )
    return re.compile(low)


def lower(text: str) -> str:
    """`text` lower-cased with offsets unchanged."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


@cache
def cue_data() -> dict:
    """data/cues.toml, parsed once."""
    return tomllib.loads(files("feeds.analysis").joinpath("data/cues.toml").read_text(encoding="utf-8"))


_SINGLE_OPEN = {"‘", "‚"}


@cache
def _marks() -> tuple[dict[str, tuple[str, ...]], re.Pattern[str]]:
    pairs = {k: tuple(v) for k, v in cue_data()["quote_pairs"].items()}
    chars = set(pairs) | {c for v in pairs.values() for c in v} | {"\n"}
    return pairs, re.compile("[" + re.escape("".join(sorted(chars))) + "]")


def find_quotes(text: str) -> list[Quoted]:
    """Quoted spans in `text`; apostrophes never open a quote, an unclosed quote ends with its paragraph."""
    pairs, mark_re = _marks()
    out: list[Quoted] = []
    open_at = -1
    opener = ""
    closers: tuple[str, ...] = ()
    n = len(text)
    for m in mark_re.finditer(text):
        i = m.start()
        ch = text[i]
        if ch == "\n":
            if open_at >= 0 and i - open_at > 1:
                out.append(Quoted(open_at, i))
            open_at = -1
            continue
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < n else " "
        if open_at >= 0:
            if ch in closers and not (ch in ("’", "‘") and nxt.isalpha()):
                # A closer must not sit inside a word (except after punctuation), or be an opener-shaped twin.
                if ch == opener and ch in ("”", '"') and prev.isspace() and nxt.isalnum():
                    out.append(Quoted(open_at, i))  # unclosed run-on: treat as a new opening below
                    open_at = i
                    opener = ch
                    closers = pairs[ch]
                    continue
                out.append(Quoted(open_at, i))
                open_at = -1
            continue
        if ch not in pairs:
            continue
        if ch in _SINGLE_OPEN and prev.isalnum():
            continue
        if ch in ('"', "”", "“") and prev.isalnum() and not nxt.isalnum():
            continue  # a stray closing mark
        if nxt.isspace() or i + 1 >= n:
            continue
        open_at = i
        opener = ch
        closers = pairs[ch]
    if open_at >= 0 and n - open_at > 1:
        out.append(Quoted(open_at, n))
    return out


def mask_quotes(text: str, quotes: list[Quoted]) -> str:
    """`text` with quoted words replaced by 'x' (same length); a quote's final .!? is kept for sentence ends."""
    if not quotes:
        return text
    parts = []
    pos = 0
    for q in quotes:
        inner = text[q.open + 1 : q.close]
        keep = inner[-1] if inner and inner[-1] in ".!?" else ""
        parts.append(text[pos : q.open + 1])
        parts.append("x" * (len(inner) - len(keep)) + keep)
        pos = q.close
    parts.append(text[pos:])
    return "".join(parts)


_ABBREV = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "st",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "no",
        "vs",
        "etc",
        "prof",
        "rep",
        "sen",
        "gov",
        "adm",
        "brig",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "corp",
        "cmdr",
        "gov",
        "sen",
        "p",
        "pp",
        "approx",
        "est",
        "dept",
    ]
)
# Opens with a plain class so `re` can skip to the next candidate character without trying the whole pattern (a
# pattern opening with a repeat or a look-around is tried at every position, several times slower).
_BOUNDARY = re.compile(r"[.!?\n](?:(?<=\n)\n*|[.!?]*[\"”’»)]*(?=\s+[\"“„«‘(\[]?[A-ZÀ-ÞĀ-ŽА-ЯЁ0-9]))")


def sentence_spans(masked: str) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets over quote-masked text: boundaries inside quotes are ignored."""
    spans = []
    start = 0
    for m in _BOUNDARY.finditer(masked):
        if m.group()[0] == ".":
            j = m.start()
            k = j
            while k > 0 and (masked[k - 1].isalpha() or masked[k - 1] == "."):
                k -= 1
            word = masked[k:j].lower()
            if word in _ABBREV or (len(word) == 1 and masked[k].isupper()) or "." in word:
                continue
        end = m.end()
        if masked[start:end].strip():
            spans.append((start, end))
        start = end
    if masked[start:].strip():
        spans.append((start, len(masked)))
    return spans
