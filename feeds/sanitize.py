"""Make text from feeds safe to store and to show in a terminal.

Feed text is hostile: it may carry terminal escape sequences (CSI, OSC 52 clipboard writes, title changes),
C0/C1 control characters and bidi overrides that reorder what the analyst reads. `clean_text` removes all of
them, keeping only `\\n` and `\\t` as whitespace controls. It runs at ingest and again at display (a widget with
markup disabled still passes escape sequences through to the terminal).

Rich/Textual markup is *not* removed here: titles are stored as written and shown literally by putting them in
`rich.text.Text` objects (never markup strings). `escape_markup` is for the rare place that must build markup.
"""

from __future__ import annotations

import re
import unicodedata

# ESC-introduced sequences first (so their parameters go with them), then any remaining control character.
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]            # CSI ... final byte
  | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)? # OSC ... BEL or ST (or unterminated)
  | \x1b[PX^_][^\x1b]*(?:\x1b\\)?      # DCS / SOS / PM / APC ... ST
  | \x1b[@-Z\\-_]                      # other two-byte escapes
  | \x9b[0-?]*[ -/]*[@-~]              # 8-bit CSI
  | \x9d[^\x07\x9c]*[\x07\x9c]?        # 8-bit OSC
    """,
    re.VERBOSE,
)
# C0 except \t \n, DEL, C1, bidi embeddings/overrides/isolates, zero-width and BOM-likes, line/para separators,
# interlinear annotation, Unicode noncharacters U+FFFE/U+FFFF; lone surrogates.
_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\ufffe\uffff\ud800-\udfff]"
)
_SPACES = re.compile(r"  +|[\u00a0\u2000-\u200a\u202f\u205f\u3000]+ *")
_ODD_SPACE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
"""What _SPACES can match besides two ASCII spaces: checked first, as a scan for it is ~10x cheaper than the sub."""
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(value: object, *, single_line: bool = False, max_len: int | None = None) -> str:
    """Return `value` as text with escape sequences and control characters removed.

    `\\r\\n` and `\\r` become `\\n`. With `single_line`, all whitespace runs (newlines included) collapse to one
    space. `max_len` truncates (with an ellipsis) after cleaning.
    """
    if value is None:
        return ""
    s = value if isinstance(value, str) else str(value)
    if not s:
        return ""
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in s or "\x9b" in s or "\x9d" in s:
        s = _ESCAPES.sub("", s)
    if _CONTROLS.search(s):
        s = _CONTROLS.sub("", s)
    if single_line:
        s = " ".join(s.split())
    else:
        if "  " in s or (not s.isascii() and _ODD_SPACE.search(s)):
            s = _SPACES.sub(" ", s)
        if "\n\n\n" in s:
            s = _BLANK_LINES.sub("\n\n", s)
        s = s.strip()
    if max_len is not None and len(s) > max_len:
        s = s[: max(0, max_len - 1)].rstrip() + "…"
    return s


_VISIBLE = re.compile("[\t\n]|" + _CONTROLS.pattern)


def escape_controls(s: str) -> str:
    """`s` with every control character `clean_text` removes, and the line break and tab it keeps, written as a
    visible escape (`\\r`, `\\x1b`, `\\u202e`): for one-line messages that quote what a user or a feed wrote."""
    return _VISIBLE.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), s)


def is_clean(s: str) -> bool:
    """True when `s` holds no control character but `\\n` and `\\t` (what `clean_text` guarantees)."""
    return not _CONTROLS.search(s) and "\x1b" not in s


def escape_markup(s: str) -> str:
    """Escape `[` so Rich/Textual markup in `s` is shown literally (prefer rich.text.Text where possible)."""
    return s.replace("\\", "\\\\").replace("[", "\\[")


def normalize_nfc(s: str) -> str:
    """NFC-normalise, so the same word from two feeds compares equal."""
    return unicodedata.normalize("NFC", s)
