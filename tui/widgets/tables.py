"""Tables: `LiveTable` (a DataTable that keeps its render caches across screen switches) and in-place
refreshes (same rows -> update changed cells; new rows -> rebuild keeping the cursor)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable


class LiveTable(DataTable[Any]):
    """A DataTable whose rendered cells survive a screen switch.

    Textual re-applies CSS to every widget of a screen each time it is shown, and DataTable answers any style
    update by dropping every rendered cell: switching to a screen re-rendered each visible cell (twice on a
    first visit), 100-600 cells at 1-2 ms each. Here the caches are dropped only when what a cell looks like
    can have changed: the widget's own style or one of its component styles (a theme or CSS change). Cursor,
    hover and focus are already part of DataTable's cache keys.
    """

    _style_key: tuple[Style, ...] | None = None
    _style_dirty: bool = True

    def notify_style_update(self) -> None:
        Widget.notify_style_update(self)  # the widget's own style caches (cheap); the table's wait for render
        self._style_dirty = True
        self.refresh()

    def _current_style_key(self) -> tuple[Style, ...]:
        names = sorted(self._get_component_classes())
        return (self.rich_style, *(self.get_component_rich_style(n, default=Style()) for n in names))

    def render_lines(self, crop: Region) -> list[Strip]:
        if self._style_dirty:
            # Component styles are updated after notify_style_update, so compare here, just before painting.
            self._style_dirty = False
            key = self._current_style_key()
            if key != self._style_key:
                self._style_key = key
                self._clear_caches()
        return super().render_lines(crop)


def current_key(table: DataTable) -> str | None:
    """Return the row key under the cursor (None when the table is empty)."""
    if table.row_count == 0:
        return None
    try:
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    except Exception:  # the cursor can be out of range for a moment after a clear
        return None


def sync_rows(table: DataTable, rows: Sequence[tuple[str, Sequence[object]]]) -> None:
    """Make `table` show `rows` ((key, cells) pairs) keeping the cursor on the same row key and that row at
    the same place on screen."""
    old_keys = [k.value for k in table.rows]
    new_keys = [k for k, _ in rows]
    if old_keys == new_keys:
        columns = list(table.columns)
        for key, cells in rows:
            for col, value in zip(columns, cells, strict=False):
                if table.get_cell(key, col) != value:
                    table.update_cell(key, col, value)
        return
    cursor = current_key(table)
    old_index = table.cursor_row
    scroll_y = table.scroll_y
    table.clear()
    for key, cells in rows:
        table.add_row(*cells, key=key)
    if cursor is not None and cursor in new_keys:
        new_index = new_keys.index(cursor)
        table.move_cursor(row=new_index, animate=False, scroll=False)
        table.scroll_to(y=max(0, scroll_y + new_index - old_index), animate=False, immediate=True)
    elif rows:
        table.move_cursor(row=min(old_index, len(rows) - 1), animate=False, scroll=False)
        table.scroll_to(y=scroll_y, animate=False, immediate=True)


def append_rows(table: DataTable, rows: Sequence[tuple[str, Sequence[object]]]) -> None:
    """Add rows at the end (the next page), skipping keys already shown."""
    for key, cells in rows:
        if key not in table.rows:
            table.add_row(*cells, key=key)
