"""Patterns rewritten for speed must find exactly what the patterns they replace find.

Lower-case twins (`text.lower_re` run on `text.lower(...)`, guarded by `text.fold_safe`) against the IGNORECASE
originals; possessive rewrites against the plain patterns (kept here as the reference)."""

from __future__ import annotations

import random
import re

from feeds.analysis import statements
from feeds.analysis.text import _all_chars, _fold_unsafe, cue_data, fold_safe, lower, lower_re
from tests.feeds.analysis.corpus import article_texts, random_cuts


def _texts() -> list[str]:
    arts = article_texts()
    cuts = random_cuts(arts, 5)
    odd = [
        "He SAID: 'no'. She Told reporters, AND ADDED",
        "Kelvin \u212a SAİD and ſaid, ıt was told",
        "ΣΑΣ said ς σ; UNDERLINED",
        "Он СКАЗАЛ, что ... по  словам министра",
    ]
    return arts + [t.upper() for t in arts[:5]] + [t.title() for t in arts[5:10]] + cuts + odd


def test_lowered_text_folds_like_ignorecase() -> None:
    """For every character `fold_safe` lets through and every letter a pattern may hold: `re.IGNORECASE` matches the
    character where the lower-cased character equals the lower-case letter."""
    unsafe = set(_fold_unsafe().findall(_all_chars()))
    letters = {ch for ch in "".join(str(v) for v in cue_data()["cues"].values()) if ch.isalpha()}
    letters |= set("abcdefghijklmnopqrstuvwxyzåäöæøõüšžčėąęįųūłśźżćńāēīķļņģабвгдеёжзийклмнопрстуфхцчшщъыьэюя")
    everything = _all_chars()
    for ch in sorted(letters):
        low = ch.lower()
        folded = set(re.compile(re.escape(low), re.IGNORECASE).findall(everything)) - unsafe
        lowered = {c for c in everything if lower(c) == low} - unsafe
        assert folded == lowered, (ch, sorted(folded ^ lowered))
    assert not fold_safe("SAİD") and not fold_safe("ſaid") and fold_safe("Suomi sanoi, Он сказал")


def test_cue_twin_finds_what_the_cue_pattern_finds() -> None:
    texts = _texts()
    for lang in (None, "en", *cue_data()["cues"]):
        rx = statements._cue_re(lang)
        twin = statements._cue_low(lang)
        assert not twin.flags & re.IGNORECASE
        for text in texts:
            if not fold_safe(text):
                continue
            low = lower(text)
            for pos, end in ((0, len(text)), (5, min(len(text), 160))):
                want = [m.span() for m in rx.finditer(text, pos, end)]
                assert [m.span() for m in twin.finditer(low, pos, end)] == want, (lang, text[:60])


def test_possessive_name_run_matches_the_plain_one() -> None:
    cap = statements._CAP
    particles = r"(?:[ \t]+(?:von|van|der|de|den|la|du|da|al)\b){0,2}"
    word = rf"(?:{cap}\.|{cap}[\w’'-]*){particles}[ \t]+"
    plain = re.compile(rf"{cap}(?<![\w’'].)(?:\.|[\w’'-]*){particles}[ \t]+(?:{word}){{0,5}}{cap}[\w’'-]*")
    texts = [
        *_texts(),
        "Ursula von der Leyen and J. R. R. Tolkien",
        "Rafael de la Cruz, Jan van der Berg and von der Leyen",
        "A  B\tC D E F G H I",
        "Jean-Luc O'Neil’s Co.",
    ]
    for text in texts:
        assert [m.span() for m in statements._NAME_RUN.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ]


def test_lower_re_twin_sanity() -> None:
    assert lower_re(r"(?<!\w)(?:Said|TOLD)\s+X(?!\w)").pattern == r"(?<!\w)(?:said|told)\s+x(?!\w)"


def test_treaty_twins_agree_with_the_ignorecase_patterns() -> None:
    from feeds.analysis import treaties as t

    texts = [
        *_texts(),
        "Finland MAY not leave; in May it may. It Won't REFUSE; ЭТО НЕ так. Their Withdrawal. WITHDREW",
        "the month of May: Latvia withdrew. Its exit came, its departure",
    ]
    rnd = random.Random(7)
    n = 0
    for text in texts:
        if not fold_safe(text):
            continue
        low = lower(text)
        assert bool(t._BARE_WITHDRAWAL.search(text)) == bool(t._BARE_LOW.search(low)), text[:60]
        for end in range(0, len(text), 17):
            assert t._CLAUSE_BREAK_LOW.spans(low, 0, end) == t._CLAUSE_BREAK_FAST.spans(text, 0, end)
        for _ in range(20):
            a = rnd.randrange(len(text) + 1)
            b = rnd.randrange(a, len(text) + 1)
            want = bool(t._NEGATION.search(text, a, b))
            n += want
            assert want == bool(t._NEGATION_LOW.search(low, a, b) or t._MAY.search(text, a, b)), text[a:b]
    assert n > 50


