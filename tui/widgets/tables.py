"""Refresh a DataTable in place: same rows -> update changed cells; new rows -> rebuild keeping the cursor."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import DataTable


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
