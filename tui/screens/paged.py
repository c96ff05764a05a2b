"""A screen showing one keyset-paged table with filters: the Articles and Statements screens.

The first page is PAGE rows (a reload of the same filters keeps up to MAX_RELOAD, so cursor and scroll survive a
live refresh); moving the cursor near the end fetches the next page. Queries run in workers; a generation counter
drops results of queries that a newer filter change has overtaken.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import sqlite_utils
from textual import on, work
from textual.timer import Timer
from textual.widgets import DataTable, Input, Select

from tui.screens.base import BaseScreen, deliver
from tui.widgets.tables import append_rows, sync_rows

PAGE = 100
MAX_RELOAD = 1000


class PagedScreen(BaseScreen):
    """Subclasses set TABLE_ID and SEARCH_ID and implement `filters`, `fetch`, `cells` and `update_info`."""

    TABLE_ID: ClassVar[str] = ""
    """The results table; subclasses also set FOCUS to it."""
    SEARCH_ID: ClassVar[str] = ""
    """The text input whose typing reloads (debounced) and whose Enter focuses the results."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Any] = []
        self._exhausted = False
        self._more_pending = False
        self._debounce: Timer | None = None
        self._generation = 0
        self._focus_results = False
        self._last_filters: dict[str, Any] | None = None

    # ------------------------------------------------------------------------------------ to implement

    def filters(self) -> dict[str, Any]:
        raise NotImplementedError

    def fetch(
        self, db: sqlite_utils.Database, *, limit: int, before: tuple[str, int] | None, **filters: Any
    ) -> Sequence[Any]:
        """Rows newest first (each with .id and .published_at), older than `before` when given."""
        raise NotImplementedError

    def cells(self, row: Any) -> tuple[object, ...]:
        raise NotImplementedError

    def update_info(self) -> None:
        """Refresh the line under the table (counts, empty-state hint)."""

    # ------------------------------------------------------------------------------------ shared

    @property
    def table(self) -> DataTable:
        return self.query_one(f"#{self.TABLE_ID}", DataTable)

    def focus_search(self) -> bool:
        self.query_one(f"#{self.SEARCH_ID}", Input).focus()
        return True

    def apply_filter(self, **filters: Any) -> None:
        if "country" in filters:
            with self.prevent(Select.Changed):
                self.query_one("#country", Select).value = filters["country"] or Select.NULL
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        filters = self.filters()
        same = filters == self._last_filters
        self._last_filters = filters
        limit = min(MAX_RELOAD, max(PAGE, len(self._rows))) if same else PAGE
        self._load(filters, limit, self._generation)

    @work(thread=True, exclusive=True, group="page")
    def _load(self, filters: dict[str, Any], limit: int, generation: int) -> None:
        with self.nw.reader() as db:
            rows = self.fetch(db, limit=limit, before=None, **filters)
        deliver(self, self._show, rows, limit, generation)

    def _show(self, rows: Sequence[Any], limit: int, generation: int) -> None:
        if generation != self._generation:
            return
        self._rows = list(rows)
        self._exhausted = len(rows) < limit
        sync_rows(self.table, [(str(r.id), self.cells(r)) for r in rows])
        if self._focus_results:
            self._focus_results = False
            self.table.focus()
        self.update_info()

    @work(thread=True, exclusive=True, group="page-more")
    def _load_more(self, filters: dict[str, Any], before: tuple[str, int], generation: int) -> None:
        with self.nw.reader() as db:
            rows = self.fetch(db, limit=PAGE, before=before, **filters)
        deliver(self, self._show_more, rows, generation)

    def _show_more(self, rows: Sequence[Any], generation: int) -> None:
        self._more_pending = False
        if generation != self._generation:
            return
        self._rows.extend(rows)
        self._exhausted = len(rows) < PAGE
        append_rows(self.table, [(str(r.id), self.cells(r)) for r in rows])
        self.update_info()

    @on(DataTable.RowHighlighted)
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id != self.TABLE_ID:
            return
        if self._exhausted or self._more_pending or not self._rows:
            return
        if event.cursor_row >= event.data_table.row_count - 20:
            self._more_pending = True
            last = self._rows[-1]
            self._load_more(self.filters(), (last.published_at, last.id), self._generation)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        self.reload()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input.id != self.SEARCH_ID:
            return
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(0.25, self.reload)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id != self.SEARCH_ID:
            return
        if self._debounce is not None:
            self._debounce.stop()
        # Focus the results once they are shown: focusing now would restyle and repaint the old rows first.
        self._focus_results = True
        self.reload()
