"""Text helpers shared by the extractors: quoted spans, sentence spans, paragraphs."""

from __future__ import annotations

import re
import sys
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
def _fold_unsafe() -> re.Pattern[str]:
    """The characters on which a `re.IGNORECASE` pattern and its `lower_re` twin run on `lower(text)` may disagree:
    "İ" (lower-cased to two characters, so `lower` keeps it; `re` folds it to "i"), "Σ" (`str.lower` makes it "ς"
    at a word end), and the odd case variants `re` folds together with a plain letter (dotless "ı", long "ſ", "µ",
    Cyrillic "ᲂ" ...), which `str.lower` leaves alone."""
    from re import _casefix  # type: ignore[attr-defined]

    chars = {"İ", "Σ"}
    for key, variants in _casefix._EXTRA_CASES.items():
        for code in (key, *variants):
            ch = chr(code)
            if ch.upper().lower() != ch:
                chars.add(ch)
    return re.compile("[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]")


def fold_safe(text: str) -> bool:
    """Whether every `re.IGNORECASE` pattern finds in `text` exactly what its `lower_re` twin finds in `lower(text)`
    (true unless the text has one of a few rare characters, see `_fold_unsafe`)."""
    return text.isascii() or _fold_unsafe().search(text) is None


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
        "cmdr",
        "cdr",
        "rev",
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
            # The word before the period: letters and periods back from j. Most words start after a blank, and one
            # test of the whole run (C speed) saves walking it back a character at a time.
            k = masked.rfind(" ", max(0, j - 40), j) + 1
            if not k or not masked[k:j].replace(".", "").isalpha():
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


# --- fast scans ------------------------------------------------------------------------------------------------
# `re` skips ahead quickly only when a pattern opens with a literal or a plain character class; a pattern that opens
# with a look-behind (`(?<!\w)`), `\b` or a group of alternatives is tried at every position. `FastRe` compiles a
# pattern P into `[F](?<=(?=(P)).)`, F being every character a match of P can begin with: `re` jumps between the
# characters of F, and the look-behind re-reads the character just passed to run P from there. The result holds the
# same matches as P (group 1), found in the same order.

_ANY = object()


def _first_chars(seq: object) -> tuple[set[str] | object, bool]:
    """(characters a match of the parsed sequence can begin with, or _ANY; whether it can match empty)."""
    from re import _constants as c  # type: ignore[attr-defined]

    out: set[str] = set()
    for op, av in seq:  # type: ignore[attr-defined]
        if op is c.LITERAL:
            out.add(chr(av))
            return out, False
        if op is c.IN:
            for iop, iav in av:
                if iop is c.LITERAL:
                    out.add(chr(iav))
                elif iop is c.RANGE and iav[1] - iav[0] < 512:
                    out.update(chr(x) for x in range(iav[0], iav[1] + 1))
                else:
                    return _ANY, False
            return out, False
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero-width: checked by the full pattern
        if op is c.BRANCH:
            nullable = False
            for alt in av[1]:
                got, empty = _first_chars(alt)
                if got is _ANY:
                    return _ANY, False
                out |= got  # type: ignore[operator]
                nullable = nullable or empty
            if not nullable:
                return out, False
            continue
        if op is c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if (add_flags | del_flags) & c.SRE_FLAG_IGNORECASE:
                return _ANY, False
            got, empty = _first_chars(sub)
        elif op is c.ATOMIC_GROUP:
            got, empty = _first_chars(av)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            lo, _hi, item = av
            got, empty = _first_chars(item)
            empty = empty or lo == 0
        else:
            return _ANY, False
        if got is _ANY:
            return _ANY, False
        out |= got  # type: ignore[operator]
        if not empty:
            return out, False
    return out, True


