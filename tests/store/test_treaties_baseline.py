"""The shipped baseline against the reference facts (../shared/reference/treaty-facts.md).

TIMELINES is written by hand from the reference notes, independently of the rule engine: for each
(country, treaty), the status from each date on (and the withdrawal's effective date). Every pair is
checked on the first of every month 2021-2026 and on each boundary day, and the day before it.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from store.treaties import (
    COUNTRIES,
    TREATIES,
    baseline_reviewed,
    entry_into_force,
    load_baseline,
    pending_countdowns,
    status_matrix,
    withdrawal_effective,
)

D = date.fromisoformat
START = D("2021-01-01")

PARTY = "party"
NON = "non_party"
# (country, treaty) -> [(from, status, effective)], in force from START unless listed otherwise.
TIMELINES: dict[tuple[str, str], list[tuple[str, str, str | None]]] = {
    # Ottawa: Art. 20 six calendar months after deposit; Ukraine's claimed suspension is disputed.
    ("FI", "ottawa"): [
        ("2021-01-01", PARTY, None),
        ("2025-04-01", "withdrawal_announced", None),
        ("2025-07-10", "withdrawal_pending", "2026-01-10"),
        ("2026-01-10", "withdrawn", "2026-01-10"),
    ],
    ("EE", "ottawa"): [
        ("2021-01-01", PARTY, None),
        ("2025-03-18", "withdrawal_announced", None),  # joint EE/LV/LT/PL announcement
        ("2025-06-27", "withdrawal_pending", "2025-12-27"),
        ("2025-12-27", "withdrawn", "2025-12-27"),
    ],
    ("LV", "ottawa"): [
        ("2021-01-01", PARTY, None),
        ("2025-03-18", "withdrawal_announced", None),  # joint EE/LV/LT/PL announcement
        ("2025-06-27", "withdrawal_pending", "2025-12-27"),
        ("2025-12-27", "withdrawn", "2025-12-27"),
    ],
    ("LT", "ottawa"): [
        ("2021-01-01", PARTY, None),
        ("2025-03-18", "withdrawal_announced", None),  # joint EE/LV/LT/PL announcement
        ("2025-06-27", "withdrawal_pending", "2025-12-27"),
        ("2025-12-27", "withdrawn", "2025-12-27"),
    ],
    ("PL", "ottawa"): [
        ("2021-01-01", PARTY, None),
        ("2025-03-18", "withdrawal_announced", None),  # joint EE/LV/LT/PL announcement
        ("2025-08-20", "withdrawal_pending", "2026-02-20"),
        ("2026-02-20", "withdrawn", "2026-02-20"),
    ],
    ("UA", "ottawa"): [
        ("2021-01-01", PARTY, None),
        ("2025-06-29", "withdrawal_announced", None),
        ("2025-07-18", "disputed", None),
    ],
    ("RU", "ottawa"): [("2021-01-01", NON, None)],
    # CCM
    ("LT", "ccm"): [
        ("2021-01-01", PARTY, None),
        ("2024-07-18", "withdrawal_announced", None),
        ("2024-09-06", "withdrawal_pending", "2025-03-06"),
        ("2025-03-06", "withdrawn", "2025-03-06"),
    ],
    **{(c, "ccm"): [("2021-01-01", NON, None)] for c in ("FI", "EE", "LV", "PL", "UA", "BY", "RU")},
    # NATO: accession effective on deposit.
    ("FI", "nato"): [("2021-01-01", NON, None), ("2023-04-04", PARTY, None)],
    ("SE", "nato"): [("2021-01-01", NON, None), ("2024-03-07", PARTY, None)],
    **{(c, "nato"): [("2021-01-01", NON, None)] for c in ("UA", "BY", "RU")},
    # CFE
    **{
        (c, "cfe"): [("2021-01-01", PARTY, None), ("2023-11-07", "suspended", None)]
        for c in ("DK", "IS", "NO")
    },
    ("PL", "cfe"): [("2021-01-01", PARTY, None), ("2024-03-28", "suspended", None)],
    ("BY", "cfe"): [("2021-01-01", PARTY, None), ("2024-05-24", "suspended", None)],
    ("RU", "cfe"): [
        ("2021-01-01", "suspended", None),
        ("2023-05-29", "withdrawal_announced", None),
        ("2023-06-09", "withdrawal_pending", "2023-11-07"),
        ("2023-11-07", "withdrawn", "2023-11-07"),
    ],
    **{(c, "cfe"): [("2021-01-01", NON, None)] for c in ("FI", "SE", "EE", "LV", "LT")},
    # Open Skies
    ("RU", "open_skies"): [
        ("2021-01-01", PARTY, None),
        ("2021-01-15", "withdrawal_announced", None),
        ("2021-06-18", "withdrawal_pending", "2021-12-18"),
        ("2021-12-18", "withdrawn", "2021-12-18"),
    ],
    # TPNW: none of the twelve has joined.
    **{(c, "tpnw"): [("2021-01-01", NON, None)] for c in COUNTRIES},
}


def expected(country: str, treaty: str, day: date) -> tuple[str, str | None]:
    timeline = TIMELINES.get((country, treaty), [("2021-01-01", PARTY, None)])
    status, effective = timeline[0][1], timeline[0][2]
    for start, s, eff in timeline:
        if D(start) <= day:
            status, effective = s, eff
    return status, effective


def check_days() -> list[date]:
    days = {date(y, m, 1) for y in range(2021, 2027) for m in range(1, 13)}
    for timeline in TIMELINES.values():
        for start, _, _ in timeline[1:]:
            days |= {D(start), D(start) - timedelta(days=1)}
    return sorted(days)


@pytest.mark.parametrize("day", check_days(), ids=str)
def test_every_status_and_effective_date_matches_the_reference(day: date) -> None:
    got = {
        (s.country, s.treaty): (s.status, s.effective.isoformat() if s.effective else None)
        for s in status_matrix(None, day)
    }
    assert len(got) == len(COUNTRIES) * len(TREATIES)
    wrong = {k: (v, expected(*k, day)) for k, v in got.items() if v != expected(*k, day)}
    assert wrong == {}


def test_latvia_ottawa_pinned() -> None:
    def lv(day: str) -> tuple[str, str | None]:
        s = status_matrix(None, D(day), countries=["LV"], treaties=["ottawa"])[0]
        return s.status, s.effective.isoformat() if s.effective else None

    assert lv("2025-06-26") == ("withdrawal_announced", None)
    assert lv("2025-06-27") == ("withdrawal_pending", "2025-12-27")
    assert lv("2025-12-26") == ("withdrawal_pending", "2025-12-27")
    assert lv("2025-12-27") == ("withdrawn", "2025-12-27")
    assert lv("2026-06-01") == ("withdrawn", "2025-12-27")


def test_finland_nato_member_from_deposit_day() -> None:
    before, on = (
        status_matrix(None, D(d), countries=["FI"], treaties=["nato"])[0]
        for d in ("2023-04-03", "2023-04-04")
    )
    assert before.status == "non_party"
    assert (on.status, on.since) == ("party", D("2023-04-04"))


def test_pending_countdowns_on_a_known_day() -> None:
    got = [(p.country, p.treaty, p.effective, p.days_left) for p in pending_countdowns(None, D("2025-09-01"))]
    assert got == [
        ("EE", "ottawa", D("2025-12-27"), 117),
        ("LT", "ottawa", D("2025-12-27"), 117),
        ("LV", "ottawa", D("2025-12-27"), 117),
        ("FI", "ottawa", D("2026-01-10"), 131),
        ("PL", "ottawa", D("2026-02-20"), 172),
    ]


def test_sourced_dates_agree_with_the_treaty_rules() -> None:
    """Wherever the baseline states a date the rules can derive, the two agree (CFE: no earlier than)."""
    base = load_baseline()
    checked = 0
    for e in base.events:
        rule = base.rules[e.treaty]
        same = [x for x in base.events if (x.country, x.treaty) == (e.country, e.treaty)]
        if e.kind in ("ratification", "accession"):
            stated = [x.date for x in same if x.kind == "entry_into_force"]
            if stated:
                assert entry_into_force(rule, e.date) == stated[0], e
                checked += 1
        if e.kind == "deposit_withdrawal":
            stated = [x.date for x in same if x.kind == "withdrawal_effective"]
            derived, deferred = withdrawal_effective(rule, e.date, base.conflicts.get(e.country, ()))
            assert not deferred and derived is not None
            if e.treaty == "cfe":
                assert derived <= stated[0], e  # the notice states a date at least 150 days on
            else:
                assert derived == stated[0], e
            checked += 1
    assert checked >= 25


def test_every_event_is_sourced_and_reviewed_date_is_set() -> None:
    base = load_baseline()
    assert all(e.source and e.source.startswith("http") for e in base.events)
    assert all(e.origin == "baseline" for e in base.events)
    assert baseline_reviewed() == D("2026-11-29")
    assert base.conflicts["UA"][0].until is None
