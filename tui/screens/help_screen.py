"""`?`: the keys and screens, in a modal."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: tuple[tuple[str, str], ...] = (
    ("1", "Dashboard: country panels, treaty chips, recent statements"),
    ("2", "Treaty matrix: countries x treaties; Enter on a cell shows its history and news signals"),
    ("3", "Articles: filter by country, treaty, feed, time; full-text search"),
    ("4", "Statements: who said what; filter by speaker, country, time"),
    ("5", "Feeds: health, broken feeds first"),
    ("6", "Alerts: what your [[alerts]] rules matched, and their delivery; the header counts unseen ones"),
    ("/", "Search articles (or this screen's filter)"),
    ("Enter", "Open the selected country / article / statement's article"),
    ("o", "In the reader: open the article's link in the browser"),
    ("m", "In Alerts: mark all alerts seen"),
    ("Esc", "Back (close the reader or this help)"),
    ("r", "Poll the feeds now (a cron poll already running is reported, not raced)"),
    ("Ctrl+P", "Command palette (screens, countries, poll, search)"),
    ("Tab", "Move between panels, filters and tables"),
    ("q", "Quit"),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[Any]] = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        for k, text in KEYS:
            table.add_row(Text(k), Text(text))  # literal: `[[alerts]]` is not markup
        with VerticalScroll(id="help-box"):
            yield Static("nordwatch: keys", classes="section-title")
            yield Static(table)
            yield Static(
                "The dashboard refreshes by itself when a poll (cron or r) writes new data.", classes="dim"
            )

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(None)
