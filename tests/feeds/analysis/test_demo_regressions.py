"""False positives seen in the bundled demo database (`nordwatch demo`), one general cause per test."""

from __future__ import annotations

import re

from feeds.analysis import analyze
from feeds.analysis.gazetteer import gazetteer
from feeds.analysis.treaties import rules


def said(text: str, **kw) -> list[tuple[str | None, str | None]]:
    return [(s.speaker, s.speaker_country) for s in analyze("", text, **kw).statements]


def test_ottawa_the_treaty_is_no_canada() -> None:
    text = (
        "Estonia's exit from the Ottawa treaty took effect in December. Critics say the Ottawa exit sends the wrong "
        "signal, and campaigners want the Ottawa Convention defended. Ottawa treaty states meet in Geneva next week."
    )
    assert "CA" not in [c.code for c in analyze("Ottawa exit takes effect", text).countries]


def test_a_state_that_stays_is_no_signal_and_others_moves_are_not_its() -> None:
    text = (
        "Iceland will remain a strong supporter of the Ottawa Convention and the Convention on Cluster Munitions, "
        "its ambassador told a meeting in Geneva, even as several NATO allies have left one or both.\n"
        "Iceland ratified the Ottawa Convention in 1999 and the Convention on Cluster Munitions in 2015."
    )
    assert analyze("Iceland reaffirms support for mine and cluster munition bans", text).treaty_events == []


def test_each_treaty_takes_the_action_next_to_it() -> None:
    text = (
        "Finland's withdrawal from the mine ban treaty took effect in January, and Lithuania left the cluster "
        "munitions convention in March 2025."
    )
    got = {(e.country, e.treaty) for e in analyze("", text).treaty_events}
    assert got == {("FI", "ottawa"), ("LT", "ccm")}


def test_speaker_names_lose_a_sentence_full_stop_and_keep_their_last_letters() -> None:
    text = (
        '"We are dealing with capable drones flown by capable operators," said police superintendent '
        "Lars Vestergaard.\n"
        '"This is hybrid pressure, and it is aimed at our daily life," Prime Minister Gintautas Valaitis said.\n'
        'Mayor Jens Riis called for a permanent capability: "We cannot wait for the mainland every time."'
    )
    assert [s for s, _ in said(text)] == ["Lars Vestergaard", "Gintautas Valaitis", "Jens Riis"]


def test_the_outlet_told_is_no_speaker_and_plain_descriptors_are_kept() -> None:
    text = (
        "NARVA - Residents were largely unmoved.\n"
        '"We have seen this before," one fisherman told Virumaa Broadcasting. "The river does not care whose buoy '
        'it is."\n'
        '"Nobody told us anything for three hours," one passenger told Nordjyske.'
    )
    assert [s for s, _ in said(text)] == ["one fisherman", "one fisherman", "one passenger"]


def test_national_offices_without_a_state_serve_the_story_home() -> None:
    text = (
        "Bornholm's airport was closed for three hours overnight after drones were seen over the runway.\n"
        'Defence Minister Søren Bech said: "The pattern we have seen across Denmark is one a state actor would '
        'produce."\n"We are dealing with capable operators," said police superintendent Lars Vestergaard.\n'
        '"It did nothing illegal that we could see," a Coast Guard official said.'
    )
    assert said(text, hint_countries=("DK",)) == [
        ("Søren Bech", "DK"),
        ("Lars Vestergaard", "DK"),
        ("Coast Guard official", "DK"),
    ]


def test_the_feed_hint_beats_a_foreign_state_named_more_often() -> None:
    text = (
        "Russian border guards removed 14 buoys on the Narva river, Estonia's Police and Border Guard Board said. "
        "Russia has disputed the fairway since 2024, and Russian officials called the buoys a provocation.\n"
        'Foreign Minister Liis Vahter said: "Russia is testing us with small steps."'
    )
    assert said(text, hint_countries=("EE",)) == [("Liis Vahter", "EE")]
    assert said("TALLINN (ERR) - " + text) == [("Liis Vahter", "EE")]  # a dateline does it without a hint


def test_office_words_are_not_names() -> None:
    text = (
        '"We need laws that match the threats," Justice Minister Gunnar Strömberg said.\n'
        '"Presence is the best deterrent," said Rear Admiral Oddvar Brekke.\n'
        '"We found irregularities in the papers," said Coast Guard spokesman Mats Björk.\n'
        'Finance Minister Jaak Roosaare defended the tax: "Nobody likes a new tax, but we must pay for this."\n'
        "Opposition Left Alliance MP Riikka Salmi said the change was rushed: "
        '"Nobody has explained what crisis this law is meant for."\n'
        '"From the Nordic countries alone, Latvia now hosts soldiers from three states," said Chief of Defence '
        "Major General Kaspars Pudāns."
    )
    got = [s for s, _ in said(text)]
    assert got == [
        "Gunnar Strömberg",
        "Oddvar Brekke",
        "Mats Björk",
        "Jaak Roosaare",
        "Riikka Salmi",
        "Kaspars Pudāns",
    ]


def test_a_leading_participle_clause_is_no_role() -> None:
    text = (
        "Russia's ambassador to Finland, Pavel Sorokin, criticised the decision.\n"
        'Speaking to Russian state media, Sorokin claimed that Finland had "abandoned humanitarian principles at '
        'the request of NATO".'
    )
    (st,) = analyze("", text).statements
    assert st.speaker == "Pavel Sorokin"
    assert st.role == "Russia's ambassador to Finland"


def test_a_named_thing_in_quotes_is_no_statement() -> None:
    text = (
        "Civil Defence Minister Erik Sandberg urged Swedes to prepare, as the government sent the "
        '"If crisis or war comes" brochure to every household.'
    )
    assert analyze("", text).statements == []


# --- the speed prefilters must not lose anything -------------------------------------------------------------


def test_every_treaty_name_in_the_labelled_sets_contains_a_prefilter_key() -> None:
    from tests.feeds.analysis.corpus import article_texts

    r = rules()
    n = 0
    for text in article_texts():
        for m in r.treaty_re.finditer(text.lower()):  # the full scan, without the key windows
            n += 1
            assert any(k in m.group() for k in r.keys), m.group()
    assert n >= 15


def test_gazetteer_split_patterns_find_what_one_pattern_finds() -> None:
    gaz = gazetteer()
    words = sorted(set(gaz.terms) | set(gaz.people), key=len, reverse=True)
    stems = sorted(gaz.stems, key=len, reverse=True)
    reference = re.compile(
        r"(?<![\w-])(?:"
        + "|".join(map(re.escape, words))
        + "|"
        + "|".join(re.escape(s) + r"\w*" for s in stems)
        + r")(?![\w])"
    )
    texts = [
        "Suomen ja Venäjän raja: suomalainen upseeri, Virossa ja Latviassa, Ida-Virumaa, Narva.",
        "Den danske regering og svenske ministre mødtes i går i København, hvor de drøftede støtten til Ukraine.",
        "Polska i Litwa, Łotwa: ministrowie spotkali się w środę, żeby omówić współpracę.",
        "Finland, Estonia and the Riigikogu; a Chinese-made drone near Kaliningrad. Latvian MPs in Rīga.",
    ]
    for text in texts:
        want = [(m.start(), m.end()) for m in reference.finditer(text)]
        got = [(m.start, m.end) for m in gaz.find(text)]
        assert got == want, text
