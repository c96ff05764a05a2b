"""Treaty-status queries: the matrix as of a date, one (country, treaty) history, pending countdowns.

Events are the shipped baseline merged with the user's `[[treaty_events]]`: a user event replaces every
baseline event of the same (country, treaty, kind). News signals (table `treaty_signals`) newer than the
latest known event are attached as unconfirmed hints; they never change the computed status.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlite_utils

from store.treaties.baseline import Remark, load_baseline
from store.treaties.model import TreatyEvent
from store.treaties.rules import compute_status

MAX_SIGNALS = 10
"""Unconfirmed signals kept per (country, treaty), newest first."""


@dataclass(frozen=True)
class TreatySignal:
    """A treaty step reported in an article, not (yet) in the baseline or the user's events."""

    article_id: int
    title: str
    url: str | None
    action: str
    date: date | None
    """The date the text states, if any."""
    published_at: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "title": self.title,
            "url": self.url,
            "action": self.action,
            "date": self.date.isoformat() if self.date else None,
            "published_at": self.published_at,
        }


@dataclass(frozen=True)
class TreatyStatus:
    country: str
    treaty: str
    status: str
    since: date | None
    """The day the status began (None: never a party and no recorded step)."""
    effective: date | None
    """When the withdrawal takes (or took) effect: set for withdrawal_pending (None while deferred by armed
    conflict) and withdrawn."""
    events: tuple[TreatyEvent, ...]
    """Events on or before the as-of date, oldest first."""
    signals: tuple[TreatySignal, ...] = ()
    deferred: bool = False
    """withdrawal_pending held back by the armed-conflict rule: no effective date while it lasts."""
    remarks: tuple[Remark, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "treaty": self.treaty,
            "status": self.status,
            "since": self.since.isoformat() if self.since else None,
            "effective": self.effective.isoformat() if self.effective else None,
            "events": [e.to_dict() for e in self.events],
            "signals": [s.to_dict() for s in self.signals],
        }


@dataclass(frozen=True)
class PendingCountdown:
    country: str
    treaty: str
    since: date
    """Deposit of the withdrawal instrument."""
    effective: date | None
    days_left: int | None
    """None while deferred by armed conflict."""


def baseline_reviewed() -> date:
    """The day the shipped baseline was last reviewed against its sources."""
    return load_baseline().reviewed


def merged_events(user_events: Iterable[TreatyEvent] = ()) -> dict[tuple[str, str], list[TreatyEvent]]:
    """All events by (country, treaty), oldest first; a user event wins for its (country, treaty, kind)."""
    user = list(user_events)
    overridden = {(e.country, e.treaty, e.kind) for e in user}
    out: dict[tuple[str, str], list[TreatyEvent]] = {}
    for e in load_baseline().events:
        if (e.country, e.treaty, e.kind) not in overridden:
            out.setdefault((e.country, e.treaty), []).append(e)
    for e in user:
        out.setdefault((e.country, e.treaty), []).append(e)
    for evs in out.values():
        evs.sort(key=lambda e: e.date)
    return out


def _pick(requested: Iterable[str] | None, known: Sequence[str], what: str, upper: bool) -> list[str]:
    if not requested:
        return list(known)
    picked = []
    for r in requested:
        norm = r.strip().upper() if upper else r.strip().lower()
        if norm not in known:
            raise ValueError(f"unknown {what} '{r}'; expected one of: {', '.join(known)}")
        picked.append(norm)
    return [k for k in known if k in picked]  # always in the baseline's order


def _signal_day(date_text: str | None, published_at: str) -> date:
    for text in (date_text, published_at):
        if text:
            try:
                return date.fromisoformat(text[:10])
            except ValueError:
                continue
    return date.min


