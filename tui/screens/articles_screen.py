"""Articles: newest first, filterable by country, treaty, feed, time window and full-text search (FTS5).

Keyset-paged: the first page is 100 rows; moving the cursor near the end fetches the next page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlite_utils
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select, Static

from store.dashboard import ArticleRow, FeedChoice, feed_choices, list_articles
from tui.messages import OpenArticle
from tui.screens.base import deliver
from tui.screens.paged import PagedScreen
from tui.widgets.chips import CHIP_TREATIES, label
from tui.widgets.filters import WINDOWS, country_options, since_for, value
from tui.widgets.tables import LiveTable
from tui.widgets.text import local_time, safe


def article_cells(a: ArticleRow, now: datetime) -> tuple[object, ...]:
    return (
        local_time(a.published_at, now),
        safe(" ".join(a.countries[:3]) or "–", max_len=11),
        safe(a.outlet, max_len=20, style="dim"),
        safe(a.title, max_len=160),
    )


class ArticlesScreen(PagedScreen):
    TITLE_TEXT = "Articles"
    MODE = "articles"
    TABLE_ID = "articles"
    FOCUS = "#articles"
    SEARCH_ID = "search"

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
        if not self.stale:  # (stale here: mounted without its widgets, see BaseScreen.on_mount)
            self._load_feeds()

    def filters(self) -> dict[str, Any]:
        search = self.query_one("#search", Input).value.strip()
        return {
            "country": value(self.query_one("#country", Select)),
            "treaty": value(self.query_one("#treaty", Select)),
            "feed_id": value(self.query_one("#feed", Select)),
            "since": since_for(value(self.query_one("#window", Select)), self.nw.now()),
            "search": search or None,
        }

    def fetch(
        self, db: sqlite_utils.Database, *, limit: int, before: tuple[str, int] | None, **filters: Any
    ) -> Sequence[ArticleRow]:
        return list_articles(db, limit=limit, before=before, **filters)

    def cells(self, row: ArticleRow) -> tuple[object, ...]:
        return article_cells(row, self.nw.now())

    def update_info(self) -> None:
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
        deliver(self, self._set_feeds, choices)

    def _set_feeds(self, choices: Sequence[FeedChoice]) -> None:
        from feeds.sanitize import clean_text

        with self.prevent(Select.Changed):
            self.query_one("#feed", Select).set_options(
                [(clean_text(c.name, single_line=True, max_len=40) or f"feed {c.id}", c.id) for c in choices]
            )

    # ------------------------------------------------------------------------------------ events

    @on(DataTable.RowSelected, "#articles")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.post_message(OpenArticle(int(event.row_key.value or 0)))
