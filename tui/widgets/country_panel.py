"""One country's panel: name and code, treaty chips, 24 h / 7 d counts with a 14-day sparkline, latest headlines.

One widget that renders its lines itself (no child widgets): eight panels of five widgets each cost the
dashboard ~40 widget mounts, style passes and layouts on every paint and screen switch.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from store.dashboard import COUNTRY_NAMES, CountrySummary
from tui.widgets.chips import Chip, join_chips, render_chip
from tui.widgets.text import age, safe

CHIP_LINES = 3
"""Lines the chips may take; the counts and the three headlines take the rest."""
BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[int], width: int) -> str:
    """Return `values` as block characters, each value repeated to fill up to `width` cells (at least one)."""
    if not values:
        return ""
    top = max(values) or 1
    each = max(1, min(3, width // len(values)))
    return "".join(BARS[min(7, (v * 7 + top - 1) // top)] * each for v in values)


def chip_text(chips: Sequence[Chip], today: date, width: int, *, full_dates: bool) -> Text:
    """The chips wrapped to `width` (lines break only between chips). With `full_dates`, chips show their
    full date (`Ottawa ✗ withdrawn 2026-01-10`) in order, as long as each fits the width and all of them
    still fit in CHIP_LINES lines; the others keep the year."""
    shown = [render_chip(c, today, short=True) for c in chips]
    if full_dates:
        for i, chip in enumerate(chips):
            full = render_chip(chip, today, short=False)
            if full.plain == shown[i].plain or full.cell_len > width:
                continue
            trial = [*shown[:i], full, *shown[i + 1 :]]
            if join_chips(trial, width).plain.count("\n") < CHIP_LINES:
                shown = trial
    return join_chips(shown, width)


class CountryPanel(Widget, can_focus=True):
    """Focusable; Enter or a click posts `CountryPanel.Selected`."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"country-panel--spark"}
    BINDINGS: ClassVar[list[Binding]] = [Binding("enter", "select", "Open country", show=True)]

    full_dates: bool = False
    """Show full dates on withdrawn chips (the dashboard sets it on wide terminals)."""

    class Selected(Message):
        def __init__(self, code: str) -> None:
            super().__init__()
            self.code = code

    def __init__(self, code: str, **kwargs: object) -> None:
        super().__init__(id=f"panel-{code.lower()}", classes="country-panel", **kwargs)  # type: ignore[arg-type]
        self.code = code
        self.summary: CountrySummary | None = None
        self._chips: tuple[list[Chip], date] | None = None
        self._now: datetime | None = None
        self.border_title = f"{COUNTRY_NAMES.get(code, code)} · {code}"

    def show(self, summary: CountrySummary, chips: list[Chip], now: datetime, today: date) -> None:
        self.summary = summary
        self._now = now
        if chips:
            self._chips = (chips, today)
        self.refresh()

    def show_chips(self, chips: list[Chip], today: date) -> None:
        self._chips = (chips, today)
        self.refresh()

    def set_full_dates(self, full: bool) -> None:
        if full != self.full_dates:
            self.full_dates = full
            self.refresh()

    # ------------------------------------------------------------------------------------ the lines

    def chips_text(self) -> Text:
        if self._chips is None:
            return Text("treaties…", style="dim", end="")
        chips, today = self._chips
        return chip_text(chips, today, self.content_size.width or 34, full_dates=self.full_dates)

    def counts_text(self) -> Text:
        s = self.summary
        t = Text(end="", no_wrap=True)
        if s is None:
            return t
        t.append(f"{s.count_24h}", style="bold")
        t.append(" 24h ", style="dim")
        t.append(f"{s.count_7d}", style="bold")
        t.append(" 7d", style="dim")
        t.pad_right(max(0, 14 - t.cell_len))
        t.append(" ")
        room = (self.content_size.width or 34) - t.cell_len
        t.append(
            sparkline(s.daily, room),
            style=self.get_component_rich_style("country-panel--spark", default=Style()),
        )
        return t

    def headlines_text(self) -> Text:
        s = self.summary
        if s is None:
            return Text("loading…", style="dim", end="")
        lines = Text(end="", no_wrap=True, overflow="ellipsis")
        if not s.headlines:
            lines.append("no articles yet", style="dim italic")
        width = self.content_size.width or 34
        for i, h in enumerate(s.headlines):
            if i:
                lines.append("\n")
            line = Text(f"{age(h.published_at, self._now) if self._now else '?':>4} ", style="dim", end="")
            line.append_text(safe(h.title, max_len=200))
            line.truncate(width, overflow="ellipsis")
            lines.append_text(line)
        return lines

    def render(self) -> Text:
        chips = self.chips_text()
        pad = CHIP_LINES - 1 - chips.plain.count("\n")
        out = Text(end="", no_wrap=True, overflow="ellipsis")
        out.append_text(chips)
        out.append("\n" * max(1, pad + 1))
        out.append_text(self.counts_text())
        out.append("\n")
        out.append_text(self.headlines_text())
        return out

    def action_select(self) -> None:
        self.post_message(self.Selected(self.code))

    def on_click(self) -> None:
        self.post_message(self.Selected(self.code))
