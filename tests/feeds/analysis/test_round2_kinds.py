"""The kinds of error the second blind set (round2.toml) showed, each on sentences of its own (not the set's)."""

from __future__ import annotations

from tests.feeds.analysis.probe import codes, events, speakers

# --- countries -----------------------------------------------------------------------------------------------------


def test_who_else_is_a_party_is_background() -> None:
    text = (
        "Finland's government said on Monday it would keep funding demining abroad. "
        "The convention still has 160 states parties, among them Chile, Canada and Japan."
    )
    assert codes("", text) == {"FI"}
    text = "Finland's government said on Monday it would keep funding demining abroad. The pact counts Chile, Canada and Japan among its parties."
    assert codes("", text) == {"FI"}
    text = "Finland's government said on Monday it would act. The treaty's remaining Baltic parties are Chile and Japan."
    assert codes("", text) == {"FI"}


def test_a_treaty_left_long_ago_is_background() -> None:
    text = "Norway's defence minister said on Monday the navy would grow. Norway still belongs to the INF regime, which Chile and Japan have left."
    assert codes("", text) == {"NO"}


def test_examples_of_a_group_are_not_actors() -> None:
    text = "Estonia's airspace is patrolled on rotation by allies, including Portugal, Spain and Canada. Estonia's government welcomed them."
    assert codes("", text) == {"EE"}


def test_geography_between_and_paths() -> None:
    text = "Finland's navy said on Monday a Finnish ship passed through the strait between Denmark, Germany and Sweden."
    assert codes("", text) == {"FI"}
    assert codes(
        "Balloons land in Lithuania after crossing from Belarus", "Lithuania's border guard said so."
    ) == {"LT"}


def test_a_name_as_modifier_and_a_depositary_are_passing() -> None:
    text = "Norway's government said jets would fly from the former U.S. base at Keflavik."
    assert "US" not in codes("", text)
    text = "Sweden's government said it would hand over its instrument of accession to the U.S. State Department in Washington."
    assert "US" not in codes("", text)


def test_an_official_of_an_international_body_does_not_bring_his_state() -> None:
    text = 'Finland\'s president said on Monday the vote was welcome. "This is a good day," said NATO Secretary General Jens Stoltenberg.'
    assert codes("", text) == {"FI"}


# --- treaty signals ------------------------------------------------------------------------------------------------


def test_an_action_without_a_state_gives_way_to_the_next() -> None:
    text = (
        "Latvia and Estonia formally ceased to be parties to the Ottawa Convention on Monday, months after the two "
        "governments notified the United Nations that they were leaving the treaty."
    )
    assert events(text) == {
        ("LV", "ottawa", "withdrawal_effective"),
        ("EE", "ottawa", "withdrawal_effective"),
    }


def test_a_reported_move_takes_the_reporting_subject() -> None:
    text = "The foreign ministers of Finland and Poland announced on Friday that their countries would withdraw from the Ottawa Convention."
    assert events(text) == {("FI", "ottawa", "announce_withdrawal"), ("PL", "ottawa", "announce_withdrawal")}


def test_an_expected_step_is_no_signal() -> None:
    assert events("Sweden is expected to join NATO within weeks, once Hungary's vote is done.") == set()


def test_a_parliament_that_votes_to_ratify_ratifies() -> None:
    text = "Hungary's parliament voted on Monday to ratify Sweden's NATO membership."
    assert ("HU", "nato", "ratification") in events(text)


# --- speakers ------------------------------------------------------------------------------------------------------


def test_role_comma_name_after_the_quote() -> None:
    text = '"We are ready for every scenario," Norway\'s envoy to the OSCE, Kari Dahl, told reporters.'
    assert speakers(text) == [("Kari Dahl", "NO")]


def test_a_party_name_before_an_office_and_the_person() -> None:
    text = 'The debate went on. "We must spend more on the coast guard," said Green Party lawmaker Mia Lind.'
    assert [s for s, _ in speakers(text)] == ["Mia Lind"]


def test_the_official_refers_back_to_a_described_speaker() -> None:
    text = (
        "A NATO official said the alliance was watching closely.\n"
        '"We see more submarines than at any time in a decade," the official said.'
    )
    assert speakers(text) == [("NATO official", None)]


def test_a_pronoun_in_a_paragraph_that_opens_on_a_described_speaker() -> None:
    text = (
        'Defence Minister Anna Berg said the army would help. "We are on our way," she said.\n'
        "A local fisherman said he had seen the wreck. \u201cIt was lying on the beach for hours,\u201d he said."
    )
    assert speakers(text)[-1] == ("local fisherman", None)
