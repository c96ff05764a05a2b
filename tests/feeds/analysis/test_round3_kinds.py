"""The kinds of error the third blind set (round3.toml) showed, each on sentences of its own (not the set's)."""

from __future__ import annotations

from tests.feeds.analysis.probe import codes, events, speakers

# --- speaker_country -----------------------------------------------------------------------------------------------


def test_heads_of_national_agencies_serve_the_home_state() -> None:
    text = (
        "RIGA (LSM) - Latvia's power grid was hit by a cyberattack on Friday. "
        '"We restored the service within hours," said Ilze Berzina, head of the National Cyber Defence Centre.'
    )
    assert speakers(text, ("LV",)) == [("Ilze Berzina", "LV")]
    text = (
        "OSLO (NRK) - Norway tightened port checks on Friday. "
        '"Every ship will be boarded from now on," said Vice-Minister of National Security Per Olsen.'
    )
    assert speakers(text, ("NO",)) == [("Per Olsen", "NO")]


def test_a_body_named_without_its_state_refers_back() -> None:
    text = (
        "HELSINKI (Yle) - The Chinese embassy in Helsinki dismissed the report on Friday. "
        '"These claims are groundless and irresponsible," embassy spokesman Li Wei told reporters.'
    )
    assert speakers(text, ("FI",)) == [("Li Wei", "CN")]
    text = (
        "OSLO (NRK) - Sweden's foreign ministry protested on Friday. "
        '"This is not how neighbours behave at all," ministry spokeswoman Anna Berg said. '
        'She added that Stockholm "would raise the matter in Brussels next week".'
    )
    assert [c for _, c in speakers(text, ("NO",))] == ["SE", "SE"]


def test_the_body_said_and_it_said_refer_back_to_the_body() -> None:
    text = (
        "TALLINN (ERR) - The Russian embassy in Tallinn protested against the decision. "
        'In a post on Telegram, the embassy said the move was "a hostile act against our citizens".'
    )
    [(speaker, country)] = speakers(text, ("EE",))
    assert country == "RU" and speaker is not None and speaker.endswith("embassy in Tallinn")
    text = (
        "VILNIUS (BNS) - Farmers protested in Vilnius on Friday. "
        "Belarus's State Security Committee denied the charges. In a statement, it said Lithuania was "
        '"inventing threats to hide its own failures".'
    )
    [(speaker, country)] = speakers(text, ("LT",))
    assert country == "BY" and speaker == "Belarus's State Security Committee"


def test_a_modifier_body_is_no_owner() -> None:
    # "border guard" modifies "department" here: the department's state is the home state, not the Russian boat's
    text = (
        "TARTU (ERR) - A Russian border guard boat stopped an Estonian ferry on Thursday. "
        '"The ferry was on our side of the line all along," said Mari Tamm, head of the board\'s border guard department.'
    )
    assert speakers(text, ("EE",)) == [("Mari Tamm", "EE")]


# --- countries -----------------------------------------------------------------------------------------------------


def test_a_list_closed_by_among_gives_examples() -> None:
    text = (
        "Latvia's government adopted a new air defence plan on Monday. "
        "Spain, Portugal and Greece are among the allies that send jets to the region."
    )
    assert codes("", text) == {"LV"}
    text = (
        "Latvia's government adopted a new air defence plan on Monday. "
        "Drones have been seen over Germany, Belgium and the Danish island of Zealand among other places."
    )
    assert codes("", text) == {"LV"}


def test_a_war_named_by_its_target_is_background() -> None:
    text = (
        "Norway's government said on Monday it would buy more air defence, "
        "citing lessons from Russia's war against Ukraine."
    )
    assert codes("", text) == {"NO", "RU"}
    text = "Sweden's defence minister said on Monday the army would grow since the full-scale invasion of Ukraine changed everything."
    assert codes("", text) == {"SE"}


def test_land_between_two_states_is_geography() -> None:
    text = (
        "Lithuania's army held drills on Monday in the narrow area between Belarus and the Kaliningrad exclave, "
        "its defence minister said."
    )
    assert "BY" not in codes("", text)


def test_a_move_named_only_for_comparison_is_background() -> None:
    text = "Estonia's government quit the talks on Monday, a week after Chile did."
    assert codes("", text) == {"EE"}
    text = "Estonia's parliament voted on Monday to leave the pact, just as Chile did."
    assert "CL" not in codes("", text)


# --- speakers ------------------------------------------------------------------------------------------------------


def test_an_unnamed_opener_with_scene_or_body_is_the_he_or_she() -> None:
    text = (
        "Denmark's navy sent two ships on Monday, Defence Minister Troels Lund Poulsen said.\n"
        'At the ferry terminal in Gedser, a retired sailor said the ships left at night. "I have never seen them move so fast," he said.'
    )
    assert speakers(text, ("DK",))[-1] == ("retired sailor", None)
    text = (
        "Finland's parliament approved the bill on Monday, Defence Minister Antti Häkkänen said.\n"
        'A spokeswoman for the Cluster Munition Coalition said the vote was a setback. "Others may now follow this path," she said.'
    )
    assert speakers(text, ("FI",))[-1] == ("spokeswoman for the Cluster Munition Coalition", None)


def test_a_place_before_the_comma_is_no_speaker() -> None:
    text = 'Latvia closed the crossing on Monday. In Brussels, a European Commission spokesperson said: "We stand with Latvia on this."'
    assert speakers(text, ("LV",)) == [("European Commission spokesperson", None)]


def test_a_who_leads_apposition_gives_the_state() -> None:
    text = (
        "REYKJAVÍK (RÚV) - Iceland's government met on Tuesday.\n"
        "Captain Maria Lopez, who commands the US Coast Guard cutter in Reykjavík, said the ship would stay. "
        "“We will be here all winter long,” Lopez said."
    )
    assert speakers(text, ("IS",)) == [("Maria Lopez", "US")]


# --- treaties ------------------------------------------------------------------------------------------------------


def test_a_department_is_no_departure() -> None:
    text = (
        "Montenegro handed its instrument to the State Department on Monday. "
        "The Foreign Department of Chile keeps the record of the Arms Trade Treaty."
    )
    assert not {e for e in events(text) if e[0] == "CL"}


def test_ratifying_the_bid_is_a_nato_ratification() -> None:
    text = "Norway's NATO partners cheered on Monday, when Turkey's parliament ratified the bid."
    assert ("TR", "nato", "ratification") in events(text)
