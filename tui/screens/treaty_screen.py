"""Treaty matrix: countries x treaties; a selected cell shows its dated history, sources and news signals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from store.dashboard import COUNTRY_NAMES, SignalRow, treaty_signals
from tui.messages import OpenArticle
from tui.screens.base import BaseScreen, deliver
from tui.widgets.chips import CHIP_TREATIES, Chip, label, render_chip, treaties_available
from tui.widgets.tables import LiveTable, sync_rows
from tui.widgets.text import local_time, safe


def all_treaties() -> tuple[str, ...]:
    try:
        from store.treaties.model import TREATIES
    except ImportError:
        return CHIP_TREATIES
    order = [t for t in CHIP_TREATIES if t in TREATIES]
    return tuple(order + [t for t in TREATIES if t not in order])


def legend(reviewed: date | None) -> Text:
    """The day the shipped treaty baseline was last reviewed against its sources, then the symbols."""
    t = Text(end="")
    if reviewed is not None:
        t.append(f"baseline reviewed {reviewed.isoformat()}", style="bold")
        t.append("  ·  ", style="dim")
    t.append(
        "✓ party (year)  ✎ signatory  – not party  ⚠ exit announced  ⏳ exit pending (countdown)  "
        "✗ withdrawn  ⏸ suspended  ≟ disputed  ⚑ unconfirmed news signal",
        style="dim",
    )
    return t


def baseline_reviewed() -> date | None:
    """The baseline's review date (None when the treaty registry is not installed)."""
    try:
        from store.treaties import baseline_reviewed as reviewed
    except ImportError:
        return None
    return reviewed()


def render_history(chip: Chip, today: date) -> Text:
    """The dated events behind a status (from `store.treaties`), with their sources."""
    out = Text(end="")
    out.append(f"{COUNTRY_NAMES.get(chip.country, chip.country)} · {label(chip.treaty)}: ", style="bold")
    out.append_text(render_chip(chip, today))
    out.append(f"  ({chip.status.replace('_', ' ')})", style="dim")
    if chip.since:
        out.append(f"  since {chip.since.isoformat()}")
    if chip.effective:
        out.append(f"  effective {chip.effective.isoformat()}")
    out.append("\n")
    events = getattr(chip.raw, "events", None) or ()
    if chip.status == "unknown":
        out.append("Treaty registry not available in this build.\n", style="italic dim")
    elif not events:
        out.append("No recorded events.\n", style="dim")
    for ev in events:
        d = getattr(ev, "date", None)
        out.append(f"{d.isoformat() if isinstance(d, date) else str(d or '?'):>10}  ", style="bold")
        out.append_text(safe(str(getattr(ev, "kind", "")).replace("_", " "), max_len=30))
        origin = getattr(ev, "origin", "")
        if origin == "user":
            out.append(" [your config]", style="cyan")
        note = getattr(ev, "note", None)
        if note:
            out.append(" — ")
            out.append_text(safe(note, max_len=200, style="dim"))
        src = getattr(ev, "source", None)
        if src:
            out.append("\n            source: ", style="dim")
            out.append_text(safe(src, max_len=200, style="underline"))
        out.append("\n")
    for r in getattr(chip.raw, "remarks", None) or ():
        out.append("note: ", style="bold yellow")
        out.append_text(safe(getattr(r, "note", ""), max_len=300))
        if getattr(r, "source", None):
            out.append_text(safe(f" ({r.source})", max_len=200, style="dim"))
        out.append("\n")
    if chip.signals:
        out.append(
            f"{chip.signals} news signal(s) newer than the registry: unconfirmed until an event is recorded.\n",
            style="italic yellow",
        )
    return out


