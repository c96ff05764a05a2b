"""The rule engine: a (country, treaty) status as of a date, from dated events and the treaty's own rules.

Each treaty's rules are data (baseline.toml `[treaties.*]`): how a ratification or accession enters into
force and how long a withdrawal takes, and whether armed conflict defers it. The engine replays the events
as a timeline of status changes; the status as of D is the last change on or before D. A withdrawal takes
effect *on* its effective date: on that day the state is `withdrawn`.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from store.treaties.model import TreatyEvent

EIF_RULES = ("first_day_of_sixth_month_after_deposit", "days_after_deposit", "on_deposit", "treaty_in_force")


@dataclass(frozen=True)
class TreatyRule:
    id: str
    name: str
    short: str
    in_force: date
    """The treaty's own entry into force: no state is bound earlier."""
    entry_into_force: str
    """One of EIF_RULES: when a state's ratification/accession binds it."""
    entry_into_force_days: int = 0
    withdrawal_months: int = 0
    withdrawal_days: int = 0
    armed_conflict_defers: bool = False
    articles: str = ""
    source: str | None = None


@dataclass(frozen=True)
class ArmedConflict:
    country: str
    since: date
    until: date | None = None
    """None while the conflict lasts."""
    note: str | None = None
    source: str | None = None

    def covers(self, day: date) -> bool:
        return self.since <= day and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class Computed:
    status: str
    since: date | None
    effective: date | None = None
    """Set for `withdrawal_pending` (None when deferred by armed conflict) and `withdrawn`."""
    deferred: bool = False
    """A pending withdrawal held back by the armed-conflict rule."""


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later; a day the target month lacks clamps to its last day."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def entry_into_force(rule: TreatyRule, deposit: date) -> date:
    """When a ratification/accession deposited on `deposit` binds the state (never before the treaty's own)."""
    if rule.entry_into_force == "first_day_of_sixth_month_after_deposit":
        d = add_months(deposit.replace(day=1), 6)
    elif rule.entry_into_force == "days_after_deposit":
        d = deposit + timedelta(days=rule.entry_into_force_days)
    elif rule.entry_into_force == "on_deposit":
        d = deposit
    elif rule.entry_into_force == "treaty_in_force":
        d = rule.in_force
    else:
        raise ValueError(f"{rule.id}: unknown entry_into_force rule {rule.entry_into_force!r}")
    return max(d, rule.in_force)


def withdrawal_effective(
    rule: TreatyRule, deposit: date, conflicts: Iterable[ArmedConflict] = ()
) -> tuple[date | None, bool]:
    """(effective date, deferred) for a withdrawal instrument deposited on `deposit`.

    If the treaty defers withdrawal during armed conflict and the state is in one when the notice period
    runs out, the withdrawal takes effect when the conflict ends, or has no date while it lasts.
    """
    if rule.withdrawal_months:
        due = add_months(deposit, rule.withdrawal_months)
    else:
        due = deposit + timedelta(days=rule.withdrawal_days)
    if rule.armed_conflict_defers:
        for c in conflicts:
            if c.covers(due):
                return (max(due, c.until) if c.until else None), True
    return due, False


# Which statuses each status change may replace. Anything not listed is left as it is: a late
# announcement cannot undo a deposited instrument, an old entry into force cannot undo a withdrawal.
_FROM: Mapping[str, frozenset[str]] = {
    "signatory": frozenset({"non_party"}),
    "party": frozenset({"non_party", "signatory", "withdrawn"}),
    "withdrawal_announced": frozenset({"party", "suspended", "disputed", "signatory"}),
    "withdrawal_pending": frozenset(
        {"party", "suspended", "disputed", "withdrawal_announced", "signatory", "non_party"}
    ),
    "withdrawn": frozenset(
        {
            "party",
            "suspended",
            "disputed",
            "withdrawal_announced",
            "withdrawal_pending",
            "signatory",
            "non_party",
        }
    ),
    "suspended": frozenset({"party", "withdrawal_announced", "disputed"}),
    "disputed": frozenset({"party", "withdrawal_announced", "suspended", "withdrawal_pending"}),
}

_KIND_STATUS = {
    "signature": "signatory",
    "entry_into_force": "party",
    "announce_withdrawal": "withdrawal_announced",
    "parliament_vote": "withdrawal_announced",
    "withdrawal_effective": "withdrawn",
    "suspension": "suspended",
    "suspension_claimed": "disputed",
}


@dataclass(frozen=True)
class _Change:
    day: date
    status: str
    effective: date | None = None
    deferred: bool = False


def _changes(
    events: Sequence[TreatyEvent], rule: TreatyRule, conflicts: Sequence[ArmedConflict]
) -> list[_Change]:
    explicit_eif = sorted(e.date for e in events if e.kind == "entry_into_force")
    explicit_out = sorted(e.date for e in events if e.kind == "withdrawal_effective")
    changes: list[_Change] = []
    for e in events:
        if e.kind in ("ratification", "accession"):
            # A sourced entry into force (on or after the deposit) wins over the derived one.
            if not any(d >= e.date for d in explicit_eif):
                changes.append(_Change(entry_into_force(rule, e.date), "party"))
        elif e.kind == "deposit_withdrawal":
            stated = next((d for d in explicit_out if d >= e.date), None)
            if stated is not None:
                changes.append(_Change(e.date, "withdrawal_pending", stated))
            else:
                effective, deferred = withdrawal_effective(rule, e.date, conflicts)
                changes.append(_Change(e.date, "withdrawal_pending", effective, deferred))
                if effective is not None:
                    changes.append(_Change(effective, "withdrawn", effective))
        elif e.kind == "withdrawal_effective":
            changes.append(_Change(e.date, "withdrawn", e.date))
        elif e.kind in _KIND_STATUS:
            changes.append(_Change(e.date, _KIND_STATUS[e.kind]))
    order = {s: i for i, s in enumerate(_FROM)}
    changes.sort(key=lambda c: (c.day, order[c.status]))
    return changes


def compute_status(
    events: Sequence[TreatyEvent],
    rule: TreatyRule,
    as_of: date,
    conflicts: Sequence[ArmedConflict] = (),
) -> Computed:
    """The status of one (country, treaty) as of `as_of`, from all its events (past and future)."""
    current = Computed("non_party", None)
    for ch in _changes(events, rule, conflicts):
        if ch.day > as_of:
            break
        if ch.status == current.status:
            continue  # a second vote or notice does not restart the clock
        if current.status in _FROM[ch.status]:
            current = Computed(ch.status, ch.day, ch.effective, ch.deferred)
    return current
