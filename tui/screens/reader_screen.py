"""Article reader: title, outlet, time, countries, the text with its statements highlighted, treaty signals,
"also reported by"; `o` opens the link in the browser."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from feeds.sanitize import clean_text
from store.dashboard import ArticleDetail, get_article
from tui.widgets.chips import label
from tui.widgets.footer import KeysFooter
from tui.widgets.status_line import StatusLine
from tui.widgets.text import local_time, safe

if TYPE_CHECKING:
    from tui.app import NordwatchApp

QUOTE_STYLE = "bold underline"


def render_article(a: ArticleDetail, now: Any) -> Text:
    """Return the whole article as one literal Text (feed text never becomes markup)."""
    out = Text(end="")
    out.append_text(safe(a.title or "(untitled)", style="bold"))
    out.append("\n")
    meta = Text(style="dim", end="")
    meta.append_text(safe(a.outlet or "unknown outlet"))
    if a.author:
        meta.append(" · ")
        meta.append_text(safe(a.author, max_len=60))
    meta.append(f" · {local_time(a.published_at, now)} UTC")
    if a.countries:
        meta.append(
            " · countries: " + " ".join(clean_text(c, single_line=True, max_len=3) for c in a.countries)
        )
    out.append_text(meta)
    out.append("\n\n")
    body = clean_text(a.content or a.summary or "", single_line=False)
    text = Text(body or "(this feed gives no text for the article; press o to open it)", end="")
    for s in a.statements:
        q = clean_text(s.quote, single_line=True)
        if len(q) < 8:
            continue
        start = body.find(q)
        if start >= 0:
            text.stylize(QUOTE_STYLE, start, start + len(q))
    out.append_text(text)
    if a.statements:
        out.append("\n\nStatements\n", style="bold")
        for s in a.statements:
            out.append("• ")
            out.append_text(safe(s.speaker or "unnamed", max_len=60, style="bold"))
            if s.role:
                out.append(" (")
                out.append_text(safe(s.role, max_len=60))
                out.append(")")
            if s.speaker_country:
                out.append(" ")
                out.append_text(safe(s.speaker_country, max_len=3, style="dim"))
            out.append(": ")
            out.append_text(safe(s.quote, style="italic"))
            out.append("\n")
    if a.signals:
        out.append("\nTreaty signals (from the text; unconfirmed)\n", style="bold")
        for sig in a.signals:
            out.append("• ")
            out.append(f"{clean_text(sig.country, single_line=True, max_len=3)} {label(sig.treaty)}: ")
            out.append_text(safe(sig.action.replace("_", " "), max_len=40, style="yellow"))
            if sig.date:
                out.append_text(safe(f" ({sig.date})", max_len=20))
            out.append("\n")
    out.append("\nAlso reported by: ", style="bold")
    if a.also_reported_by:
        out.append_text(safe(", ".join(a.also_reported_by), max_len=400))
    else:
        out.append("no other feed", style="dim")
    if a.url:
        out.append("\nLink: ", style="bold")
        out.append_text(safe(a.url, max_len=300, style="underline"))
        out.append("  (o opens it)", style="dim")
    return out


class ReaderScreen(Screen[None]):
    """Pushed over any screen; Escape returns."""

    BINDINGS: ClassVar[list[Any]] = [
        Binding("escape,backspace", "back", "Back"),
        Binding("o", "open_link", "Open link"),
    ]

    def __init__(self, article_id: int) -> None:
        super().__init__()
        self.article_id = article_id
        self.article: ArticleDetail | None = None

    @property
    def nw(self) -> NordwatchApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield StatusLine("Article", id="status-line")
        with VerticalScroll(id="reader-scroll"):
            yield Static(Text("loading…", style="dim"), id="reader-body")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#reader-scroll").focus()

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="reader")
    def _load(self) -> None:
        with self.nw.reader() as db:
            article = get_article(db, self.article_id)
        self.nw.call_from_thread(self._show, article)

    def _show(self, article: ArticleDetail | None) -> None:
        self.article = article
        body = self.query_one("#reader-body", Static)
        if article is None:
            body.update(Text("This article is no longer in the database.", style="italic"))
            return
        body.update(render_article(article, self.nw.now()))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_open_link(self) -> None:
        url = self.article.url if self.article else ""
        if not url.startswith(("http://", "https://")):
            self.notify("This article has no web link.", severity="warning")
            return
        self.app.open_url(url)
        self.notify(f"Opening {clean_text(url, single_line=True, max_len=80)}")
