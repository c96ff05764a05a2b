"""The speed devices must find exactly what the plain patterns find (text.FastRe, text.literal_prefixes)."""

from __future__ import annotations

import pickle
import re

from feeds.analysis import treaties
from feeds.analysis.text import FastRe, literal_prefixes, lower
from tests.feeds.analysis.corpus import article_texts, random_cuts


def _texts() -> list[str]:
    arts = article_texts()
    return arts + [lower(t) for t in arts] + random_cuts(arts, 3)


def _patterns() -> list[tuple[str, int]]:
    r = treaties.rules()
    pats = [(rx.pattern, rx.flags) for rx in (r.treaty_re, r.anaphora_re, r.membership_re, r.any_action_re)]
    pats += [(rx.pattern, rx.flags) for _, rx in r.actions]
    pats += [
        (rx.pattern, rx.flags)
        for rx in (
            treaties._CLAUSE_BREAK,
            treaties._FUTURE_EFFECT,
            treaties._YEAR,
            treaties._NEGATION,
            treaties._BARE_WITHDRAWAL,
            treaties._SINCE_BEFORE.pattern,
        )
    ]
    pats += [
        (r"\b(?:in|since|from)\s+((?:19|20)\d\d)\b", 0),
        (r"(?i)\bthe (?:treaty|convention)\b", 0),
        (r"\b(?:will|would)\b[^.]{0,20}", re.IGNORECASE),
        (r"k(?:elvin|m)\b", re.IGNORECASE),  # folds to the Kelvin sign
        (r"(?<!\w)a?b", 0),  # may begin with either letter
        (r"x*", 0),  # matches empty: left to plain `re`
    ]
    return [(p, f & ~re.UNICODE) for p, f in pats]


def test_fast_re_finds_what_re_finds() -> None:
    texts = [*_texts(), "K\u212am ahead; the treaty, the convention.", "in 1999 and since 2024", ""]
    for pattern, flags in _patterns():
        rx = re.compile(pattern, flags)
        fast = FastRe(pattern, flags)
        for text in texts:
            for pos, end in ((0, len(text)), (3, max(0, len(text) - 5))):
                want = [m.span() for m in rx.finditer(text, pos, end)]
                assert fast.spans(text, pos, end) == want, (pattern, text[:60])
                assert fast.named(text, pos, end) == [
                    (m.start(), m.lastgroup) for m in rx.finditer(text, pos, end)
                ]
                m = rx.search(text, pos, end)
                assert fast.search(text, pos, end) == (m.span() if m else None)
    assert pickle.loads(pickle.dumps(FastRe(r"(?<!\w)ratif\w+"))).spans("ratified") == [(0, 8)]


def test_every_match_starts_with_a_literal_prefix() -> None:
    texts = _texts()
    n = 0
    for pattern, flags in _patterns():
        keys = literal_prefixes(pattern, flags)
        if keys is None:
            continue
        rx = re.compile(pattern, flags)
        for text in texts:
            for m in rx.finditer(text):
                n += 1
                assert text.startswith(keys, m.start()), (pattern, m.group())
    assert n > 100
    assert literal_prefixes(r"(?<!\w)(?:ratif\w+|join(?:s|ed)?\b)") == ("join", "ratif")
    assert literal_prefixes(r"\w+") is None


def test_title_context_prefilter_agrees_with_the_pattern() -> None:
    from feeds.analysis.statements import _TITLE_CONTEXT, _title_context

    windows = [
        "a book titled ",
        "the so-called",
        "what is known as:",
        "a documentary ,  ",
        "the hashtag\n",
        "SLOGAN:",
        "the BOO\u212a ",  # Kelvin sign folds to k
        "she said: ",
        "",
        " ",
        ",",
        "called ,,",
    ]
    for text in _texts():
        windows += [text[max(0, i - 40) : i] for i in range(0, len(text), 7)]
    for w in windows:
        assert _title_context(w) == bool(_TITLE_CONTEXT.search(w)), w
