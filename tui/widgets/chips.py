"""Treaty chips (`NATO ✓ 2023`, `Ottawa ✗ withdrawn 2026-01-10`, `CCM –`, `CFE ⏸`) and the guarded loader.

`store.treaties` is optional at import time: without it every chip shows as unknown (`?`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.text import Text

from feeds.sanitize import clean_text

CHIP_TREATIES: tuple[str, ...] = ("nato", "ottawa", "ccm", "cfe")
"""Treaties shown as chips on each country panel (the matrix shows every treaty the store knows)."""

LABELS: dict[str, str] = {
    "nato": "NATO",
    "ottawa": "Ottawa",
    "apmbc": "Ottawa",
    "ccm": "CCM",
    "cfe": "CFE",
    "open_skies": "OpenSkies",
    "openskies": "OpenSkies",
    "tpnw": "TPNW",
    "att": "ATT",
    "ctbt": "CTBT",
}

# status -> (symbol, style). Styles are Rich style names resolved against the terminal palette.
SYMBOLS: dict[str, tuple[str, str]] = {
    "party": ("✓", "green"),
    "signatory": ("✎", "cyan"),
    "non_party": ("–", "dim"),
    "withdrawal_announced": ("⚠", "yellow"),
    "withdrawal_pending": ("⏳", "yellow"),
    "withdrawn": ("✗", "red"),
    "suspended": ("⏸", "magenta"),
    "disputed": ("≟", "magenta"),
    "unknown": ("?", "dim"),
}


def label(treaty: str) -> str:
    return LABELS.get(treaty.lower(), clean_text(treaty, single_line=True, max_len=12).upper())


@dataclass(frozen=True, slots=True)
class Chip:
    """What one chip shows: a status from `store.treaties` reduced to display fields."""

    country: str
    treaty: str
    status: str
    since: date | None = None
    effective: date | None = None
    signals: int = 0
    """Unconfirmed news signals (a newer claim than the registry)."""
    raw: Any = None


def _as_date(v: object) -> date | None:
    if isinstance(v, date):
        return v
    if isinstance(v, str) and v:
        try:
            return date.fromisoformat(v[:10])
        except ValueError:
            return None
    return None


def chip_from_status(st: Any) -> Chip:
    sig = getattr(st, "signals", ()) or ()
    return Chip(
        country=str(st.country),
        treaty=str(st.treaty),
        status=str(getattr(st, "status", "unknown") or "unknown"),
        since=_as_date(getattr(st, "since", None)),
        effective=_as_date(getattr(st, "effective", None)),
        signals=len(sig) if isinstance(sig, Sequence | tuple | list) else int(bool(sig)),
        raw=st,
    )


def render_chip(chip: Chip, today: date, *, short: bool = False) -> Text:
    """Return one chip as Text; a pending withdrawal shows a countdown, a news signal a `news?` mark."""
    sym, style = SYMBOLS.get(chip.status, ("?", "dim"))
    t = Text(end="")
    t.append(label(chip.treaty), style="bold")
    t.append(" ")
    t.append(sym, style=style)
    detail = ""
    if chip.status == "party" and chip.since:
        detail = str(chip.since.year)
    elif chip.status == "signatory" and chip.since:
        detail = f"signed {chip.since.year}"
    elif chip.status == "withdrawn":
        when = chip.effective or chip.since
        detail = "withdrawn" + (
            f" {when.isoformat()}" if when and not short else f" {when.year}" if when else ""
        )
    elif chip.status in ("withdrawal_pending", "withdrawal_announced"):
        if chip.effective:
            days = (chip.effective - today).days
            detail = f"out in {days}d" if days >= 0 else f"out {chip.effective.isoformat()}"
        else:
            detail = "exit announced"
    elif chip.status == "suspended":
        detail = "" if short else "suspended"
    elif chip.status == "disputed":
        detail = "disputed"
    if detail:
        t.append(" " + detail, style=style)
    if chip.signals:
        t.append(" news?", style="italic yellow")
    return t


def render_chips(chips: Iterable[Chip], today: date, *, short: bool = False) -> Text:
    out = Text(end="")
    for i, c in enumerate(chips):
        if i:
            out.append("  ")
        out.append_text(render_chip(c, today, short=short))
    return out


def treaties_available() -> bool:
    try:
        import store.treaties  # noqa: F401
    except ImportError:
        return False
    return True


def load_chips(
    db: Any,
    as_of: date,
    countries: Sequence[str],
    treaties: Sequence[str] | None = None,
    user_events: Any = (),
) -> dict[tuple[str, str], Chip]:
    """Return chips keyed by (country, treaty); unknown chips when `store.treaties` is not installed."""
    try:
        from store.treaties import status_matrix
    except ImportError:
        wanted = treaties or CHIP_TREATIES
        return {(c, t): Chip(c, t, "unknown") for c in countries for t in wanted}
    kwargs: dict[str, Any] = {"countries": list(countries), "user_events": user_events}
    if treaties:
        kwargs["treaties"] = list(treaties)
    result = status_matrix(db, as_of, **kwargs)
    return {(str(s.country), str(s.treaty)): chip_from_status(s) for s in result}
