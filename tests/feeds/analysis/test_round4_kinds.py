"""The kinds of error the fourth blind set (round4.toml) showed, each on sentences of its own (not the set's)."""

from __future__ import annotations

from tests.feeds.analysis.probe import codes, speakers

# --- countries -----------------------------------------------------------------------------------------------------


def test_a_language_is_no_state() -> None:
    text = (
        "TALLINN (ERR) - Estonia's parliament approved a new civil defence law on Tuesday. "
        "In the border town, where many older people speak Ukrainian, the law was welcomed. "
        "Leaflets are printed in Estonian and Ukrainian."
    )
    assert codes("Estonia passes civil defence law", text, ("EE",)) == {"EE"}


def test_a_border_named_by_adjective_is_geography() -> None:
    text = (
        "WARSAW (PAP) - Poland will build new watchtowers along the Ukrainian border, the defence ministry said. "
        "Work starts in spring."
    )
    assert "UA" not in codes("Poland to build watchtowers", text, ("PL",))
    # border guards act
    text = "VILNIUS (LRT) - Lithuania said on Friday that Latvian border guards had stopped a lorry at a crossing."
    assert "LV" in codes("Lorry stopped", text, ("LT",))


def test_a_ship_s_destination_is_geography() -> None:
    text = (
        "COPENHAGEN (DR) - Denmark's navy shadowed a cargo ship off Bornholm on Monday. "
        "The vessel was heading for Egypt, officials said."
    )
    assert codes("Danish navy shadows ship", text, ("DK",)) == {"DK"}


def test_the_far_end_of_a_stretch_of_land_is_geography() -> None:
    text = (
        "VILNIUS (LRT) - Lithuania moved air defences to the corridor between the Polish frontier and Belarus on "
        "Monday, the army said."
    )
    assert "BY" not in codes("Lithuania moves air defences", text, ("LT",))


def test_where_cables_come_from_is_geography() -> None:
    text = (
        "STOCKHOLM (SVT) - Sweden's navy will patrol the island's coast, where data cables from Finland, Estonia "
        "and Latvia land, the government said on Thursday."
    )
    assert codes("Sweden steps up patrols", text, ("SE",)) == {"SE"}


def test_where_a_treaty_was_signed_is_no_actor() -> None:
    text = (
        "RIGA (LSM) - Latvia's withdrawal from the Ottawa Convention, which was signed in Ottawa in 1997, takes "
        "effect on Friday, the foreign ministry said."
    )
    assert "CA" not in codes("Latvia's exit takes effect", text, ("LV",))


def test_a_state_only_named_in_a_witness_s_memory_stays_out() -> None:
    text = (
        "HELSINKI (Yle) - Finland's parliament voted on Tuesday to extend the border closure. "
        '"My brother was wounded in Iraq years ago," said Matti, a pensioner watching outside.'
    )
    assert codes("Finland extends border closure", text, ("FI",)) == {"FI"}


# --- speaker_country -----------------------------------------------------------------------------------------------


def test_a_person_at_the_authority_serves_the_state_of_the_authority_named_before() -> None:
    text = (
        "OSLO (NRK) - The Norwegian Maritime Authority said on Monday it had inspected 40 ships this year. "
        '"Most of them had false papers," said Kari Lunde, a senior adviser at the authority.'
    )
    assert speakers(text, ("NO",)) == [("Kari Lunde", "NO")]


def test_a_commission_spokesperson_speaks_for_no_state() -> None:
    text = (
        "WARSAW (PAP) - Poland closed two crossings on Monday. "
        '"We stand with Warsaw," a Commission spokesperson said in Brussels.'
    )
    [(speaker, country)] = speakers(text, ("PL",))
    assert speaker == "Commission spokesperson" and not country