class TreatyScreen(BaseScreen):
    TITLE_TEXT = "Treaty matrix"
    MODE = "treaties"
    FOCUS = "#matrix"

    def __init__(self) -> None:
        super().__init__()
        self.treaties = all_treaties()
        self.chips: dict[tuple[str, str], Chip] = {}
        self._signals: list[SignalRow] = []

    def body(self) -> ComposeResult:
        table = LiveTable(id="matrix", cursor_type="cell")
        table.add_column("Country", key="country", width=14)
        for t in self.treaties:
            table.add_column(label(t), key=t, width=24)
        yield table
        yield Static(legend(None), id="treaty-legend")
        with VerticalScroll(id="treaty-detail"):
            yield Static(
                Text("Move to a cell to see its history; Enter opens a signal's article.", style="dim"),
                id="treaty-history",
            )
            yield Static(Text("News signals (unconfirmed)", style="bold"), classes="section-title")
            signals = LiveTable(id="treaty-signals", cursor_type="row")
            signals.add_columns("Published", "Signal", "Stated date", "Outlet", "Article")
            yield signals

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="treaty-matrix")
    def _load(self) -> None:
        app = self.nw
        with app.reader() as db:
            chips = app.chips(db, self.treaties)
        deliver(self, self._show, chips, baseline_reviewed())

    def _show(self, chips: dict[tuple[str, str], Chip], reviewed: date | None = None) -> None:
        self.query_one("#treaty-legend", Static).update(legend(reviewed))
        self.chips = chips
        today = self.nw.now().date()
        rows = []
        for c in self.nw.countries:
            cells: list[object] = [Text(f"{c} {COUNTRY_NAMES.get(c, '')}", style="bold")]
            for t in self.treaties:
                chip = chips.get((c, t)) or Chip(c, t, "unknown")
                cells.append(render_chip(chip, today, with_label=False))
            rows.append((c, cells))
        sync_rows(self.query_one("#matrix", DataTable), rows)
        self._cell_changed()
        if not treaties_available():
            self.notify("Treaty registry not installed: statuses show as unknown.", severity="warning")

    def _current(self) -> tuple[str, str] | None:
        table = self.query_one("#matrix", DataTable)
        if table.row_count == 0:
            return None
        row, col = table.cursor_coordinate
        col = max(col, 1)
        if col - 1 >= len(self.treaties) or row >= len(self.nw.countries):
            return None
        return self.nw.countries[row], self.treaties[col - 1]

    @on(DataTable.CellHighlighted, "#matrix")
    def _cell_changed(self, event: Any = None) -> None:
        cur = self._current()
        if cur is None:
            return
        chip = self.chips.get(cur) or Chip(cur[0], cur[1], "unknown")
        self.query_one("#treaty-history", Static).update(render_history(chip, self.nw.now().date()))
        self._load_signals(*cur)

    @on(DataTable.CellSelected, "#matrix")
    def _cell_selected(self, event: DataTable.CellSelected) -> None:
        signals = self.query_one("#treaty-signals", DataTable)
        if signals.row_count:
            signals.focus()

    @work(thread=True, exclusive=True, group="treaty-signals")
    def _load_signals(self, country: str, treaty: str) -> None:
        with self.nw.reader() as db:
            rows = treaty_signals(db, country=country, treaty=treaty)
        deliver(self, self._show_signals, rows)

    def _show_signals(self, rows: Sequence[SignalRow]) -> None:
        self._signals = list(rows)
        now = self.nw.now()
        sync_rows(
            self.query_one("#treaty-signals", DataTable),
            [
                (
                    str(s.id),
                    (
                        local_time(s.published_at, now),
                        safe(s.action.replace("_", " "), max_len=24, style="yellow"),
                        safe(s.date or "–", max_len=12),
                        safe(s.outlet, max_len=20, style="dim"),
                        safe(s.title, max_len=90),
                    ),
                )
                for s in rows
            ],
        )

    @on(DataTable.RowSelected, "#treaty-signals")
    def _open_signal(self, event: DataTable.RowSelected) -> None:
        sid = int(event.row_key.value or 0)
        for s in self._signals:
            if s.id == sid:
                self.post_message(OpenArticle(s.article_id))
                return
