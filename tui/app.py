"""The Textual app: modes (one per top-level screen), live refresh, `r` poll, and the `make_app` factory.

`make_app(...)` is shared by the CLI (`nordwatch tui`, `nordwatch demo`), the tests and the snapshot apps.
Every query runs in a thread worker that opens its own read-only connection; the UI thread never touches
SQLite. Live refresh: a timer asks a worker to read `PRAGMA data_version` on a long-lived probe connection;
when another connection (cron's poll, or our own `r`) commits, the value moves and the shown screen reloads.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar
from weakref import WeakSet

import sqlite_utils
from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from store import StoreError, open_db
from store.alerts import unseen_count
from store.dashboard import NB8, PollStatus, data_version, poll_status
from tui.messages import DataChanged, FilterCountry, OpenArticle, PollFinished, PollProgress
from tui.screens.alerts_screen import AlertsScreen
from tui.screens.articles_screen import ArticlesScreen
from tui.screens.base import BaseScreen
from tui.screens.dashboard_screen import DashboardScreen
from tui.screens.feeds_screen import FeedsScreen
from tui.screens.help_screen import HelpScreen
from tui.screens.reader_screen import ReaderScreen
from tui.screens.statements_screen import StatementsScreen
from tui.screens.treaty_screen import TreatyScreen

SCREENS_BY_KEY: tuple[tuple[str, str, str], ...] = (
    ("1", "dashboard", "Dashboard"),
    ("2", "treaties", "Treaties"),
    ("3", "articles", "Articles"),
    ("4", "statements", "Statements"),
    ("5", "feeds", "Feeds"),
    ("6", "alerts", "Alerts"),
)


class NordwatchApp(App[None]):
    """The dashboard. Build it with `make_app`."""

    CSS_PATH = "app.tcss"
    TITLE = "nordwatch"
    MODES: ClassVar[dict[str, Any]] = {
        "dashboard": DashboardScreen,
        "treaties": TreatyScreen,
        "articles": ArticlesScreen,
        "statements": StatementsScreen,
        "feeds": FeedsScreen,
        "alerts": AlertsScreen,
    }
    DEFAULT_MODE = "dashboard"
    BINDINGS: ClassVar[list[Any]] = [
        *(Binding(k, f"switch_mode('{m}')", label, key_display=k) for k, m, label in SCREENS_BY_KEY),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("r", "poll", "Poll now"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]

    poll_status: reactive[PollStatus | None] = reactive(None)
    """The last poll run and feed health counts (the status line shows them)."""
    poll_progress: reactive[str] = reactive("")
    """`polling 3/42 · Yle` while `r` runs; empty otherwise."""
    unseen_alerts: reactive[int] = reactive(0)
    """Alerts not marked seen yet (the status line's badge)."""

    def __init__(
        self,
        *,
        db_path: Path,
        config: Any = None,
        config_error: str | None = None,
        now: datetime | None = None,
        countries: Sequence[str] | None = None,
        probe_interval: float = 2.0,
        warm_screens: bool = True,
    ) -> None:
        super().__init__()
        self.warm_screens = warm_screens
        self._warmed = False
        self.db_path = db_path
        self.config = config
        self.config_error = config_error
        self._frozen_now = now
        self.countries: tuple[str, ...] = tuple(countries or getattr(config, "countries", None) or NB8)
        self.user_events: tuple[Any, ...] = tuple(getattr(config, "treaty_events", ()) or ())
        self.probe_interval = probe_interval
        self.live_screens: WeakSet[BaseScreen] = WeakSet()
        self.pending_filters: dict[str, dict[str, Any]] = {}
        self._probe_db: sqlite_utils.Database | None = None
        self._probe_lock = threading.Lock()
        self._last_version: int | None = None
        self._chip_cache: dict[tuple[Any, ...], dict[tuple[str, str], Any]] = {}
        self._chip_lock = threading.Lock()

    # ------------------------------------------------------------------------------------ infrastructure

    def now(self) -> datetime:
        """The current time (UTC, aware); frozen when the app was built with `now=`."""
        if self._frozen_now is not None:
            n = self._frozen_now
            return n if n.tzinfo else n.replace(tzinfo=UTC)
        return datetime.now(UTC)

    @contextlib.contextmanager
    def reader(self) -> Iterator[sqlite_utils.Database]:
        """Open a read-only connection for one worker (call inside the worker thread)."""
        db = open_db(self.db_path, readonly=True, migrate=False)
        try:
            yield db
        finally:
            db.conn.close()

    def chips(self, db: sqlite_utils.Database, treaties: Sequence[str]) -> dict[tuple[str, str], Any]:
        """Treaty chips for every panel country as of today, cached until the database changes (the
        dashboard and the matrix share one computation). Call from a worker thread."""
        from tui.widgets.chips import load_chips

        key = (self.now().date(), self.countries, tuple(treaties))
        with self._chip_lock:
            hit = self._chip_cache.get(key)
            if hit is None:
                hit = load_chips(db, key[0], self.countries, treaties, self.user_events)
                self._chip_cache = {key: hit}
        return hit

    def on_mount(self) -> None:
        self._load_status()
        self.set_interval(self.probe_interval, self._probe, name="data-version-probe")

    def on_unmount(self) -> None:
        with self._probe_lock:
            if self._probe_db is not None:
                self._probe_db.conn.close()
                self._probe_db = None

    @work(thread=True, exclusive=True, group="status")
    def _load_status(self) -> None:
        with self.reader() as db:
            st = poll_status(db)
            unseen = unseen_count(db)
        self.call_from_thread(self._set_status, st, unseen)

    def _set_status(self, status: PollStatus, unseen: int) -> None:
        if not self.is_running:  # the query finished as the app shut down
            return
        self.unseen_alerts = unseen
        self.poll_status = status

    def _probe(self) -> None:
        self._probe_version()

    @work(thread=True, exclusive=True, group="probe", exit_on_error=False)
    def _probe_version(self) -> None:
        with self._probe_lock:
            if self._probe_db is None:
                self._probe_db = open_db(self.db_path, readonly=True, migrate=False)
            version = data_version(self._probe_db)
        if self._last_version is None:
            self._last_version = version
        elif version != self._last_version:
            self._last_version = version
            self.post_message(DataChanged(version))

    @on(DataChanged)
    def _data_changed(self, event: DataChanged) -> None:
        self.refresh_all()

    def refresh_all(self) -> None:
        """Reload the status line and the shown screen; mark every other screen stale."""
        if not self.is_running:
            return  # a change seen as the app shuts down (its screens may be gone): nothing to show
        with self._chip_lock:
            self._chip_cache = {}
        self._load_status()
        shown = self.screen
        for screen in list(self.live_screens):
            if screen is shown:
                screen.reload()
            else:
                screen.stale = True
        for screen in self.screen_stack:
            if isinstance(screen, ReaderScreen) and screen is shown:
                screen.reload()

    def warm_up(self) -> None:
        """Build the other screens in the background once the dashboard has painted, one per tick.

        A first visit to a screen costs ~0.3 s of widget set-up (CSS, compose, layout); doing it while the
        analyst reads the dashboard makes every later number-key switch immediate. Uses Textual's mode
        initialisation (private API): if it is missing, screens are simply built on first visit.
        """
        if self._warmed or not self.warm_screens:
            return
        self._warmed = True
        pending = [m for _, m, _ in SCREENS_BY_KEY if m != self.current_mode]

        def next_one() -> None:
            if not self.is_running or self._exit:
                return  # shutting down: building a screen now would race the screens being closed
            init = getattr(self, "_init_mode", None)
            stacks = getattr(self, "_screen_stacks", {})
            while pending:
                mode = pending.pop(0)
                if init is None or mode in stacks:
                    continue
                try:
                    init(mode)
                    # init_mode's refresh_css restyled every mounted screen; say so, or the first switch to
                    # this screen would reparse and restyle everything again.
                    for screen in stacks.get(mode, ()):
                        screen._css_update_count = self._css_update_count
                except Exception:  # never let a warm-up break the dashboard
                    return
                break
            if pending:
                self.set_timer(0.05, next_one)

        self.set_timer(0.05, next_one)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one handler for worker errors: say what went wrong, keep running."""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if event.worker.group == "probe":
            return  # the database may be mid-creation; the next tick tries again
        msg = str(error) if isinstance(error, StoreError) else f"{type(error).__name__}: {error}"
        self.notify(msg, title="Error", severity="error", timeout=8)

    # ------------------------------------------------------------------------------------ navigation

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def action_search(self) -> None:
        screen = self.screen
        if isinstance(screen, BaseScreen) and screen.focus_search():
            return
        await self.switch_mode("articles")
        screen = self.screen
        if isinstance(screen, BaseScreen):
            screen.focus_search()

    @on(OpenArticle)
    def open_article(self, event: OpenArticle) -> None:
        self.push_screen(ReaderScreen(event.article_id))

    @on(FilterCountry)
    async def filter_country(self, event: FilterCountry) -> None:
        """Open articles and statements filtered to one country."""
        await self.show_filtered("articles", country=event.code)

    async def show_filtered(self, mode: str, **filters: Any) -> None:
        for m in ("articles", "statements"):
            if "country" in filters:
                self.pending_filters.setdefault(m, {})["country"] = filters["country"]
        await self.switch_mode(mode)
        screen = self.screen
        if isinstance(screen, BaseScreen):
            screen.take_pending_filters()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for key, mode, label in SCREENS_BY_KEY:
            yield SystemCommand(
                f"Show {label}",
                f"Switch to the {label} screen (key {key})",
                lambda m=mode: self.run_action(f"switch_mode('{m}')"),
            )
        yield SystemCommand("Poll now", "Poll every due feed now (key r)", self.action_poll)
        yield SystemCommand("Search articles", "Full-text search of all articles (key /)", self.action_search)
        for code in self.countries:
            yield SystemCommand(
                f"Articles about {code}",
                f"Articles and statements filtered to {code}",
                lambda c=code: self.post_message(FilterCountry(c)),
            )
        yield SystemCommand("Help", "Keys and screens (key ?)", self.action_help)

    # ------------------------------------------------------------------------------------ polling

    def action_poll(self) -> None:
        if self.poll_progress:
            self.notify("A poll is already running.")
            return
        try:
            from feeds.poll import run_poll  # noqa: F401
        except ImportError:
            self.notify("Polling is not available in this build.", severity="warning")
            return
        if self.config is None:
            self.notify(self.config_error or "No config loaded: run `nordwatch init`.", severity="warning")
            return
        self.poll_progress = "polling: starting…"
        self._run_poll()

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def _run_poll(self) -> None:
        from feeds.poll import run_poll

        try:
            from store.lock import PollLocked
        except ImportError:  # pragma: no cover - the lock module ships with the store
            PollLocked = RuntimeError  # type: ignore[misc,assignment]

        def progress(done: int, total: int, feed_name: str) -> None:
            self.post_message(PollProgress(done, total, feed_name))

        try:
            summary = run_poll(self.config, db_path=self.db_path, progress=progress)
        except PollLocked as e:
            self.post_message(PollFinished(f"Not polling: {e}", error=True))
            return
        except Exception as e:  # report, never crash the dashboard
            self.post_message(PollFinished(f"Poll failed: {type(e).__name__}: {e}", error=True))
            return
        text = (
            f"Polled in {getattr(summary, 'elapsed_s', 0):.1f}s: {getattr(summary, 'new', 0)} new, "
            f"{getattr(summary, 'ok', 0)} ok, {getattr(summary, 'not_modified', 0)} unchanged, "
            f"{getattr(summary, 'failed', 0)} failed"
        )
        self.post_message(PollFinished(text, error=bool(getattr(summary, "failed", 0))))

    @on(PollProgress)
    def _poll_progress(self, event: PollProgress) -> None:
        from feeds.sanitize import clean_text

        self.poll_progress = (
            f"polling {event.done}/{event.total} · {clean_text(event.feed, single_line=True, max_len=40)}"
        )

    @on(PollFinished)
    def _poll_finished(self, event: PollFinished) -> None:
        if not self.is_running:  # finished as the app shut down: nothing to show it on
            return
        self.poll_progress = ""
        self.notify(event.text, severity="warning" if event.error else "information", timeout=6)
        self.refresh_all()


def make_app(
    config: Any = None,
    db_path: str | Path | None = None,
    *,
    now: datetime | None = None,
    countries: Sequence[str] | None = None,
    config_error: str | None = None,
    probe_interval: float = 2.0,
    warm_screens: bool = True,
) -> NordwatchApp:
    """Build the dashboard app on `db_path` (default: `config.db_path`), creating/migrating the database.

    `now` freezes the clock (tests, snapshots); `countries` overrides the panels (default: the config's, or
    the NB8); `config_error` is shown as the dashboard's empty state when the config could not be loaded;
    `warm_screens=False` builds each screen on its first visit instead of in the background.
    """
    if db_path is None:
        if config is None or getattr(config, "db_path", None) is None:
            raise ValueError("make_app needs a db_path or a config with one")
        db_path = config.db_path
    path = Path(db_path).expanduser()
    db = open_db(path)  # create + migrate once, so every reader can open read-only
    db.conn.close()
    return NordwatchApp(
        db_path=path,
        config=config,
        config_error=config_error,
        now=now,
        countries=countries,
        probe_interval=probe_interval,
        warm_screens=warm_screens,
    )
