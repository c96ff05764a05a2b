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
    deferred: bool = False
    """A withdrawal held back by the armed-conflict rule (no effective date while it lasts)."""
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
        deferred=bool(getattr(st, "deferred", False)),
        raw=st,
    )


NBSP = " "
"""Joins the parts of one chip (`render_chips` breaks lines only between chips)."""


def render_chip(chip: Chip, today: date, *, short: bool = False, with_label: bool = True) -> Text:
    """Return one chip as Text; a pending withdrawal shows a countdown, a news signal a `news?` mark."""
    sym, style = SYMBOLS.get(chip.status, ("?", "dim"))
    t = Text(end="")
    if with_label:
        t.append(label(chip.treaty), style="bold")
        t.append(NBSP)
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
        elif chip.deferred:
            detail = "exit deferred"
        elif chip.status == "withdrawal_pending":
            detail = "exit pending"
        else:
            detail = "exit announced"
    elif chip.status == "suspended":
        detail = "" if short else "suspended"
    elif chip.status == "disputed":
        detail = "disputed"
    if detail:
        t.append(NBSP + detail.replace(" ", NBSP), style=style)
    if chip.signals:
        t.append(NBSP + "news?" if with_label else "⚑", style="italic yellow")
    return t


def render_chips(chips: Iterable[Chip], today: date, *, short: bool = False, width: int = 0) -> Text:
    """Join chips with two spaces, breaking lines only between chips when `width` is given."""
    return join_chips([render_chip(c, today, short=short) for c in chips], width)


def join_chips(rendered: Iterable[Text], width: int = 0) -> Text:
    """Join rendered chips with two spaces, breaking lines only between chips when `width` is given."""
    out = Text(end="")
    line = 0
    for i, chip in enumerate(rendered):
        n = chip.cell_len
        if i:
            if width and line + 2 + n > width:
                out.append("\n")
                line = 0
            else:
                out.append("  ")
                line += 2
        out.append_text(chip)
        line += n
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
    wanted = list(treaties or CHIP_TREATIES)
    try:
        from store.treaties import COUNTRIES, TREATIES, status_matrix
    except ImportError:
        return {(c, t): Chip(c, t, "unknown") for c in countries for t in wanted}
    known_c = [c for c in countries if c in COUNTRIES]
    known_t = [t for t in wanted if t in TREATIES]
    out = {(c, t): Chip(c, t, "unknown") for c in countries for t in wanted}
    if known_c and known_t:
        result = status_matrix(db, as_of, countries=known_c, treaties=known_t, user_events=user_events)
        out.update({(str(s.country), str(s.treaty)): chip_from_status(s) for s in result})
    return out