def _signals(
    db: sqlite_utils.Database | None,
    as_of: date,
    latest: dict[tuple[str, str], date],
) -> dict[tuple[str, str], list[tuple[date, TreatySignal]]]:
    """News signals per (country, treaty) published after that pair's latest event, up to `as_of`.

    One indexed query per pair (idx_treaty_signals_ct), bounded by MAX_SIGNALS: cheap on a large database.
    """
    if db is None or "treaty_signals" not in db.table_names():
        return {}
    out: dict[tuple[str, str], list[tuple[date, TreatySignal]]] = {}
    until = (as_of + timedelta(days=1)).isoformat()
    for (country, treaty), after in latest.items():
        rows = db.execute(
            """
            SELECT s.article_id, a.title, COALESCE(a.url, a.canonical_url), s.action, s.date, s.published_at
            FROM treaty_signals s JOIN articles a ON a.id = s.article_id
            WHERE s.country = ? AND s.treaty = ? AND s.published_at > ? AND s.published_at < ?
            ORDER BY s.published_at DESC, s.id DESC
            LIMIT ?
            """,
            [
                country,
                treaty,
                (after + timedelta(days=1)).isoformat() if after > date.min else "",
                until,
                4 * MAX_SIGNALS,
            ],
        ).fetchall()
        for article_id, title, url, action, date_text, published_at in rows:
            stated = None
            if date_text:
                try:
                    stated = date.fromisoformat(date_text[:10])
                except ValueError:
                    stated = None
            sig = TreatySignal(article_id, title or "", url, action, stated, published_at)
            out.setdefault((country, treaty), []).append((_signal_day(date_text, published_at), sig))
    return out


def status_matrix(
    db: sqlite_utils.Database | None,
    as_of: date,
    *,
    countries: Iterable[str] | None = None,
    treaties: Iterable[str] | None = None,
    user_events: Iterable[TreatyEvent] = (),
) -> list[TreatyStatus]:
    """Every (country, treaty) status as of `as_of`, country-major in the baseline's order.

    `db` (may be None) supplies unconfirmed news signals. Raises ValueError for an unknown country/treaty.
    """
    base = load_baseline()
    cs = _pick(countries, base.countries, "country", upper=True)
    ts = _pick(treaties, list(base.rules), "treaty", upper=False)
    events = merged_events(user_events)
    latest = {
        (c, t): max((e.date for e in events.get((c, t), []) if e.date <= as_of), default=date.min)
        for c in cs
        for t in ts
    }
    signals = _signals(db, as_of, latest)
    out = []
    for c in cs:
        for t in ts:
            evs = events.get((c, t), [])
            computed = compute_status(evs, base.rules[t], as_of, base.conflicts.get(c, ()))
            past = tuple(e for e in evs if e.date <= as_of)
            latest = max((e.date for e in past), default=date.min)
            newer = tuple(s for day, s in signals.get((c, t), []) if day > latest)[:MAX_SIGNALS]
            out.append(
                TreatyStatus(
                    country=c,
                    treaty=t,
                    status=computed.status,
                    since=computed.since,
                    effective=computed.effective,
                    events=past,
                    signals=newer,
                    deferred=computed.deferred,
                    remarks=tuple(r for r in base.remarks if r.country == c and r.treaty == t),
                )
            )
    return out


def history(
    db: sqlite_utils.Database | None, country: str, treaty: str, *, user_events: Iterable[TreatyEvent] = ()
) -> list[TreatyEvent]:
    """Every recorded event of one (country, treaty), oldest first (baseline merged with user events).

    `db` is accepted for symmetry with the other queries; events are not stored in the database.
    """
    base = load_baseline()
    (c,) = _pick([country], base.countries, "country", upper=True)
    (t,) = _pick([treaty], list(base.rules), "treaty", upper=False)
    return list(merged_events(user_events).get((c, t), []))


def pending_countdowns(
    db: sqlite_utils.Database | None, as_of: date, *, user_events: Iterable[TreatyEvent] = ()
) -> list[PendingCountdown]:
    """Withdrawals deposited but not yet in effect as of `as_of`, soonest first (deferred ones last)."""
    out = [
        PendingCountdown(
            s.country,
            s.treaty,
            s.since,  # type: ignore[arg-type]  # pending always has a since
            s.effective,
            (s.effective - as_of).days if s.effective else None,
        )
        for s in status_matrix(None, as_of, user_events=user_events)
        if s.status == "withdrawal_pending"
    ]
    out.sort(key=lambda p: (p.days_left is None, p.days_left or 0, p.country, p.treaty))
    return out
