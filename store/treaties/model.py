"""Treaty events and their validation: the one shape both the shipped baseline and user overrides use."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

COUNTRIES: tuple[str, ...] = ("DK", "EE", "FI", "IS", "LV", "LT", "NO", "SE", "PL", "UA", "BY", "RU")
"""The states the registry covers: the NB8, then Poland, Ukraine, Belarus, Russia."""

TREATIES: tuple[str, ...] = ("ottawa", "ccm", "nato", "cfe", "open_skies", "tpnw")

KINDS: tuple[str, ...] = (
    "signature",
    "ratification",
    "accession",
    "entry_into_force",
    "announce_withdrawal",
    "parliament_vote",
    "deposit_withdrawal",
    "withdrawal_effective",
    "suspension",
    "suspension_claimed",
    "milestone",
)
"""Event kinds. `milestone` is shown in the history but never changes the status."""

STATUSES: tuple[str, ...] = (
    "party",
    "signatory",
    "non_party",
    "withdrawal_announced",
    "withdrawal_pending",
    "withdrawn",
    "suspended",
    "disputed",
)

ORIGINS = ("baseline", "user")
_REQUIRED = ("country", "treaty", "kind", "date")
_OPTIONAL = ("source", "note")


class TreatyEventError(ValueError):
    """A bad treaty event; `key` names the offending field, `message` says what is wrong and what would do."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


@dataclass(frozen=True)
class TreatyEvent:
    country: str
    """ISO 3166-1 alpha-2, upper case."""
    treaty: str
    """A treaty id from TREATIES."""
    kind: str
    """An event kind from KINDS."""
    date: date
    source: str | None = None
    """URL (or citation) the date comes from."""
    note: str | None = None
    origin: str = "baseline"
    """"baseline" (shipped data) or "user" (a [[treaty_events]] table in the config)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "treaty": self.treaty,
            "kind": self.kind,
            "date": self.date.isoformat(),
            "source": self.source,
            "note": self.note,
            "origin": self.origin,
        }


def _suggest(value: str, choices: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    if not close and len(value) >= 3:
        close = [c for c in choices if value in c][:2]  # "deposit" -> "deposit_withdrawal"
        close = close if len(close) == 1 else []
    if close:
        return f"; did you mean '{close[0]}'?"
    return "; expected one of: " + ", ".join(choices)


def _choice(raw: dict[str, Any], key: str, choices: tuple[str, ...], what: str, *, upper: bool) -> str:
    value = raw[key]
    if not isinstance(value, str):
        raise TreatyEventError(key, f"must be a string, not {type(value).__name__}")
    norm = value.strip().upper() if upper else value.strip().lower()
    if norm not in choices:
        raise TreatyEventError(key, f"unknown {what} '{value}'" + _suggest(norm, choices))
    return norm


def _date(value: object) -> date:
    if isinstance(value, datetime):
        raise TreatyEventError(
            "date", f"must be a date without a time (YYYY-MM-DD), not '{value.isoformat()}'"
        )
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise TreatyEventError("date", f"'{value}' is not a date; expected YYYY-MM-DD") from None
    raise TreatyEventError("date", f"must be a date (YYYY-MM-DD), not {type(value).__name__}")


def _text(raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise TreatyEventError(key, f"must be a string, not {type(value).__name__}")
    value = value.strip()
    return value or None


def parse_event(raw: dict[str, Any], *, origin: str = "user") -> TreatyEvent:
    """Validate one event table (`[[treaty_events]]` or a baseline `[[events]]`) into a TreatyEvent.

    Raises TreatyEventError naming the key: unknown keys (with the nearest known one), missing keys,
    unknown country/treaty/kind (with a suggestion) and malformed dates.
    """
    if origin not in ORIGINS:
        raise ValueError(f"origin must be one of {ORIGINS}, not {origin!r}")
    if not isinstance(raw, dict):
        raise TreatyEventError("event", f"must be a table, not {type(raw).__name__}")
    allowed = _REQUIRED + _OPTIONAL
    for key in raw:
        if key not in allowed:
            raise TreatyEventError(str(key), f"unknown key '{key}'" + _suggest(str(key), allowed))
    for key in _REQUIRED:
        if key not in raw:
            raise TreatyEventError(key, "missing (an event needs country, treaty, kind and date)")
    return TreatyEvent(
        country=_choice(raw, "country", COUNTRIES, "country", upper=True),
        treaty=_choice(raw, "treaty", TREATIES, "treaty", upper=False),
        kind=_choice(raw, "kind", KINDS, "kind", upper=False),
        date=_date(raw["date"]),
        source=_text(raw, "source"),
        note=_text(raw, "note"),
        origin=origin,
    )