class FastRe:
    """A pattern's matches found with a first-character skip (see above); plain `re` when P has no such set."""

    __slots__ = ("fast", "pattern", "rx")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        from re import _parser  # type: ignore[attr-defined]

        self.pattern = re.compile(pattern, flags)
        self.fast: re.Pattern[str] | None = None
        self.rx = self.pattern
        parsed = _parser.parse(pattern, flags)
        if parsed.state.flags & ~re.UNICODE != flags & ~re.UNICODE or _has_groupref(parsed):
            return  # inline global flags cannot be nested; group numbers shift by one
        chars, empty = _first_chars(parsed)
        if chars is _ANY or empty or not chars or len(chars) > 40:  # type: ignore[arg-type]
            return
        if flags & re.IGNORECASE:  # every character the class matches without case: exactly as `re` folds it
            if max(map(ord, chars)) > 0xFFFF:  # type: ignore[call-overload]
                return
            probe = re.compile("[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]", flags)  # type: ignore[call-overload]
            chars = set(probe.findall(_all_chars()))
        cls = "".join(re.escape(ch) for ch in sorted(chars))  # type: ignore[call-overload]
        self.fast = re.compile(f"(?-i:[{cls}])(?<=(?=({pattern}))(?s:.))", flags)

    def spans(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[tuple[int, int]]:
        """The (start, end) of every match of the pattern in text[pos:endpos], as `finditer` finds them."""
        if self.fast is None:
            return [m.span() for m in self.pattern.finditer(text, pos, endpos)]
        out = []
        last = -1
        for m in self.fast.finditer(text, pos, endpos):
            a, b = m.span(1)
            if a >= last:
                out.append((a, b))
                last = b
        return out

    def named(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[tuple[int, str | None]]:
        """(start, name of the named group that took part) of every match, as `finditer` finds them; for a pattern
        of named alternatives (`(?P<a>...)|(?P<b>...)`) that is `lastgroup`."""
        if self.fast is None:
            return [(m.start(), m.lastgroup) for m in self.pattern.finditer(text, pos, endpos)]
        out = []
        last = -1
        for m in self.fast.finditer(text, pos, endpos):
            a, b = m.span(1)
            if a >= last:
                out.append((a, next((k for k, v in m.groupdict().items() if v is not None), None)))
                last = b
        return out

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> tuple[int, int] | None:
        """The first match's (start, end), or None."""
        if self.fast is None:
            m = self.pattern.search(text, pos, endpos)
            return m.span() if m else None
        m = self.fast.search(text, pos, endpos)
        return m.span(1) if m else None


def first_class(pattern: str) -> str | None:
    """A character class of every character a match of `pattern` (case-sensitive) can begin with, or None when
    that is not known or a match may be empty."""
    from re import _parser  # type: ignore[attr-defined]

    chars, empty = _first_chars(_parser.parse(pattern))
    if chars is _ANY or empty or not chars:
        return None
    return "[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]"  # type: ignore[call-overload]


def _has_groupref(seq: object) -> bool:
    from re import _constants as c  # type: ignore[attr-defined]

    for op, av in seq:  # type: ignore[attr-defined]
        if op in (
            c.GROUPREF,
            c.GROUPREF_EXISTS,
            c.GROUPREF_IGNORE,
            c.GROUPREF_LOC_IGNORE,
            c.GROUPREF_UNI_IGNORE,
        ):
            return True
        subs = []
        if op is c.BRANCH:
            subs = av[1]
        elif op is c.SUBPATTERN:
            subs = [av[3]]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            subs = [av[2]]
        elif op in (c.ASSERT, c.ASSERT_NOT):
            subs = [av[1]]
        elif op is c.ATOMIC_GROUP:
            subs = [av]
        if any(_has_groupref(sub) for sub in subs):
            return True
    return False


@cache
def _all_chars() -> str:
    """The Basic Multilingual Plane: `re` folds no character of it to or from one outside it."""
    return "".join(map(chr, range(0x10000)))


def literal_prefixes(pattern: str, flags: int = 0, limit: int = 64) -> tuple[str, ...] | None:
    """Strings one of which every match of `pattern` starts with (shortest first), or None when there are none
    (a match may start with anything, or there would be more than `limit`). Case-sensitive patterns only."""
    from re import _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, flags)
    if parsed.state.flags & re.IGNORECASE:
        return None
    got, _ = _prefixes(parsed, limit)
    if not got or "" in got:
        return None
    # drop a prefix that starts with another one: the shorter covers it
    out: list[str] = []
    for p in sorted(got, key=len):
        if not any(p.startswith(q) for q in out):
            out.append(p)
    return tuple(out)


def _prefixes(seq: object, limit: int) -> tuple[set[str], bool]:
    """(prefixes of every match of the parsed sequence, whether each prefix is a whole match of it)."""
    from re import _constants as c  # type: ignore[attr-defined]

    cur = {""}
    for op, av in seq:  # type: ignore[attr-defined]
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue
        if op is c.LITERAL:
            cur = {p + chr(av) for p in cur}
            continue
        if op is c.IN:
            if any(iop is not c.LITERAL for iop, _ in av) or len(av) * len(cur) > limit:
                return cur, False
            cur = {p + chr(iav) for p in cur for _, iav in av}
            continue
        if op is c.BRANCH:
            subs = [_prefixes(alt, limit) for alt in av[1]]
            new = {p + s for p in cur for got, _ in subs for s in got}
            if len(new) > limit:
                return cur, False
            cur = new
            if all(whole for _, whole in subs):
                continue
            return cur, False
        if op is c.SUBPATTERN and not (av[1] | av[2]):
            got, whole = _prefixes(av[3], limit)
            new = {p + s for p in cur for s in got}
            if len(new) > limit:
                return cur, False
            cur = new
            if whole:
                continue
            return cur, False
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            got, _ = _prefixes(av[2], limit)
            new = {p + s for p in cur for s in got}
            return (new, False) if len(new) <= limit else (cur, False)
        return cur, False
    return cur, True
