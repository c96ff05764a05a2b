"""The default screen: a grid of country panels and the recent statements, all loaded in one worker."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Static

from store.dashboard import (
    CountrySummary,
    PollStatus,
    StatementRow,
    country_summaries,
    poll_status,
    recent_statements,
)
from tui.messages import FilterCountry, OpenArticle
from tui.screens.base import BaseScreen, alive
from tui.widgets.chips import CHIP_TREATIES, Chip
from tui.widgets.country_panel import CountryPanel
from tui.widgets.tables import LiveTable, sync_rows
from tui.widgets.text import local_time, safe

STATEMENT_LIMIT = 30
WIDE_COLUMNS = 150
"""From this terminal width on (the 4-column grid), chips show full dates (`✗ withdrawn 2026-01-10`)."""


@dataclass(frozen=True)
class DashboardData:
    status: PollStatus
    summaries: Sequence[CountrySummary]
    chips: dict[tuple[str, str], Chip]
    statements: Sequence[StatementRow]


def speaker_cell(s: StatementRow, max_len: int = 34) -> Text:
    t = safe(s.speaker or "unnamed", max_len=max_len, style="bold")
    if s.role:
        t.append(" (")
        t.append_text(safe(s.role, max_len=max(8, max_len - len(t.plain))))
        t.append(")")
    return t


def statement_cells(s: StatementRow, now: datetime, quote_len: int) -> tuple[object, ...]:
    return (
        local_time(s.published_at, now),
        speaker_cell(s),
        safe(s.speaker_country or "–", max_len=3),
        safe(s.quote, max_len=quote_len, style="italic"),
        safe(s.outlet, max_len=22, style="dim"),
    )


class DashboardScreen(BaseScreen):
    TITLE_TEXT = "Dashboard"
    MODE = "dashboard"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [
        (0, "-narrow"),
        (118, "-medium"),
        (WIDE_COLUMNS, "-wide"),
    ]

    def body(self) -> ComposeResult:
        with VerticalScroll(id="dash-scroll"):
            yield Static("", id="empty-state", classes="empty-state hidden")
            with Grid(id="panels"):
                for code in self.nw.countries:
                    yield CountryPanel(code)
            yield Static(
                Text("Recent statements", style="bold"), id="statements-title", classes="section-title"
            )
            table = LiveTable(id="dash-statements", cursor_type="row", zebra_stripes=True)
            table.add_columns("Time", "Speaker (role)", "Ctry", "Quote", "Outlet")
            yield table

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="dashboard")
    def _load(self) -> None:
        """Counts, headlines and statements first (index range scans: they paint at once), then the chips
        (the treaty rule engine reads every news signal; slower on a big database)."""
        from tui.screens.treaty_screen import all_treaties

        app = self.nw
        now = app.now()
        with app.reader() as db:
            data = DashboardData(
                status=poll_status(db),
                summaries=country_summaries(db, app.countries, now),
                chips=self._chips,
                statements=recent_statements(db, limit=STATEMENT_LIMIT),
            )
            # Posted, not awaited (call_from_thread would wait for the UI to take it): the chips are computed
            # meanwhile and usually land before the next frame, so counts and chips paint together.
            self.post_message(self.Loaded(data))
            chips = app.chips(db, all_treaties())
        self.post_message(self.ChipsLoaded(chips))

    class Loaded(Message):
        def __init__(self, data: DashboardData) -> None:
            super().__init__()
            self.data = data

    class ChipsLoaded(Message):
        def __init__(self, chips: dict[tuple[str, str], Chip]) -> None:
            super().__init__()
            self.chips = chips

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        if alive(self):  # (posted by a worker: may arrive as the app shuts down, see deliver)
            self._show(event.data)

    @on(ChipsLoaded)
    def _chips_loaded(self, event: ChipsLoaded) -> None:
        if alive(self):
            self._show_chips(event.chips)

    _chips: dict[tuple[str, str], Chip] = {}  # noqa: RUF012 - replaced, never mutated

    def _show_chips(self, chips: dict[tuple[str, str], Chip]) -> None:
        self._chips = chips
        today = self.nw.now().date()
        wide = self._wide()
        for panel in self.query(CountryPanel):
            panel.full_dates = wide
            panel.show_chips(self._panel_chips(panel.code), today)
        self.nw.warm_up()

    def _wide(self) -> bool:
        """Full dates on the chips on wide terminals; the year alone on narrower ones."""
        return self.size.width >= WIDE_COLUMNS

    def on_resize(self) -> None:
        wide = self._wide()
        for panel in self.query(CountryPanel):
            panel.set_full_dates(wide)

    def _panel_chips(self, code: str) -> list[Chip]:
        return [self._chips[(code, t)] for t in CHIP_TREATIES if (code, t) in self._chips]

    def _quote_len(self) -> int:
        return max(30, self.size.width - 80)

    def _show(self, data: DashboardData) -> None:
        app = self.nw
        now = app.now()
        today = now.date()
        wide = self._wide()
        for s in data.summaries:
            panel = self.query_one(f"#panel-{s.code.lower()}", CountryPanel)
            panel.full_dates = wide
            panel.show(s, self._panel_chips(s.code), now, today)
        table = self.query_one("#dash-statements", DataTable)
        qlen = self._quote_len()
        sync_rows(table, [(str(s.id), statement_cells(s, now, qlen)) for s in data.statements])
        self._statement_articles = {str(s.id): s.article_id for s in data.statements}
        empty = self.query_one("#empty-state", Static)
        msg = self._empty_message(data.status)
        empty.update(msg or "")
        empty.set_class(msg is None, "hidden")
        if not data.statements:
            self.query_one("#statements-title", Static).update(
                Text.assemble(("Recent statements", "bold"), ("  none yet", "dim italic"))
            )

    def _empty_message(self, status: PollStatus) -> Text | None:
        app = self.nw
        if app.config_error:
            return Text.assemble(
                ("Config problem: ", "bold"),
                safe(app.config_error, max_len=300),
                "\nFix it, or write a new one with ",
                ("nordwatch init", "bold"),
                ".",
            )
        if app.config is not None and getattr(app.config, "path", "x") is None and not status.has_articles:
            return Text.assemble(
                ("No config yet. ", "bold"),
                "Create one with ",
                ("nordwatch init", "bold"),
                " (it lists the region's public feeds), then press ",
                ("r", "bold"),
                " to poll. Or try ",
                ("nordwatch demo", "bold"),
                ".",
            )
        if not status.has_articles:
            return Text.assemble(
                ("No articles yet. ", "bold"),
                "Press ",
                ("r", "bold"),
                " to poll the feeds now (or run ",
                ("nordwatch poll", "bold"),
                " from cron).",
            )
        return None

    @on(CountryPanel.Selected)
    def _country(self, event: CountryPanel.Selected) -> None:
        self.post_message(FilterCountry(event.code))

    @on(DataTable.RowSelected, "#dash-statements")
    def _open_statement(self, event: DataTable.RowSelected) -> None:
        article_id = getattr(self, "_statement_articles", {}).get(event.row_key.value)
        if article_id is not None:
            self.post_message(OpenArticle(article_id))
