"""Statements: every quote with speaker, role, speaker's country and outlet; filter by speaker, country, time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import DataTable, Input, Select, Static

from store.dashboard import StatementRow, recent_statements
from tui.messages import OpenArticle
from tui.screens.base import BaseScreen
from tui.screens.dashboard_screen import statement_cells
from tui.widgets.filters import WINDOWS, country_options, since_for, value
from tui.widgets.tables import LiveTable, append_rows, sync_rows

PAGE = 100
MAX_RELOAD = 1000


class StatementsScreen(BaseScreen):
    TITLE_TEXT = "Statements"
    MODE = "statements"

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[StatementRow] = []
        self._exhausted = False
        self._more_pending = False
        self._debounce: Timer | None = None
        self._generation = 0
        self._focus_results = False
        self._last_filters: dict[str, Any] | None = None

    def body(self) -> ComposeResult:
        with Horizontal(id="statement-filters", classes="filter-bar"):
            yield Input(placeholder="speaker", id="speaker")
            yield Select(country_options(self.nw.countries), prompt="country", id="country")
            yield Select(list(WINDOWS), prompt="time", id="window")
        table = LiveTable(id="statements", cursor_type="row", zebra_stripes=True)
        table.add_column("Time", width=12)
        table.add_column("Speaker (role)", width=34)
        table.add_column("Ctry", width=4)
        table.add_column("Quote")
        table.add_column("Outlet", width=22)
        yield table
        yield Static("", id="statements-info", classes="info-line")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#statements", DataTable).focus()

    def focus_search(self) -> bool:
        self.query_one("#speaker", Input).focus()
        return True

    def apply_filter(self, **filters: Any) -> None:
        if "country" in filters:
            with self.prevent(Select.Changed):
                self.query_one("#country", Select).value = filters["country"] or Select.NULL
        self.reload()

    def filters(self) -> dict[str, Any]:
        return {
            "speaker": self.query_one("#speaker", Input).value.strip() or None,
            "country": value(self.query_one("#country", Select)),
            "since": since_for(value(self.query_one("#window", Select)), self.nw.now()),
        }

    def _quote_len(self) -> int:
        return max(40, self.size.width - 80)

    def reload(self) -> None:
        self._generation += 1
        filters = self.filters()
        same = filters == self._last_filters
        self._last_filters = filters
        limit = min(MAX_RELOAD, max(PAGE, len(self._rows))) if same else PAGE
        self._load(filters, limit, self._generation)

    @work(thread=True, exclusive=True, group="statements")
    def _load(self, filters: dict[str, Any], limit: int, generation: int) -> None:
        with self.nw.reader() as db:
            rows = recent_statements(db, limit=limit, **filters)
        self.nw.call_from_thread(self._show, rows, limit, generation)

    def _show(self, rows: Sequence[StatementRow], limit: int, generation: int) -> None:
        if generation != self._generation:
            return
        self._rows = list(rows)
        self._exhausted = len(rows) < limit
        now, q = self.nw.now(), self._quote_len()
        sync_rows(
            self.query_one("#statements", DataTable), [(str(s.id), statement_cells(s, now, q)) for s in rows]
        )
        if self._focus_results:
            self._focus_results = False
            self.query_one("#statements", DataTable).focus()
        self._update_info()

    @work(thread=True, exclusive=True, group="statements-more")
    def _load_more(self, filters: dict[str, Any], before: tuple[str, int], generation: int) -> None:
        with self.nw.reader() as db:
            rows = recent_statements(db, limit=PAGE, before=before, **filters)
        self.nw.call_from_thread(self._show_more, rows, generation)

    def _show_more(self, rows: Sequence[StatementRow], generation: int) -> None:
        self._more_pending = False
        if generation != self._generation:
            return
        self._rows.extend(rows)
        self._exhausted = len(rows) < PAGE
        now, q = self.nw.now(), self._quote_len()
        append_rows(
            self.query_one("#statements", DataTable), [(str(s.id), statement_cells(s, now, q)) for s in rows]
        )
        self._update_info()

    def _update_info(self) -> None:
        info = self.query_one("#statements-info", Static)
        if not self._rows:
            hint = (
                "No statements match these filters."
                if any(self.filters().values())
                else ("No statements yet: they are quotes found in articles; press r to poll.")
            )
            info.update(Text(hint, style="italic"))
            return
        more = "" if self._exhausted else "+"
        info.update(
            Text(f"{len(self._rows)}{more} statements, newest first · Enter opens the article", style="dim")
        )

    @on(DataTable.RowHighlighted, "#statements")
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        if self._exhausted or self._more_pending or not self._rows:
            return
        if event.cursor_row >= event.data_table.row_count - 20:
            self._more_pending = True
            last = self._rows[-1]
            self._load_more(self.filters(), (last.published_at, last.id), self._generation)

    @on(DataTable.RowSelected, "#statements")
    def _open(self, event: DataTable.RowSelected) -> None:
        sid = int(event.row_key.value or 0)
        for s in self._rows:
            if s.id == sid:
                self.post_message(OpenArticle(s.article_id))
                return

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        self.reload()

    @on(Input.Changed, "#speaker")
    def _typed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(0.25, self.reload)

    @on(Input.Submitted, "#speaker")
    def _submitted(self, event: Input.Submitted) -> None:
        # Focus the results once they are shown: focusing now would restyle and repaint the old rows first.
        self._focus_results = True
        self.reload()
