"""What every top-level screen shares: the status line, the footer, a `reload()` run in a thread worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.css.query import NoMatches
from textual.screen import Screen

from tui.widgets.footer import KeysFooter
from tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from tui.app import NordwatchApp


def alive(screen: Screen[Any]) -> bool:
    """Whether `screen` can still show something: the app runs, and the screen is open and in the app."""
    try:
        return screen.app.is_running and screen.is_running and screen.is_attached
    except RuntimeError:  # NoActiveAppError: detached from the app it was in
        return False


def deliver(screen: Screen[Any], callback: Callable[..., object], *args: Any) -> None:
    """From a worker thread: run `callback(*args)` on the UI thread, for `screen`.

    Dropped when by then the app is shutting down or the screen has been closed (quit or Escape while a query ran):
    its widgets may already be gone, and a NoMatches raised here would fail the worker and with it the app.
    """
    try:
        app = screen.app
    except RuntimeError:
        # NoActiveAppError: a worker thread finds the app through the screen's parents, gone once it closed.
        return

    def run() -> None:
        if alive(screen):
            callback(*args)

    app.call_from_thread(run)


class BaseScreen(Screen[None]):
    """A top-level screen (one app mode). Subclasses implement `body()` and `reload()`."""

    TITLE_TEXT: ClassVar[str] = ""
    MODE: ClassVar[str] = ""
    FOCUS: ClassVar[str] = ""
    """Selector of the widget that takes the focus when the screen mounts."""
    stale: bool = False
    """Set when the database changed while this screen was not shown: reload on resume."""

    @property
    def nw(self) -> NordwatchApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield StatusLine(self.TITLE_TEXT, id="status-line")
        yield from self.body()
        yield KeysFooter()

    def body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.nw.live_screens.add(self)
        try:
            if self.FOCUS:
                self.query_one(self.FOCUS).focus()
            if not self.take_pending_filters():
                self.reload()
        except NoMatches:
            # Mounted without its widgets (a screen built in the background as the app shuts down, seen under
            # load): nothing to fill; reload when it is shown.
            self.stale = True

    def on_screen_resume(self) -> None:
        if self.take_pending_filters():
            self.stale = False
        elif self.stale:
            self.stale = False
            self.reload()

    def take_pending_filters(self) -> bool:
        """Apply filters another screen left for this one (True when it did, which reloads)."""
        filters = self.nw.pending_filters.pop(self.MODE, None)
        if not filters:
            return False
        self.apply_filter(**filters)
        return True

    def reload(self) -> None:
        """Re-query what the screen shows (in a worker); must keep cursor and scroll."""

    def focus_search(self) -> bool:
        """Focus this screen's search/filter input; False when it has none."""
        return False

    def apply_filter(self, **filters: Any) -> None:
        """Set filters (e.g. country) from elsewhere in the app, then reload."""
        self.reload()
