"""Unit cases for the analysis extractors: one behaviour of the issue per test."""

from __future__ import annotations

import pickle

from feeds.analysis import Analysis, analyze
from feeds.analysis.gazetteer import gazetteer
from feeds.analysis.text import find_quotes
from feeds.analysis.treaties import find_date


def codes(title: str, text: str, **kw) -> list[str]:
    return [c.code for c in analyze(title, text, **kw).countries]


def events(text: str) -> set[tuple[str, str, str]]:
    return {(e.country, e.treaty, e.action) for e in analyze("", text).treaty_events}


def quotes(text: str) -> list[str]:
    return [s.quote for s in analyze("", text).statements]


# --- quotes -----------------------------------------------------------------------------------------------------


def test_quote_marks_of_the_region_and_apostrophes() -> None:
    text = (
        "“We will defend every metre,” said Hanno Pevkur. Russia’s navy didn’t answer.\n"
        "„Tai yra labai svarbus sprendimas“, sakė Gitanas Nausėda.\n"
        "«Это решение создаёт новые риски», — заявил Дмитрий Песков.\n"
        "”Vi följer utvecklingen noga”, säger Pål Jonson."
    )
    got = analyze("", text, lang="lt").statements
    assert [s.quote for s in got][:2] == ["We will defend every metre", "Tai yra labai svarbus sprendimas"]
    assert [s.speaker for s in got][:2] == ["Hanno Pevkur", "Gitanas Nausėda"]
    spans = [text[q.open + 1 : q.close] for q in find_quotes(text)]
    assert "Это решение создаёт новые риски" in spans
    assert "Vi följer utvecklingen noga" in spans
    assert not any("s navy" in s for s in spans)  # Russia’s ... didn’t never opens a quote


def test_split_quote_gives_two_statements_with_one_speaker() -> None:
    text = (
        '"Russia is testing us," Foreign Minister Margus Tsahkna said, "and we will respond with our allies."'
    )
    got = analyze("", text).statements
    assert [s.quote for s in got] == ["Russia is testing us", "and we will respond with our allies."]
    assert {s.speaker for s in got} == {"Margus Tsahkna"}
    assert {s.speaker_country for s in got} == {"EE"}
    assert got[0].role == "Foreign Minister"


def test_colon_introduced_quote_and_pronoun_resolution() -> None:
    text = (
        "Latvian Defence Minister Andris Sprūds visited the border on Monday. "
        'He was blunt: "We will build the line whatever it costs."'
    )
    (s,) = analyze("", text).statements
    assert (s.speaker, s.speaker_country, s.cue) == ("Andris Sprūds", "LV", None)


def test_surname_resolves_to_the_full_name_and_earlier_role() -> None:
    text = (
        "Finnish President Alexander Stubb met troops in Lapland.\n"
        '"Our border is NATO\'s border now," Stubb told reporters.'
    )
    (s,) = analyze("", text).statements
    assert (s.speaker, s.role, s.speaker_country, s.cue) == (
        "Alexander Stubb",
        "Finnish President",
        "FI",
        "told",
    )


def test_scare_quotes_titles_and_short_fragments_are_not_statements() -> None:
    text = (
        'The tanker belongs to the "shadow fleet", officials said. A report titled "Baltic Security Outlook 2025" '
        'was published. Moscow calls it a "special military operation". He called it "nonsense".'
    )
    assert quotes(text) == []


def test_unnamed_speaker_kept_as_descriptor_with_its_state() -> None:
    text = 'Moscow\'s ambassador to Helsinki warned that the move would "create risks only for residents of Finland."'
    (s,) = analyze("", text).statements
    assert (s.speaker, s.speaker_country) == ("Moscow's ambassador to Helsinki", "RU")


def test_nato_and_academic_speakers_have_no_state() -> None:
    text = (
        '"The alliance stands with Finland," said NATO Secretary General Mark Rutte.\n'
        '"Mines stay in the ground for decades," said Mary Wareham, a researcher at Human Rights Watch.'
    )
    got = analyze("", text).statements
    assert [(s.speaker, s.speaker_country) for s in got] == [("Mark Rutte", None), ("Mary Wareham", None)]


def test_other_languages_give_no_junk_speakers() -> None:
    text = "Hallitus kertoi tiistaina, että ”asia on vielä kesken ja päätös tehdään myöhemmin”. Muuta ei kerrottu."
    got = analyze("", text, lang="fi").statements
    assert all(s.speaker is None or s.speaker[0].isupper() for s in got)
    assert all(len(s.quote.split()) >= 3 for s in got)


