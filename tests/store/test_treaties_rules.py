"""The rule engine: calendar arithmetic, entry into force, withdrawal timing, armed-conflict deferral."""

from __future__ import annotations

from datetime import date

import pytest

from store.treaties import TreatyEvent, add_months, compute_status, entry_into_force, load_baseline
from store.treaties import withdrawal_effective as withdrawal_effective_date
from store.treaties.rules import ArmedConflict

RULES = load_baseline().rules
D = date.fromisoformat


def ev(
    kind: str, day: str, *, country: str = "XX", treaty: str = "ottawa", origin: str = "baseline"
) -> TreatyEvent:
    return TreatyEvent(country, treaty, kind, D(day), origin=origin)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2025-06-27", 6, "2025-12-27"),
        ("2025-07-10", 6, "2026-01-10"),  # across the year end
        ("2025-08-20", 6, "2026-02-20"),
        ("2025-08-31", 6, "2026-02-28"),  # 31 Aug -> end of a 28-day February
        ("2023-08-31", 6, "2024-02-29"),  # leap year: clamps to the 29th
        ("2023-08-29", 6, "2024-02-29"),
        ("2024-08-30", 6, "2025-02-28"),
        ("2025-12-31", 6, "2026-06-30"),  # 31 Dec -> 30 Jun
        ("2024-02-29", 12, "2025-02-28"),  # a leap day a year on
        ("2024-02-29", 48, "2028-02-29"),
        ("2025-03-31", 1, "2025-04-30"),
        ("2025-01-15", 0, "2025-01-15"),
    ],
)
def test_add_months_clamps_to_month_end(start: str, months: int, expected: str) -> None:
    assert add_months(D(start), months) == D(expected)


@pytest.mark.parametrize(
    ("treaty", "deposit", "expected"),
    [
        # Ottawa Art. 17(2): first day of the sixth month after deposit.
        ("ottawa", "2012-01-09", "2012-07-01"),  # Finland
        ("ottawa", "2003-09-03", "2004-03-01"),  # Belarus
        ("ottawa", "2005-07-01", "2006-01-01"),  # Latvia: deposit on the 1st still counts from July
        ("ottawa", "2012-12-27", "2013-06-01"),  # Poland, across the year end
        ("ottawa", "1998-11-25", "1999-05-01"),  # Sweden
        ("ottawa", "1998-06-08", "1999-03-01"),  # Denmark: not before the Convention's own entry into force
        ("ccm", "2015-08-31", "2016-02-01"),  # Iceland
        ("ccm", "2008-12-03", "2010-08-01"),  # Norway: CCM itself in force 1 Aug 2010
        ("nato", "2023-04-04", "2023-04-04"),  # effective on deposit
        ("open_skies", "2002-12-12", "2003-02-10"),  # 60 days (Finland)
        ("open_skies", "2005-03-24", "2005-05-23"),  # Estonia
        ("open_skies", "1993-01-21", "2002-01-01"),  # not before the Treaty's entry into force
        ("cfe", "1991-12-30", "1992-11-09"),
        ("tpnw", "2024-01-01", "2024-03-31"),  # 90 days
    ],
)
def test_entry_into_force_follows_each_treaty(treaty: str, deposit: str, expected: str) -> None:
    assert entry_into_force(RULES[treaty], D(deposit)) == D(expected)


def test_withdrawal_takes_six_calendar_months_without_conflict() -> None:
    assert withdrawal_effective_date(RULES["ottawa"], D("2025-06-27")) == (D("2025-12-27"), False)
    assert withdrawal_effective_date(RULES["ccm"], D("2025-08-31")) == (D("2026-02-28"), False)
    assert withdrawal_effective_date(RULES["nato"], D("2025-08-31")) == (D("2026-08-31"), False)


def test_armed_conflict_defers_ottawa_and_ccm_withdrawal() -> None:
    war = [ArmedConflict("XX", since=D("2022-02-24"))]
    assert withdrawal_effective_date(RULES["ottawa"], D("2025-06-27"), war) == (None, True)
    assert withdrawal_effective_date(RULES["ccm"], D("2025-06-27"), war) == (None, True)
    # The conflict ends after the six months: effect when it ends.
    ended = [ArmedConflict("XX", since=D("2022-02-24"), until=D("2026-03-15"))]
    assert withdrawal_effective_date(RULES["ottawa"], D("2025-06-27"), ended) == (D("2026-03-15"), True)
    # A conflict that ended before the six months ran out changes nothing.
    over = [ArmedConflict("XX", since=D("2022-02-24"), until=D("2025-09-01"))]
    assert withdrawal_effective_date(RULES["ottawa"], D("2025-06-27"), over) == (D("2025-12-27"), False)
    # A conflict starting during the notice period still counts (state at the end of the period).
    late = [ArmedConflict("XX", since=D("2025-10-01"))]
    assert withdrawal_effective_date(RULES["ottawa"], D("2025-06-27"), late) == (None, True)


def test_armed_conflict_does_not_defer_treaties_without_that_rule() -> None:
    war = [ArmedConflict("XX", since=D("2022-02-24"))]
    assert withdrawal_effective_date(RULES["open_skies"], D("2021-06-18"), war) == (D("2021-12-18"), False)


