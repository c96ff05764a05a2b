"""The kinds of error blind sets D, E and F (round5-7.toml) showed, each on sentences of its own (not the sets')."""

from __future__ import annotations

from tests.feeds.analysis.probe import codes, events, speakers

# --- countries -----------------------------------------------------------------------------------------------------


def test_one_passing_mention_is_not_enough() -> None:
    # a state named once in the body, neither acting nor speaking nor the cause, stays out (IN_THRESHOLD 1.5)
    text = (
        "OSLO (NRK) - Norway's coast guard inspected a trawler in the Barents Sea on Monday, the service said. "
        "The crew had bought supplies in Iceland before sailing north."
    )
    assert codes("Coast guard inspects trawler", text, ("NO",)) == {"NO"}


def test_the_cause_of_the_events_is_in() -> None:
    text = (
        "RIGA (LSM) - Latvia's parliament approved a new border fence on Thursday, citing the threat posed by "
        "Russia and Belarus. The fence will be finished next year."
    )
    assert codes("Latvia approves border fence", text, ("LV",)) == {"LV", "RU", "BY"}
    text = "VILNIUS (LRT) - Lithuania bought more air defence systems to deter Russia, the ministry said."
    assert "RU" in codes("Lithuania buys air defence", text, ("LT",))


def test_a_comparison_is_no_story_about_the_state_compared_with() -> None:
    text = (
        "KYIV (AP) - Ukraine's government approved a plan to buy more drones on Tuesday. The decision follows "
        "similar moves by Poland and Finland. Ukraine will spend the money next year."
    )
    assert codes("Ukraine to buy drones", text, ("UA",)) == {"UA"}
    text = (
        "COPENHAGEN (DR) - Denmark will inspect more old tankers off Skagen, as Britain has done in the Channel, "
        "the government said."
    )
    assert "GB" not in codes("Denmark steps up tanker checks", text, ("DK",))


def test_the_subject_of_a_clause_acts() -> None:
    text = (
        "TALLINN (ERR) - The withdrawal of the three Baltic states took effect on Saturday. Finland, which deposited "
        "its notice in July, will leave the convention in January."
    )
    assert "FI" in codes("Baltic states leave mine ban", text, ("EE",))
    # a list of subjects: both act
    text = (
        "MINSK (AP) - Belarus began large military exercises on Friday. Lithuania and Latvia both stepped up "
        "patrols along their frontiers."
    )
    assert {"LT", "LV"} <= codes("Belarus starts drills", text)
    # in a comparison, the subject still acts
    text = (
        "WARSAW (PAP) - Poland's parliament voted to leave the treaty. The move follows similar decisions in "
        "Lithuania and Latvia, and Finland is expected to hold its own vote in June."
    )
    got = codes("Poland votes to leave treaty", text, ("PL",))
    assert "FI" in got and "LT" not in got


def test_history_set_in_a_past_year_is_not_a_subject() -> None:
    text = (
        "STOCKHOLM (SVT) - Sweden opened a new naval base on Gotland on Monday. Denmark joined the joint "
        "expeditionary force in 2014."
    )
    assert "DK" not in codes("Sweden opens Gotland base", text, ("SE",))


def test_years_after_a_state_acted_is_history() -> None:
    text = (
        "REYKJAVIK (RUV) - British jets arrived at Keflavik on Monday for air policing. The rotations began in "
        "2008, two years after the United States closed its base there."
    )
    assert "US" not in codes("British jets arrive in Iceland", text, ("IS",))


def test_where_a_company_or_a_journey_comes_from_is_no_actor() -> None:
    text = (
        "VILNIUS (LRT) - Lithuania said on Monday that GPS jamming was getting worse. A Finnish airline's flight "
        "from Helsinki to Vilnius turned back last week."
    )
    assert codes("Lithuania reports GPS jamming", text, ("LT",)) == {"LT"}


def test_a_frontier_and_a_region_named_with_its_state_are_geography() -> None:
    text = (
        "WARSAW (PAP) - Poland will store mines near the frontier with Belarus and Russia's Kaliningrad region, "
        "the defence ministry said on Friday."
    )
    assert codes("Poland to store mines", text, ("PL",)) == {"PL"}


def test_military_assets_of_a_state_act() -> None:
    text = "Sweden's navy tracked a Russian submarine near Gotland."
    assert codes("", text) == {"SE", "RU"}


# --- treaty signals ------------------------------------------------------------------------------------------------


def test_states_that_ceased_to_be_parties() -> None:
    text = "Latvia and Estonia ceased to be parties to the Ottawa Convention on Saturday."
    assert events(text) == {
        ("LV", "ottawa", "withdrawal_effective"),
        ("EE", "ottawa", "withdrawal_effective"),
    }


def test_a_year_that_names_a_treaty_is_not_history() -> None:
    text = (
        "Lithuania on Friday formally left the Convention on Cluster Munitions, becoming the first country to "
        "withdraw from the 2008 treaty."
    )
    assert events(text) == {("LT", "ccm", "withdrawal_effective")}


def test_an_accession_in_a_past_month_and_year_is_history() -> None:
    assert events("Sweden will spend more on defence. Sweden joined NATO in March 2024.") == set()


# --- statements ----------------------------------------------------------------------------------------------------


def test_a_role_stays_in_its_own_sentence() -> None:
    text = (
        "BIALYSTOK (PAP) - A soldier was injured near the village of Dubicze Cerkiewne, the Border Guard said.\n"
        'Border Guard spokeswoman Anna Michalska said the group had thrown stones. "This was an organised '
        'attempt, and they knew it," Michalska said.'
    )
    assert speakers(text, ("PL",)) == [("Anna Michalska", "PL")]


def test_a_state_authority_serves_the_story_s_state_and_an_airline_none() -> None:
    text = (
        "VILNIUS (LRT) - Lithuania's communications regulator said jamming had doubled. The authority's director, "
        'Gintaras Vaitkus, said the sources were military. "We can see the transmitters," Vaitkus said. '
        '"The position jumps by twenty kilometres," said Captain Ruta Dauksiene, a pilot with a regional airline.'
    )
    assert speakers(text, ("LT",)) == [("Gintaras Vaitkus", "LT"), ("Ruta Dauksiene", None)]