# --- countries ----------------------------------------------------------------------------------------------------


def test_dateline_passing_adjective_and_background_list_are_out() -> None:
    text = (
        "HELSINKI (Reuters) - Estonia's navy detained a tanker on Tuesday after a Chinese-made drone was seen over "
        "the ship. The Ottawa Convention has 164 members; Russia, the United States and China never joined."
    )
    assert codes("", text) == ["EE"]


def test_geography_is_out_but_the_cause_is_in() -> None:
    assert codes("", "Norway held an exercise in Finnmark, near the border with Russia.") == ["NO"]
    got = codes("", "Poland will build a defence line, citing the threat from Russia.")
    assert set(got) == {"PL", "RU"}


def test_title_weighs_more_and_main_country_comes_first() -> None:
    res = analyze(
        "Lithuania to buy tanks", "Vilnius said on Monday the deal with Germany would be signed soon."
    )
    assert [c.code for c in res.countries][:2] == ["LT", "DE"]
    assert res.countries[0].score == 1.0 and 0 < res.countries[1].score < 1


def test_native_and_inflected_names() -> None:
    found = {
        m.code
        for m in gazetteer().find("Venäjän ja Virossa, Latvijas Saeima, Lietuvos Seimas, Россия, Suomessa")
    }
    assert found == {"RU", "EE", "LV", "LT", "FI"}


def test_nato_eu_un_are_not_countries() -> None:
    assert codes("", "NATO, the EU and the UN met in Brussels to discuss the Baltic Sea.") == []


def test_hint_counts_but_does_not_override_the_text() -> None:
    assert codes("", "Sweden's navy tracked a Russian submarine near Gotland.", hint_countries=["DK"]) == [
        "SE",
        "RU",
    ]


# --- treaty signals -----------------------------------------------------------------------------------------------


def test_five_states_abandoning_are_five_signals() -> None:
    text = (
        "Finland, Lithuania, Poland, Latvia and Estonia are abandoning the Ottawa Convention, citing Russia."
    )
    assert events(text) == {(c, "ottawa", "announce_withdrawal") for c in ("FI", "LT", "PL", "LV", "EE")}


def test_treaty_names_and_actions() -> None:
    assert events("Estonia's parliament voted on Wednesday to leave the Mine Ban Treaty.") == {
        ("EE", "ottawa", "parliament_vote")
    }
    assert events(
        "Lithuania's withdrawal from the Convention on Cluster Munitions took effect on 6 March 2025."
    ) == {("LT", "ccm", "withdrawal_effective")}
    assert events(
        "Latvia deposited its instrument of withdrawal from the APMBC with the UN Secretary-General."
    ) == {("LV", "ottawa", "deposit_withdrawal")}
    assert events("Sweden joined NATO on Thursday.") == {("SE", "nato", "accession")}


def test_no_signal_for_mentions_background_future_or_deliberation() -> None:
    assert events("The Ottawa Convention bans anti-personnel mines.") == set()
    assert events("Finland joined the Ottawa Convention in 2012.") == set()
    assert events("Norway will not withdraw from the Ottawa Convention, the minister said.") == set()
    assert events("Sweden is considering whether to leave the Ottawa Convention.") == set()
    assert events("The exit from the Ottawa Convention will take effect in January.") == set()


def test_the_treaty_refers_back_and_dates_are_iso() -> None:
    text = (
        "The Ottawa Convention was signed in 1997. On 27 June 2025 Lithuania notified the United Nations "
        "of its withdrawal from the treaty."
    )
    (e,) = analyze("", text).treaty_events
    assert (e.country, e.treaty, e.action, e.date) == ("LT", "ottawa", "deposit_withdrawal", "2025-06-27")
    assert find_date("on June 19, 2025") == "2025-06-19"
    assert find_date("on Wednesday") is None


# --- interface ----------------------------------------------------------------------------------------------------


def test_result_shape_is_the_documented_json_and_picklable() -> None:
    res = analyze("Estonia", '"We will stay vigilant at all times," Hanno Pevkur said.')
    d = res.to_dict()
    assert set(d) == {"countries", "statements", "treaty_events"}
    assert set(d["statements"][0]) == {"speaker", "role", "speaker_country", "quote", "cue", "start", "end"}
    assert pickle.loads(pickle.dumps(res)) == res
    assert isinstance(res, Analysis)
    assert analyze("", "").to_dict() == {"countries": [], "statements": [], "treaty_events": []}
