"""The kinds of error blind sets G, H and I (round8-10.toml) showed, each on sentences of its own (not the sets')."""

from __future__ import annotations

from feeds.analysis import analyze
from tests.feeds.analysis.probe import codes, events, speakers

# --- treaty signals ------------------------------------------------------------------------------------------------


def test_an_exit_that_took_effect_after_a_long_apposition() -> None:
    text = (
        "Norway's withdrawal from the Ottawa Convention, the 1997 treaty that bans anti-personnel landmines "
        "worldwide, took effect on Sunday."
    )
    assert events(text) == {("NO", "ottawa", "withdrawal_effective")}


def test_the_withdrawal_of_several_states() -> None:
    text = (
        "The withdrawal of Denmark, Norway and Iceland from the Ottawa Convention came into force on Monday."
    )
    assert events(text) == {
        ("DK", "ottawa", "withdrawal_effective"),
        ("NO", "ottawa", "withdrawal_effective"),
        ("IS", "ottawa", "withdrawal_effective"),
    }


def test_a_parliament_named_first_votes() -> None:
    assert events("The Storting on Tuesday voted to withdraw Norway from the Ottawa Convention.") == {
        ("NO", "ottawa", "parliament_vote")
    }
    text = "The Riksdag on Friday adopted the law on Sweden's withdrawal from the Ottawa Convention."
    assert events(text) == {("SE", "ottawa", "parliament_vote")}


def test_instruments_handed_over_in_the_next_sentence() -> None:
    text = (
        "Iceland on Friday deposited its notice of withdrawal from the Ottawa Convention with the UN. "
        "Norway and Denmark handed over their own instruments of withdrawal on the same day."
    )
    assert {c for c, _, a in events(text) if a == "deposit_withdrawal"} == {"IS", "NO", "DK"}


def test_the_convention_s_full_name() -> None:
    text = (
        "Iceland's president signed a decree on Iceland's withdrawal from the Convention on the Prohibition of "
        "the Use, Stockpiling, Production and Transfer of Anti-Personnel Mines."
    )
    assert {(c, t) for c, t, _ in events(text)} == {("IS", "ottawa")}


def test_steps_still_to_come_are_no_signal() -> None:
    assert events("Norway is also due to leave the Ottawa Convention at the end of the year.") == set()
    assert events("The Storting must still pass a law on leaving the Ottawa Convention.") == set()


def test_a_move_made_last_year_is_history() -> None:
    text = (
        "Norway has already left the Convention on Cluster Munitions, a decision that drew criticism when it was "
        "taken last year."
    )
    assert events(text) == set()


def test_the_states_a_threat_comes_from_do_not_act() -> None:
    text = (
        "Finland left the Ottawa Convention on Saturday. The government has cited the threat from Russia and "
        "Belarus as the reason for leaving the treaty."
    )
    assert {c for c, _, _ in events(text)} == {"FI"}


# --- statements ----------------------------------------------------------------------------------------------------


def test_middle_initials_and_particles_are_part_of_the_name() -> None:
    text = (
        'OSLO (NRK) - "Svalbard is Norwegian territory," Justice Minister Tore O. Sandvik said. Sandvik added: '
        '"Nothing in these rules discriminates against anyone."'
    )
    assert speakers(text) == [("Tore O. Sandvik", "NO"), ("Tore O. Sandvik", "NO")]
    text = (
        "BRUSSELS (AP) - Ursula von der Leyen spoke on Monday. "
        '"The European Union will be there for you," von der Leyen said.'
    )
    assert speakers(text) == [("Ursula von der Leyen", None)]


def test_military_ranks_abbreviated() -> None:
    text = (
        'TALLINN (ERR) - "Our soldiers need every tool to deter an aggressor," said Brig. Gen. Tarmo K. Laas, '
        "the army commander."
    )
    assert speakers(text) == [("Tarmo K. Laas", "EE")]


