"""Filter bar pieces shared by the list screens."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from textual.widgets import Select
from textual.widgets._select import NoSelection

from store.dashboard import COUNTRY_NAMES

WINDOWS: tuple[tuple[str, str], ...] = (
    ("24 h", "24h"),
    ("7 days", "7d"),
    ("30 days", "30d"),
    ("1 year", "365d"),
)
_SPANS = {
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
    "365d": timedelta(days=365),
}
EXTRA_COUNTRIES = ("PL", "UA", "BY", "RU")


def since_for(window: Any, now: datetime) -> datetime | None:
    """Return the lower time bound of a window choice (None for all time)."""
    span = _SPANS.get(window) if isinstance(window, str) else None
    return now - span if span else None


def country_options(countries: tuple[str, ...]) -> list[tuple[str, str]]:
    codes = list(countries) + [c for c in EXTRA_COUNTRIES if c not in countries]
    return [(f"{c} {COUNTRY_NAMES.get(c, '')}".strip(), c) for c in codes]


def value(select: Select[Any]) -> Any:
    """The selected value, None when blank."""
    v = select.value
    return None if isinstance(v, NoSelection) else v
