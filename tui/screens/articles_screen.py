"""Articles: newest first, filterable by country, treaty, feed, time window and full-text search (FTS5).

Keyset-paged: the first page is 100 rows; moving the cursor near the end fetches the next page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import DataTable, Input, Select, Static

from store.dashboard import ArticleRow, FeedChoice, feed_choices, list_articles
from tui.messages import OpenArticle
from tui.screens.base import BaseScreen
from tui.widgets.chips import CHIP_TREATIES, label
from tui.widgets.filters import WINDOWS, country_options, since_for, value
from tui.widgets.tables import LiveTable, append_rows, sync_rows
from tui.widgets.text import local_time, safe

PAGE = 100
MAX_RELOAD = 1000


def article_cells(a: ArticleRow, now: datetime) -> tuple[object, ...]:
    return (
        local_time(a.published_at, now),
        safe(" ".join(a.countries[:3]) or "–", max_len=11),
        safe(a.outlet, max_len=20, style="dim"),
        safe(a.title, max_len=160),
    )


class ArticlesScreen(BaseScreen):
    TITLE_TEXT = "Articles"
    MODE = "articles"

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[ArticleRow] = []
        self._exhausted = False
        self._more_pending = False
        self._debounce: Timer | None = None
        self._generation = 0
        self._focus_results = False

    def body(self) -> ComposeResult:
        with Horizontal(id="article-filters", classes="filter-bar"):
            yield Input(placeholder="/ search", id="search")
            yield Select(country_options(self.nw.countries), prompt="country", id="country")
            yield Select([(label(t), t) for t in CHIP_TREATIES], prompt="treaty", id="treaty")
            yield Select([], prompt="feed", id="feed")
            yield Select(list(WINDOWS), prompt="time", id="window")
        table = LiveTable(id="articles", cursor_type="row", zebra_stripes=True)
        table.add_column("Time", width=12)
        table.add_column("Ctry", width=11)
        table.add_column("Outlet", width=20)
        table.add_column("Title")
        yield table
        yield Static("", id="articles-info", classes="info-line")

    def on_mount(self) -> None:
        super().on_mount()
        self._load_feeds()
        self.query_one("#articles", DataTable).focus()

    def focus_search(self) -> bool:
        self.query_one("#search", Input).focus()
        return True

    def apply_filter(self, **filters: Any) -> None:
        if "country" in filters:
            with self.prevent(Select.Changed):
                self.query_one("#country", Select).value = filters["country"] or Select.NULL
        self.reload()

    def filters(self) -> dict[str, Any]:
        search = self.query_one("#search", Input).value.strip()
        return {
            "country": value(self.query_one("#country", Select)),
            "treaty": value(self.query_one("#treaty", Select)),
            "feed_id": value(self.query_one("#feed", Select)),
            "since": since_for(value(self.query_one("#window", Select)), self.nw.now()),
            "search": search or None,
        }

    # ------------------------------------------------------------------------------------ loading

    def reload(self) -> None:
        self._generation += 1
        filters = self.filters()
        same = filters == getattr(self, "_last_filters", None)
        self._last_filters = filters
        limit = min(MAX_RELOAD, max(PAGE, len(self._rows))) if same else PAGE
        self._load(filters, limit, self._generation)

    @work(thread=True, exclusive=True, group="articles")
    def _load(self, filters: dict[str, Any], limit: int, generation: int) -> None:
        with self.nw.reader() as db:
            rows = list_articles(db, limit=limit, **filters)
        self.nw.call_from_thread(self._show, rows, limit, generation)

    def _show(self, rows: Sequence[ArticleRow], limit: int, generation: int) -> None:
        if generation != self._generation:
            return
        self._rows = list(rows)
        self._exhausted = len(rows) < limit
        now = self.nw.now()
        table = self.query_one("#articles", DataTable)
        sync_rows(table, [(str(a.id), article_cells(a, now)) for a in rows])
        if self._focus_results:
            self._focus_results = False
            self.query_one("#articles", DataTable).focus()
        self._update_info()

    @work(thread=True, exclusive=True, group="articles-more")
    def _load_more(self, filters: dict[str, Any], before: tuple[str, int], generation: int) -> None:
        with self.nw.reader() as db:
            rows = list_articles(db, limit=PAGE, before=before, **filters)
        self.nw.call_from_thread(self._show_more, rows, generation)

    def _show_more(self, rows: Sequence[ArticleRow], generation: int) -> None:
        self._more_pending = False
        if generation != self._generation:
            return
        self._rows.extend(rows)
        self._exhausted = len(rows) < PAGE
        now = self.nw.now()
        append_rows(
            self.query_one("#articles", DataTable), [(str(a.id), article_cells(a, now)) for a in rows]
        )
        self._update_info()

    def _update_info(self) -> None:
        info = self.query_one("#articles-info", Static)
        f = self.filters()
        if not self._rows:
            hint = (
                "No articles match these filters." if any(f.values()) else "No articles yet: press r to poll."
            )
            info.update(Text(hint, style="italic"))
            return
        more = "" if self._exhausted else "+ (more load as you scroll)"
        info.update(
            Text(f"{len(self._rows)}{more} articles, newest first · Enter reads · / searches", style="dim")
        )

    @work(thread=True, exclusive=True, group="feed-choices")
    def _load_feeds(self) -> None:
        with self.nw.reader() as db:
            choices = feed_choices(db)
        self.nw.call_from_thread(self._set_feeds, choices)

    def _set_feeds(self, choices: Sequence[FeedChoice]) -> None:
        from feeds.sanitize import clean_text

        with self.prevent(Select.Changed):
            self.query_one("#feed", Select).set_options(
                [(clean_text(c.name, single_line=True, max_len=40) or f"feed {c.id}", c.id) for c in choices]
            )

    # ------------------------------------------------------------------------------------ events

    @on(DataTable.RowHighlighted, "#articles")
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        table = event.data_table
        if self._exhausted or self._more_pending or not self._rows:
            return
        if event.cursor_row >= table.row_count - 20:
            self._more_pending = True
            last = self._rows[-1]
            self._load_more(self.filters(), (last.published_at, last.id), self._generation)

    @on(DataTable.RowSelected, "#articles")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.post_message(OpenArticle(int(event.row_key.value or 0)))

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        self.reload()

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(0.25, self.reload)

    @on(Input.Submitted, "#search")
    def _submitted(self, event: Input.Submitted) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        # Focus the results once they are shown: focusing now would restyle and repaint the old rows first.
        self._focus_results = True
        self.reload()
