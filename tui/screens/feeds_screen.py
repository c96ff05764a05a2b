"""Feeds: the health table, broken feeds first."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from store.dashboard import FeedHealth, feed_health
from tui.screens.base import BaseScreen, deliver
from tui.widgets.tables import LiveTable, sync_rows
from tui.widgets.text import ago, safe, until

OUTCOME_STYLE = {
    "ok": "green",
    "not_modified": "green",
    "unchanged": "green",
    "error": "bold red",
    "never": "dim",
}


def feed_cells(f: FeedHealth, now: datetime) -> tuple[object, ...]:
    status = f.outcome or "?"
    if f.last_status and f.outcome == "error":
        status = f"error {f.last_status}"
    nxt = until(f.next_check_at, now) if f.enabled else "—"
    return (
        Text(status, style=OUTCOME_STYLE.get(f.outcome, "yellow" if f.broken else "")),
        safe(f.name, max_len=32, style="bold" if f.broken else ""),
        ago(f.last_success_at, now),
        Text(str(f.error_count), style="red" if f.error_count else "dim"),
        safe(f.last_error or "", max_len=70, style="red"),
        nxt,
        str(f.items_seen),
    )


class FeedsScreen(BaseScreen):
    TITLE_TEXT = "Feeds"
    MODE = "feeds"
    FOCUS = "#feeds"

    def body(self) -> ComposeResult:
        table = LiveTable(id="feeds", cursor_type="row", zebra_stripes=True)
        table.add_column("Status", width=10)
        table.add_column("Feed", width=32)
        table.add_column("Last success", width=12)
        table.add_column("Errors", width=6)
        table.add_column("Last error")
        table.add_column("Next check", width=11)
        table.add_column("Items", width=6)
        yield table
        yield Static("", id="feeds-info", classes="info-line")

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="feeds")
    def _load(self) -> None:
        with self.nw.reader() as db:
            rows = feed_health(db)
        deliver(self, self._show, rows)

    def _show(self, rows: Sequence[FeedHealth]) -> None:
        now = self.nw.now()
        sync_rows(self.query_one("#feeds", DataTable), [(str(f.id), feed_cells(f, now)) for f in rows])
        broken = sum(f.broken for f in rows)
        info = self.query_one("#feeds-info", Static)
        if not rows:
            info.update(
                Text(
                    "No feeds yet: add some with `nordwatch init` (or edit the config), then press r.",
                    style="italic",
                )
            )
        else:
            info.update(
                Text(f"{len(rows)} feeds · {broken} failing · r polls now", style="red" if broken else "dim")
            )
