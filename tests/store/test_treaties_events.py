"""User events: validation with precise messages, and overrides winning over the baseline."""

from __future__ import annotations

import tomllib
from datetime import date, datetime

import pytest

from store.treaties import (
    TreatyEvent,
    TreatyEventError,
    history,
    parse_event,
    pending_countdowns,
    status_matrix,
)

D = date.fromisoformat
GOOD = {"country": "LV", "treaty": "ottawa", "kind": "deposit_withdrawal", "date": "2025-06-27"}


def test_parse_event_from_toml_table() -> None:
    raw = tomllib.loads(
        """
        [[treaty_events]]
        country = "se"
        treaty = "Ottawa"
        kind = "announce_withdrawal"
        date = 2026-05-01
        source = "https://example.org/se"
        note = "  Hypothetical.  "
        """
    )["treaty_events"][0]
    got = parse_event(raw)
    assert got == TreatyEvent(
        "SE",
        "ottawa",
        "announce_withdrawal",
        D("2026-05-01"),
        "https://example.org/se",
        "Hypothetical.",
        "user",
    )
    assert got.to_dict()["origin"] == "user"
    assert parse_event(GOOD, origin="baseline").origin == "baseline"


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        ({"dat": "2025-06-27"}, "dat", "unknown key 'dat'; did you mean 'date'?"),
        ({"sauce": "x"}, "sauce", "unknown key 'sauce'; did you mean 'source'?"),
        ({"country": "Latvia"}, "country", "unknown country 'Latvia'; expected one of: DK, EE, FI"),
        ({"country": 7}, "country", "must be a string, not int"),
        ({"treaty": "otawa"}, "treaty", "unknown treaty 'otawa'; did you mean 'ottawa'?"),
        ({"kind": "deposit"}, "kind", "unknown kind 'deposit'; did you mean 'deposit_withdrawal'?"),
        ({"date": "27.06.2025"}, "date", "'27.06.2025' is not a date; expected YYYY-MM-DD"),
        ({"date": "2025-02-30"}, "date", "'2025-02-30' is not a date; expected YYYY-MM-DD"),
        ({"date": 20250627}, "date", "must be a date (YYYY-MM-DD), not int"),
        ({"date": datetime(2025, 6, 27, 12, 0)}, "date", "must be a date without a time"),
        ({"note": ["a"]}, "note", "must be a string, not list"),
    ],
)
def test_bad_event_rejected_with_key_and_precise_message(change: dict, key: str, message: str) -> None:
    with pytest.raises(TreatyEventError) as err:
        parse_event({**GOOD, **change})
    assert err.value.key == key
    assert err.value.message.startswith(message)
    assert str(err.value).startswith(f"{key}: ")


def test_missing_required_key_is_named() -> None:
    raw = dict(GOOD)
    del raw["kind"]
    with pytest.raises(TreatyEventError) as err:
        parse_event(raw)
    assert (err.value.key, err.value.message) == (
        "kind",
        "missing (an event needs country, treaty, kind and date)",
    )


def test_user_event_wins_for_same_country_treaty_kind() -> None:
    # Pretend Latvia's instrument was received a month later: the pending period moves with it.
    user = [parse_event({**GOOD, "date": "2025-07-31", "note": "my correction"})]
    lv = status_matrix(None, D("2025-07-15"), countries=["LV"], treaties=["ottawa"], user_events=user)[0]
    assert lv.status == "withdrawal_announced"  # the baseline deposit of 27 Jun is replaced, not kept
    deposits = [e for e in history(None, "LV", "ottawa", user_events=user) if e.kind == "deposit_withdrawal"]
    assert [(e.date, e.origin, e.note) for e in deposits] == [(D("2025-07-31"), "user", "my correction")]
    # The baseline also states 27 Dec as the effective date; it is a different kind, so it still stands.
    later = status_matrix(None, D("2025-08-01"), countries=["LV"], treaties=["ottawa"], user_events=user)[0]
    assert (later.status, later.effective) == ("withdrawal_pending", D("2025-12-27"))
    assert later.to_dict()["events"][-1]["origin"] == "user"


def test_user_events_add_a_new_withdrawal_with_derived_dates() -> None:
    user = [
        parse_event(
            {"country": "SE", "treaty": "ottawa", "kind": "announce_withdrawal", "date": "2026-03-01"}
        ),
        parse_event(
            {"country": "SE", "treaty": "ottawa", "kind": "deposit_withdrawal", "date": "2026-08-31"}
        ),
    ]
    se = status_matrix(None, D("2026-09-01"), countries=["SE"], treaties=["ottawa"], user_events=user)[0]
    assert (se.status, se.since, se.effective) == ("withdrawal_pending", D("2026-08-31"), D("2027-02-28"))
    assert status_matrix(None, D("2027-02-28"), countries=["SE"], treaties=["ottawa"], user_events=user)[
        0
    ].status == ("withdrawn")
    countdown = [p for p in pending_countdowns(None, D("2026-09-01"), user_events=user) if p.country == "SE"]
    assert [(p.treaty, p.effective, p.days_left) for p in countdown] == [("ottawa", D("2027-02-28"), 180)]


def test_user_withdrawal_by_state_at_war_is_deferred() -> None:
    # Ukraine is flagged as in armed conflict: a formal Art. 20 withdrawal gets no effective date.
    user = [
        parse_event({"country": "UA", "treaty": "ottawa", "kind": "deposit_withdrawal", "date": "2026-01-05"})
    ]
    ua = status_matrix(None, D("2026-08-01"), countries=["UA"], treaties=["ottawa"], user_events=user)[0]
    assert (ua.status, ua.effective, ua.deferred) == ("withdrawal_pending", None, True)
    countdown = [p for p in pending_countdowns(None, D("2026-08-01"), user_events=user) if p.country == "UA"]
    assert [(p.effective, p.days_left) for p in countdown] == [(None, None)]


def test_unknown_filter_values_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown country 'XX'"):
        status_matrix(None, D("2025-01-01"), countries=["XX"])
    with pytest.raises(ValueError, match="unknown treaty 'start'"):
        status_matrix(None, D("2025-01-01"), treaties=["start"])