def test_country_prefilters_agree_with_the_patterns() -> None:
    from feeds.analysis import countries as c

    windows = [
        "the border with ",
        "borders ",
        "bordering\n",
        "north-east of the ",
        "20 km from ",
        "near Helsinki and ",
        "off the coast of ",
        "neighbouring ",
        "close to\t",
        "the gulf of the ",
        "east of Narva or ",
    ]
    afters = [
        "-made drones",
        " Convention",
        "-built",
        " Declaration",
        "convention",
        " government",
        ", and",
        ".",
        "",
    ]
    for text in _texts():
        low = lower(text)
        windows += [low[max(0, i - 45) : i] for i in range(0, len(low), 3)]
        afters += [text[i : i + 40] for i in range(0, len(text), 5)]
    for w in windows:
        if c._GEOGRAPHY_LOW.search(w):
            assert w.rstrip().endswith(c._GEO_LAST), w
    words = re.findall(r"[A-Za-z]+", c._PASSING_SUFFIX.pattern)
    for w in words:
        for lead in ("-", " ", "- ", "\t ", "", "-\n"):
            for form in (w, w.lower(), w.upper(), w.title()):
                afters += [lead + form + " x", lead + form, lead + form.replace("i", "ı")]
    n = 0
    for a in afters:
        if c._PASSING_SUFFIX.match(a):
            n += 1
            head = (a[1:].lstrip() if a[:1] == "-" else a.lstrip())[:2]
            assert head.lower() in c._PASSING_HEADS or not head.isascii(), a
    assert n > 100


def test_flat_treaty_names_find_what_the_named_groups_find() -> None:
    from feeds.analysis import treaties as t

    r = t.rules()
    texts = [
        *_texts(),
        "the ottawa convention, the mine ban treaty and the oslo convention; the treaty on open skies",
        "ccm-convention apmbc x-ccm ccm",
    ]
    rnd = random.Random(11)
    for text in texts:
        low = lower(text)
        for a, b in [(0, len(low)), sorted((rnd.randrange(len(low) + 1), rnd.randrange(len(low) + 1)))]:
            want = [
                (m.start(), r.group_to_treaty[m.lastgroup or ""]) for m in r.treaty_re.finditer(low, a, b)
            ]
            got = [
                (at, next(key for key, rx in r.treaty_each if rx.match(low, at, b)))
                for at, _ in r.treaty_flat.spans(low, a, b)
            ]
            assert got == want, text[:60]
            assert [
                (at, t._treaty_at(low, at, end, b, r)) for at, end in r.treaty_flat.spans(low, a, b)
            ] == want


def test_background_scan_finds_what_finditer_finds() -> None:
    from feeds.analysis import countries as c

    texts = [
        *_texts(),
        "never joined. is not a party; has not signed",
        "Russia is not a party to it, and neither of which ... non-signatory states remain parties to",
    ]
    n = 0
    for text in texts:
        low = lower(text)
        want = [m.span() for m in c._BACKGROUND_LOW.finditer(low)]
        n += len(want)
        assert c._background_matches(low) == want
        assert c._background_matches(low[3:]) == [m.span() for m in c._BACKGROUND_LOW.finditer(low[3:])]
    assert n > 10


def test_statement_twins_agree_with_the_ignorecase_patterns() -> None:
    phrases = [
        "Professor of Politics",
        "an ANALYST at the Finnish Institute",
        "Human Rights Watch researcher",
        "SIPRI",
        "Defence Minister",
        "a book TITLED ",
        "the so-called ,",
        "the Think-Tank",
    ]
    for text in _texts():
        phrases += [text[i : i + 50] for i in range(0, len(text), 11)]
        phrases += [text[max(0, i - 40) : i] for i in range(0, len(text), 13)]
    n = 0
    for p in phrases:
        want = bool(statements.ACADEMIC.search(p))
        n += want
        assert statements._academic(p) == want, p
        assert statements._title_context(p) == bool(statements._TITLE_CONTEXT.search(p)), p
    assert n > 5


def test_sentence_action_mask_is_the_word_by_word_one() -> None:
    from feeds.analysis import treaties as t

    r = t.rules()

    def reference(low_sent: str) -> int:
        mask = r.always
        for w in t._WORD.findall(low_sent):
            for i, (starts, longer) in enumerate(zip(r.action_words, r.action_phrases, strict=True)):
                if starts and w.startswith(starts):
                    mask |= 1 << i
                for k in longer:
                    if t._WORD.match(k).group() == w and k in low_sent:  # type: ignore[union-attr]
                        mask |= 1 << i
        return mask

    sents = ["it is no longer a party", "formally left the treaty", "ratified its accession", "noticeably"]
    for text in _texts():
        low = lower(text)
        sents += [low[i : i + 150] for i in range(0, len(low), 60)]
    for sent in sents:
        assert t._sentence_actions(sent, r) == reference(sent), sent


def test_trailing_adverbials_shortcut_is_the_substitution() -> None:
    phrases = [
        "Pevkur said on Monday",
        "the minister, speaking on 3 March",
        "Kallas told reporters on March 3",
        "Häkkänen, however",
        "he has",
        "she also,",
        "the ministry ;",
        "Tsahkna last week",
        "on 12 ALSO",
        "x 7",
        "Minister ALſO",
        "",
        " ",
        "word_",
    ]
    for text in _texts():
        phrases += [text[max(0, i - 60) : i] for i in range(0, len(text), 7)]
    for p in phrases:
        assert statements._strip_trailing_adverbials(p) == statements._TRAIL_ADVERBIALS.sub("", p), p
