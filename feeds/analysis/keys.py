"""Where the analysis's keywords occur in an article, found in one pass.

The extractors skip their costly patterns on texts without certain words: a background sentence needs "never",
"party" or the like, a treaty name "treat", "onven" or "ottawa", a NATO membership "nato" and a joining word.
Asking `key in low` for each of ~60 keys reads a 1,400-character article ~60 times (~55 us); an Aho-Corasick
automaton (pyahocorasick) finds every occurrence of all of them in one read (~14 us).

`key_hits(low)` maps each key found in `low` (the lower-cased text, `text.lower`) to the offsets where it starts,
overlapping occurrences included, in order. A key the automaton was not built with is never found: the keys are
the extractors' own tuples, collected in `_keys`.
"""

from __future__ import annotations

from functools import cache

import ahocorasick

Hits = dict[str, list[int]]


@cache
def _automaton() -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for key in _keys():
        auto.add_word(key, key)
    auto.make_automaton()
    return auto


def _keys() -> frozenset[str]:
    from feeds.analysis import countries, treaties

    return frozenset([*countries.SCAN_KEYS, *treaties.scan_keys()])


def key_hits(low: str) -> Hits:
    """{key: [start, ...]} for every key that occurs in `low`."""
    out: Hits = {}
    for end, key in _automaton().iter(low):
        at = end - len(key) + 1
        starts = out.get(key)
        if starts is None:
            out[key] = [at]
        else:
            starts.append(at)
    return out


def has_any(hits: Hits, keys: tuple[str, ...] | frozenset[str]) -> bool:
    """Whether any of `keys` occurs."""
    return not hits.keys().isdisjoint(keys)