def test_a_person_named_in_the_quote_s_own_sentence_said_it() -> None:
    text = (
        "Sybiha thanked the group. “The region has shown real solidarity,” Sybiha wrote on X.\n"
        "Moscow reacted within hours. Foreign Ministry spokeswoman Maria Zakharova dismissed the statement as "
        '"another portion of Russophobia". "They bear responsibility for every new victim," she told a briefing.'
    )
    assert [s for s, _ in speakers(text)] == ["Sybiha", "Maria Zakharova", "Maria Zakharova"]


def test_the_minister_and_the_spokesperson_refer_back() -> None:
    text = (
        'VILNIUS (LRT) - Defence Minister Dovilė Šakalienė defended the decision. "Cluster munitions are used by '
        'Russia every day," the minister said.\n'
        '"There has been no significant movement," a spokesperson for the Finnish Border Guard said. "They are '
        'more visible now," the spokesperson said.'
    )
    assert [s for s, _ in speakers(text)] == [
        "Dovilė Šakalienė",
        "spokesperson for the Finnish Border Guard",
        "spokesperson for the Finnish Border Guard",
    ]


def test_a_ministry_of_defence_serves_the_story_s_state() -> None:
    text = 'RIGA (LSM) - "The decision strengthens deterrence," the Ministry of Defence said in a statement.'
    got = analyze("", text, lang="en")
    assert [s.speaker_country for s in got.statements] == ["LV"]
    assert "GB" not in {c.code for c in got.countries}


# --- countries -----------------------------------------------------------------------------------------------------


def test_the_states_whose_ministers_act_and_those_defended_against() -> None:
    text = (
        "OSLO (NRK) - Norway's parliament voted on Tuesday to raise the defence budget. The defence ministers of "
        "Denmark, Sweden and Iceland welcomed the decision at a meeting in Oslo."
    )
    assert {"DK", "SE", "IS"} <= codes("Norway raises defence budget", text, ("NO",))
    text = (
        "HELSINKI (Yle) - Finland's parliament approved new border rules on Tuesday. The minister said Finland "
        "must be able to defend itself against Russia and Belarus."
    )
    assert {"RU", "BY"} <= codes("Finland approves border rules", text, ("FI",))


def test_the_cause_counts_in_a_sentence_with_a_background_clause() -> None:
    text = (
        "WARSAW (PAP) - Poland's parliament approved the plan on Friday. The government has justified the move by "
        "pointing to the threat from Russia and Belarus, neither of which is a party to the convention."
    )
    assert {"RU", "BY"} <= codes("Poland approves plan", text, ("PL",))


def test_places_located_by_their_state_are_geography() -> None:
    text = (
        "COPENHAGEN (DR) - Denmark closed Aalborg airport for four hours on Monday after drones were seen. Flights "
        "were diverted to Billund and to Gothenburg in Sweden."
    )
    assert codes("Drones close Aalborg airport", text, ("DK",)) == {"DK"}
    text = (
        "HELSINKI (Yle) - Finland's army began a winter exercise in Lapland on Monday. Parts of the training will "
        "continue across the border in Norway's Troms county."
    )
    assert codes("Finnish army starts exercise", text, ("FI",)) == {"FI"}
    text = (
        "COPENHAGEN (DR) - Danish police opened a sabotage inquiry after a power cable linking Bornholm with "
        "southern Sweden was damaged overnight."
    )
    assert codes("Bornholm cable damaged", text, ("DK",)) == {"DK"}


def test_an_appositive_names_the_person_s_state() -> None:
    text = (
        "OSLO (NRK) - Swedish and Finnish troops trained together in the north this week. His Finnish counterpart "
        "from the Jaeger Brigade, Lieutenant Colonel Juha-Matti Kärkkäinen, said the cooperation had gone far. "
        '"We are learning from each other every single day," Kärkkäinen said.'
    )
    assert speakers(text, ("NO",)) == [("Juha-Matti Kärkkäinen", "FI")]
