"""The country gazetteer: data/gazetteer.toml compiled into one trie-shaped regular expression.

A trie-shaped alternation (`Fin(?:land|nish)`) lets `re` reject a position after one or two characters. Terms that
start with a capital (almost all) go into one pattern whose first character is a plain class, so `re` skips the
lower-case letters without trying the pattern; the word-start check sits after that first character. The few
lower-case terms (native adjectives: "dansk", "suomalainen") get their own pattern, run only on text with a letter
that English text lacks (Nordic, Baltic, Polish or Cyrillic), since no English article uses them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import NamedTuple

KINDS = ("names", "adjectives", "capitals", "places", "institutions")


class Mention(NamedTuple):
    """One gazetteer hit in a text."""

    start: int
    end: int
    code: str  # ISO alpha-2, "" for people who speak for no state
    kind: str  # name | adjective | capital | place | institution | stem | person
    text: str


@dataclass(frozen=True)
class Person:
    """An official from the gazetteer: who speaks for which state."""

    name: str
    country: str | None
    role: str


class Gazetteer:
    """Compiled lookups over the gazetteer data."""

    def __init__(self, data: dict) -> None:
        self.terms: dict[str, tuple[str, str]] = {}
        self.stems: dict[str, str] = {}
        self.people: dict[str, Person] = {}
        self.country_terms: dict[str, set[str]] = {}
        self._country_cache: dict[str, str | None] = {}
        for code, table in data["countries"].items():
            self._add_country(code, table)
        for code, table in data.get("world", {}).items():
            self._add_country(code, table)
        for row in data.get("people", []):
            person = Person(row["name"], row["country"] or None, row["role"])
            for alias in [row["name"], *row.get("aliases", [])]:
                self.people.setdefault(alias, person)
        literal = set(self.terms) | set(self.people)
        self.stem_lengths = sorted({len(s) for s in self.stems}, reverse=True)
        upper = sorted(w for w in literal if w[0].isupper())
        lower = sorted(w for w in literal if not w[0].isupper())
        self.pattern = re.compile(_trie_pattern(upper, sorted(s for s in self.stems if s[0].isupper())))
        lower_stems = sorted(s for s in self.stems if not s[0].isupper())
        self.native_pattern = re.compile(_trie_pattern(lower, lower_stems)) if lower or lower_stems else None

    def _add_country(self, code: str, table: dict) -> None:
        names = self.country_terms.setdefault(code, set())
        for kind in KINDS:
            for term in table.get(kind, []):
                self.terms.setdefault(term, (code, kind[:-1] if kind != "places" else "place"))
                names.add(term)
        for stem in table.get("stems", []):
            self.stems.setdefault(stem, code)

    def find(self, text: str, native: bool | None = None) -> list[Mention]:
        """Every country or official mention in `text`, in order.

        `native`: whether the text is in a language of the region (then lower-case native adjectives are looked for);
        None sniffs it from the letters.
        """
        out: list[Mention] = []
        terms, people, stems = self.terms, self.people, self.stems
        matches = self.pattern.finditer(text)
        if self.native_pattern is not None and (_native(text) if native is None else native):
            matches = sorted([*matches, *self.native_pattern.finditer(text)], key=lambda m: m.start())
        new = tuple.__new__  # Mention(...) without the Python-level __new__ of a named tuple
        for m in matches:
            word = m.group()
            hit = terms.get(word)
            if hit is not None:
                out.append(new(Mention, (*m.span(), hit[0], hit[1], word)))
                continue
            person = people.get(word)
            if person is not None:
                out.append(new(Mention, (*m.span(), person.country or "", "person", word)))
                continue
            for n in self.stem_lengths:
                code = stems.get(word[:n])
                if code is not None:
                    out.append(new(Mention, (*m.span(), code, "stem", word)))
                    break
        return out

    def country_of(self, text: str) -> str | None:
        """The first country a phrase (a role, an institution) names, or None."""
        if text in self._country_cache:
            return self._country_cache[text]
        code = self._country_of(text)
        if len(self._country_cache) < 4096:
            self._country_cache[text] = code
        return code

    def _country_of(self, text: str) -> str | None:
        for m in self.find(text):
            if m.code and m.kind != "person":
                return m.code
        return None


_NATIVE_LETTERS = re.compile("[äöåøæõüšžčėąęįųūłśźżćńāēīķļņģÄÖÅØÆÕÜŠŽČĖĄĘĮŲŪŁŚŹŻĆŃĀĒĪĶĻŅĢА-яЁё]")


def _native(text: str) -> bool:
    """Whether `text` reads like a Nordic, Baltic, Polish or Russian text: these letters at least once in 200
    characters (English copy has them only in a few names; the native languages in most sentences)."""
    if text.isascii():  # (a flag of the string: no scan)
        return False
    return len(_NATIVE_LETTERS.findall(text)) >= max(2, len(text) // 200)


def _trie_pattern(words: list[str], stems: list[str]) -> str:
    """A whole-word regex alternation shaped like a trie: shared prefixes are factored out.

    Each first-character branch checks the word start after its first character (`F(?<![\\w-].)inland`): a
    pattern that opens with a look-behind gets no first-character prefilter in `re` and is tried at every position.
    """
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = None
    for s in stems:
        node = root
        for ch in s:
            node = node.setdefault(ch, {})
        node["*"] = None
    branches = [re.escape(ch) + r"(?<![\w-].)" + _node_re(root[ch]) for ch in sorted(root)]
    return "(?:" + "|".join(branches) + r")(?![\w])"


def _node_re(node: dict) -> str:
    branches = []
    end = ""
    for ch in sorted(k for k in node if k not in ("", "*")):
        branches.append(re.escape(ch) + _node_re(node[ch]))
    if "*" in node:
        end = r"\w*"
    elif "" in node:
        end = ""
    if not branches:
        return end
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "*" in node:
        return f"(?:{body}|\\w*)"
    if "" in node:
        return f"(?:{body})?"
    return body


@cache
def gazetteer() -> Gazetteer:
    """The bundled gazetteer, compiled once per process."""
    raw = files("feeds.analysis").joinpath("data/gazetteer.toml").read_text(encoding="utf-8")
    return Gazetteer(tomllib.loads(raw))
