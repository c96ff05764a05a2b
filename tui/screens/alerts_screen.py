"""Alerts: what the `[[alerts]]` rules matched, newest first, with their delivery; `m` marks them seen.

Marking seen is the one write the dashboard starts: it calls `store.alerts.mark_seen` in a worker, on a
read-write connection of its own (every other query here runs on read-only ones).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from store import open_db
from store.alerts import Alert, mark_seen, recent_alerts
from tui.messages import OpenArticle
from tui.screens.base import BaseScreen, deliver
from tui.widgets.tables import LiveTable, sync_rows
from tui.widgets.text import local_time, safe

LIMIT = 500
"""Alerts listed (newest first); older ones stay in the database (`nordwatch alerts` lists them too)."""

KIND_LABELS = {"article": "article", "feed_failure": "feed down", "treaty_status": "treaty"}


def delivery_cell(a: Alert) -> Text:
    """`✓ stdout, webhook`, `… command` (still to deliver), `✗ <last error>`."""
    t = Text(end="")
    if a.delivered:
        t.append("✓ " + ", ".join(a.delivered), style="green")
    if a.pending:
        if t:
            t.append("  ")
        t.append("… " + ", ".join(a.pending), style="yellow")
    if a.last_error:
        if t:
            t.append("  ")
        t.append_text(safe("✗ " + a.last_error, max_len=80, style="red"))
    if not t:
        t.append("no channel", style="dim")
    return t


def alert_cells(a: Alert, now: datetime) -> tuple[object, ...]:
    unseen = not a.seen
    return (
        Text("●" if unseen else " ", style="bold yellow"),
        local_time(a.created_at, now),
        safe(a.rule, max_len=24, style="bold" if unseen else ""),
        safe(KIND_LABELS.get(a.kind, a.kind), max_len=10, style="dim"),
        safe(a.title, max_len=120, style="bold" if unseen else ""),
        delivery_cell(a),
    )


class AlertsScreen(BaseScreen):
    TITLE_TEXT = "Alerts"
    MODE = "alerts"
    FOCUS = "#alerts"
    BINDINGS: ClassVar[list[Any]] = [Binding("m", "mark_seen", "Mark all seen")]

    def __init__(self) -> None:
        super().__init__()
        self._alerts: list[Alert] = []
        self._marking = False

    def body(self) -> ComposeResult:
        table = LiveTable(id="alerts", cursor_type="row", zebra_stripes=True)
        table.add_column("", width=1)
        table.add_column("Time", width=12)
        table.add_column("Rule", width=18)
        table.add_column("Kind", width=9)
        table.add_column("Title")
        table.add_column("Delivery", width=40)
        yield table
        yield Static("", id="alerts-info", classes="info-line")

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="alerts")
    def _load(self) -> None:
        with self.nw.reader() as db:
            rows = recent_alerts(db, LIMIT)
        deliver(self, self._show, rows)

    def _show(self, rows: Sequence[Alert]) -> None:
        self._alerts = list(rows)
        now = self.nw.now()
        sync_rows(self.query_one("#alerts", DataTable), [(str(a.id), alert_cells(a, now)) for a in rows])
        info = self.query_one("#alerts-info", Static)
        if not rows:
            info.update(
                Text(
                    "No alerts yet: add [[alerts]] rules to your config (see the README's Alerts section); "
                    "each poll that matches one records it here.",
                    style="italic",
                )
            )
            return
        unseen = sum(not a.seen for a in rows)
        info.update(
            Text(
                f"{len(rows)} alerts, newest first · {unseen} unseen · m marks all seen · "
                "Enter opens an article alert",
                style="dim",
            )
        )

    # ------------------------------------------------------------------------------------ actions

    @on(DataTable.RowSelected, "#alerts")
    def _open(self, event: DataTable.RowSelected) -> None:
        aid = int(event.row_key.value or 0)
        alert = next((a for a in self._alerts if a.id == aid), None)
        if alert is None:
            return
        if alert.article_id is not None:
            self.post_message(OpenArticle(alert.article_id))
        elif alert.url:
            self.notify(
                f"This alert has no article in the database; its link: {safe(alert.url, max_len=100)}",
                markup=False,
            )
        else:
            self.notify("This alert is not about an article (see its title).")

    def action_mark_seen(self) -> None:
        if self._marking:
            return
        shown = [a.id for a in self._alerts if not a.seen]
        if not shown and not self._alerts:
            self.notify("No alerts to mark.")
            return
        self._marking = True
        newest = self._alerts[0].id if self._alerts else 0
        self._mark_seen(shown, newest)

    @work(thread=True, exclusive=True, group="alerts-mark", exit_on_error=False)
    def _mark_seen(self, shown_unseen: list[int], newest_shown: int) -> None:
        app = self.nw
        now = app.now().strftime("%Y-%m-%dT%H:%M:%SZ")
        db = open_db(app.db_path, migrate=False)  # read-write: the dashboard's one write
        try:
            latest = recent_alerts(db, 1)
            if latest and latest[0].id != newest_shown:
                # Alerts arrived since the list was drawn: mark only what the analyst has seen listed.
                n = mark_seen(db, shown_unseen, now=now)
                note = " (newer alerts stay unseen)"
            else:
                n = mark_seen(db, None, now=now)
                note = ""
        finally:
            db.conn.close()
        deliver(self, self._marked, n, note)

    def _marked(self, n: int, note: str) -> None:
        self._marking = False
        self.notify(f"Marked {n} alert{'s' if n != 1 else ''} seen{note}.")
        self.nw.refresh_all()

    def on_worker_state_changed(self, event: Any) -> None:
        if getattr(event.worker, "group", "") == "alerts-mark" and event.state.name in ("ERROR", "CANCELLED"):
            self._marking = False
