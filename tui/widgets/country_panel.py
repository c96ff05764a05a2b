"""One country's panel: name and code, treaty chips, 24 h / 7 d counts with a 14-day sparkline, latest headlines."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Sparkline, Static

from store.dashboard import COUNTRY_NAMES, CountrySummary
from tui.widgets.chips import Chip, render_chips
from tui.widgets.text import age, safe


class CountryPanel(Vertical, can_focus=True):
    """Focusable; Enter or a click posts `CountryPanel.Selected`."""

    BINDINGS: ClassVar[list[Binding]] = [Binding("enter", "select", "Open country", show=True)]

    class Selected(Message):
        def __init__(self, code: str) -> None:
            super().__init__()
            self.code = code

    def __init__(self, code: str, **kwargs: object) -> None:
        super().__init__(id=f"panel-{code.lower()}", classes="country-panel", **kwargs)  # type: ignore[arg-type]
        self.code = code
        self.summary: CountrySummary | None = None
        self.border_title = f"{COUNTRY_NAMES.get(code, code)} · {code}"

    def compose(self) -> ComposeResult:
        yield Static(Text("treaties…", style="dim"), classes="chips")
        with Horizontal(classes="counts-row"):
            yield Static("", classes="counts")
            yield Sparkline([0] * 14, classes="spark")
        yield Static(Text("loading…", style="dim"), classes="headlines")

    def show(self, summary: CountrySummary, chips: list[Chip], now: datetime, today: date) -> None:
        self.summary = summary
        if chips:
            self.show_chips(chips, today)
        counts = Text(end="", no_wrap=True)
        counts.append(f"{summary.count_24h}", style="bold")
        counts.append(" 24h ", style="dim")
        counts.append(f"{summary.count_7d}", style="bold")
        counts.append(" 7d", style="dim")
        self.query_one(".counts", Static).update(counts)
        self.query_one(Sparkline).data = list(summary.daily)
        lines = Text(end="", no_wrap=True, overflow="ellipsis")
        if not summary.headlines:
            lines.append("no articles yet", style="dim italic")
        for i, h in enumerate(summary.headlines):
            if i:
                lines.append("\n")
            lines.append(f"{age(h.published_at, now):>4} ", style="dim")
            lines.append_text(safe(h.title, max_len=200))
        self.query_one(".headlines", Static).update(lines)

    def show_chips(self, chips: list[Chip], today: date) -> None:
        self._chips = (chips, today)
        self._render_chips()

    def _render_chips(self) -> None:
        chips, today = getattr(self, "_chips", ([], None))
        if today is None:
            return
        widget = self.query_one(".chips", Static)
        widget.update(render_chips(chips, today, short=True, width=widget.content_size.width or 34))

    def on_resize(self) -> None:
        self.call_after_refresh(self._render_chips)

    def action_select(self) -> None:
        self.post_message(self.Selected(self.code))

    def on_click(self) -> None:
        self.post_message(self.Selected(self.code))
