"""The header line: app name, screen, last poll time and status, poll progress while `r` runs, and a badge
with the number of unseen alerts."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.widgets.text import ago


class StatusLine(Static):
    """Renders the app's `poll_status` and `poll_progress` reactives (it watches the app)."""

    DEFAULT_CSS = """
    StatusLine { height: 1; width: 1fr; }
    """

    def __init__(self, title: str, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.title = title

    def on_mount(self) -> None:
        self.watch(self.app, "poll_status", self._changed, init=False)
        self.watch(self.app, "poll_progress", self._changed, init=False)
        self.watch(self.app, "unseen_alerts", self._changed, init=False)
        self._changed()

    def _changed(self, *_: object) -> None:
        self.update(self.render_status())

    def render_status(self) -> Text:
        app = self.app
        t = Text(end="", no_wrap=True, overflow="ellipsis")
        t.append(" nordwatch ", style="bold reverse")
        t.append(f" {self.title} ", style="bold")
        st = getattr(app, "poll_status", None)
        now = app.now()  # type: ignore[attr-defined]
        progress = getattr(app, "poll_progress", "")
        t.append("· ", style="dim")
        if progress:
            t.append(progress, style="bold yellow")
        elif st is None:
            t.append("loading…", style="dim")
        else:
            t.append(f"polled {ago(st.last_finished_at or st.last_started_at, now)}")
            t.append(f" · {st.feeds} feeds")
            if st.failing:
                t.append(" · ")
                t.append(f"{st.failing} failing", style="bold red")
            else:
                t.append(" · all ok", style="green")
        unseen = getattr(app, "unseen_alerts", 0)
        if unseen:
            t.append("  ")
            t.append(f" ⚑ {unseen} new alert{'s' if unseen != 1 else ''} ", style="bold reverse yellow")
            t.append(" 6", style="dim")
        return t