def test_deferred_withdrawal_stays_pending_without_effective_date() -> None:
    events = [ev("ratification", "2005-12-27"), ev("deposit_withdrawal", "2025-07-18")]
    war = [ArmedConflict("XX", since=D("2014-02-20"))]
    for as_of in ("2025-07-18", "2026-01-18", "2030-01-01"):
        got = compute_status(events, RULES["ottawa"], D(as_of), war)
        assert (got.status, got.since, got.effective, got.deferred) == (
            "withdrawal_pending",
            D("2025-07-18"),
            None,
            True,
        )


WITHDRAWAL = [
    ev("accession", "2005-07-01"),
    ev("parliament_vote", "2025-04-16"),
    ev("deposit_withdrawal", "2025-06-27"),
]


@pytest.mark.parametrize(
    ("as_of", "status", "since", "effective"),
    [
        ("2005-06-30", "non_party", None, None),
        ("2005-07-01", "non_party", None, None),  # deposited, not yet in force
        ("2006-01-01", "party", "2006-01-01", None),
        ("2025-04-15", "party", "2006-01-01", None),
        ("2025-04-16", "withdrawal_announced", "2025-04-16", None),
        ("2025-06-26", "withdrawal_announced", "2025-04-16", None),
        ("2025-06-27", "withdrawal_pending", "2025-06-27", "2025-12-27"),
        ("2025-12-26", "withdrawal_pending", "2025-06-27", "2025-12-27"),
        ("2025-12-27", "withdrawn", "2025-12-27", "2025-12-27"),  # in effect on the day itself
        ("2030-01-01", "withdrawn", "2025-12-27", "2025-12-27"),
    ],
)
def test_status_between_events(as_of: str, status: str, since: str | None, effective: str | None) -> None:
    got = compute_status(WITHDRAWAL, RULES["ottawa"], D(as_of))
    assert got.status == status
    assert got.since == (D(since) if since else None)
    assert got.effective == (D(effective) if effective else None)


def test_later_vote_does_not_restart_announcement_or_undo_deposit() -> None:
    events = [
        ev("entry_into_force", "2000-01-01"),
        ev("announce_withdrawal", "2025-04-01"),
        ev("parliament_vote", "2025-06-19"),
        ev("deposit_withdrawal", "2025-07-10"),
        ev("parliament_vote", "2025-08-01"),  # e.g. a late second-chamber vote
    ]
    assert compute_status(events, RULES["ottawa"], D("2025-06-20")).since == D("2025-04-01")
    got = compute_status(events, RULES["ottawa"], D("2025-08-02"))
    assert (got.status, got.effective) == ("withdrawal_pending", D("2026-01-10"))


def test_stated_effective_date_wins_over_derived() -> None:
    # CFE: the notice states the date (at least 150 days); Russia's took effect 7 Nov 2023.
    events = [
        ev("entry_into_force", "1992-11-09", treaty="cfe"),
        ev("suspension", "2007-12-12", treaty="cfe"),
        ev("announce_withdrawal", "2023-05-29", treaty="cfe"),
        ev("deposit_withdrawal", "2023-06-09", treaty="cfe"),
        ev("withdrawal_effective", "2023-11-07", treaty="cfe"),
    ]
    rule = RULES["cfe"]
    assert compute_status(events, rule, D("2023-05-28")).status == "suspended"
    assert compute_status(events, rule, D("2023-06-01")).status == "withdrawal_announced"
    pending = compute_status(events, rule, D("2023-11-06"))
    assert (pending.status, pending.effective) == ("withdrawal_pending", D("2023-11-07"))
    assert compute_status(events, rule, D("2023-11-07")).status == "withdrawn"
    # Without the stated date the earliest possible one is derived (deposit + 150 days).
    derived = compute_status(events[:-1], rule, D("2023-07-01"))
    assert derived.effective == D("2023-11-06")


def test_claimed_suspension_is_disputed_with_no_effective_date() -> None:
    events = [
        ev("ratification", "2005-12-27"),
        ev("announce_withdrawal", "2025-06-29"),
        ev("parliament_vote", "2025-07-15"),
        ev("suspension_claimed", "2025-07-18"),
    ]
    got = compute_status(events, RULES["ottawa"], D("2026-06-01"))
    assert (got.status, got.since, got.effective) == ("disputed", D("2025-07-18"), None)


def test_signatory_then_party_and_milestones_change_nothing() -> None:
    events = [ev("signature", "1997-12-04"), ev("milestone", "1998-01-01"), ev("ratification", "2012-12-27")]
    assert compute_status(events, RULES["ottawa"], D("1998-06-01")).status == "signatory"
    assert compute_status(events, RULES["ottawa"], D("2013-05-31")).status == "signatory"
    assert compute_status(events, RULES["ottawa"], D("2013-06-01")).status == "party"
    assert (
        compute_status([ev("milestone", "2020-01-01")], RULES["ottawa"], D("2021-01-01")).status
        == "non_party"
    )
