"""keys.key_hits: one Aho-Corasick pass must find every occurrence str.find finds, for every key the gates use."""

from __future__ import annotations

from feeds.analysis import countries, treaties
from feeds.analysis.keys import _keys, has_any, key_hits
from feeds.analysis.text import lower
from tests.feeds.analysis.corpus import article_texts, random_cuts


def _occurrences(low: str, key: str) -> list[int]:
    out, at = [], low.find(key)
    while at >= 0:
        out.append(at)
        at = low.find(key, at + 1)
    return out


def test_key_hits_finds_every_occurrence_str_find_finds() -> None:
    arts = article_texts()
    texts = [lower(t) for t in arts + random_cuts(arts, 3)]
    texts += ["", "ccmccm nato's 32nd: n't not", "𝔘 treaty ąčę convention non-party", "treattreat"]
    keys = _keys()
    for low in texts:
        hits = key_hits(low)
        want = {k: occ for k in keys if (occ := _occurrences(low, k))}
        assert hits == want, low[:80]


def test_every_gate_key_is_looked_for() -> None:
    keys = _keys()
    for group in (
        countries._BACKGROUND_KEYS,
        countries._COMPARISON_KEYS,
        ("not", "among"),
        treaties.rules().keys,
        treaties._MEMBER_KEYS,
        treaties._JOIN_KEYS,
    ):
        assert set(group) <= keys


def test_has_any() -> None:
    hits = key_hits("the treaty was never ratified")
    assert has_any(hits, ("never", "quit")) and not has_any(hits, ("quit", "outside"))
