"""Statements: every quote with speaker, role, speaker's country and outlet; filter by speaker, country, time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlite_utils
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select, Static

from store.dashboard import StatementRow, recent_statements
from tui.messages import OpenArticle
from tui.screens.dashboard_screen import statement_cells
from tui.screens.paged import PagedScreen
from tui.widgets.filters import WINDOWS, country_options, since_for, value
from tui.widgets.tables import LiveTable


class StatementsScreen(PagedScreen):
    TITLE_TEXT = "Statements"
    MODE = "statements"
    TABLE_ID = "statements"
    FOCUS = "#statements"
    SEARCH_ID = "speaker"

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

    def filters(self) -> dict[str, Any]:
        return {
            "speaker": self.query_one("#speaker", Input).value.strip() or None,
            "country": value(self.query_one("#country", Select)),
            "since": since_for(value(self.query_one("#window", Select)), self.nw.now()),
        }

    def fetch(
        self, db: sqlite_utils.Database, *, limit: int, before: tuple[str, int] | None, **filters: Any
    ) -> Sequence[StatementRow]:
        return recent_statements(db, limit=limit, before=before, **filters)

    def cells(self, row: StatementRow) -> tuple[object, ...]:
        return statement_cells(row, self.nw.now(), max(40, self.size.width - 80))

    def update_info(self) -> None:
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

    @on(DataTable.RowSelected, "#statements")
    def _open(self, event: DataTable.RowSelected) -> None:
        sid = int(event.row_key.value or 0)
        for s in self._rows:
            if s.id == sid:
                self.post_message(OpenArticle(s.article_id))
                return
