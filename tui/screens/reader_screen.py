"""Article reader: title, outlet, time, countries, the text with its statements highlighted, treaty signals,
"also reported by"; `o` opens the link in the browser."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from feeds.sanitize import clean_text
from store.dashboard import ArticleDetail, StatementRow, get_article
from tui.screens.base import deliver
from tui.widgets.chips import label
from tui.widgets.footer import KeysFooter
from tui.widgets.status_line import StatusLine
from tui.widgets.text import local_time, safe

if TYPE_CHECKING:
    from tui.app import NordwatchApp

QUOTE_STYLE = "bold underline"
_OPEN, _CLOSE = "\ue000", "\ue001"
"""Private-use marks put around each quote before cleaning, so the quote's place survives `clean_text`."""


def _squash(s: str) -> str:
    return " ".join(s.split())


def quote_spans(raw: str, statements: Sequence[StatementRow]) -> list[tuple[int, int, int]]:
    """(statement index, start, end) of each statement whose stored offsets hold its quote in `raw`,
    in text order, overlaps dropped."""
    spans = []
    for i, s in enumerate(statements):
        start, end = s.start, s.end
        if start is None or end is None or not 0 <= start < end <= len(raw):
            continue
        if _squash(raw[start:end]) == _squash(s.quote):
            spans.append((i, start, end))
    spans.sort(key=lambda x: x[1])
    out: list[tuple[int, int, int]] = []
    for span in spans:
        if not out or span[1] >= out[-1][2]:
            out.append(span)
    return out


def highlight_body(raw: str, statements: Sequence[StatementRow]) -> tuple[str, list[tuple[int, int]]]:
    """Clean `raw` for display and return it with the ranges of its statements' quotes in the cleaned text.

    Each quote is placed by its stored offsets (into the analysed text), so the right occurrence is marked
    when a phrase appears twice; a quote whose offsets do not hold it (an older analysis, edited text) is
    found by searching the cleaned text instead."""
    spans = [] if _OPEN in raw or _CLOSE in raw else quote_spans(raw, statements)
    pieces, last = [], 0
    for _, start, end in spans:
        pieces += [raw[last:start], _OPEN, raw[start:end], _CLOSE]
        last = end
    pieces.append(raw[last:])
    marked = clean_text("".join(pieces), single_line=False)
    body, ranges, open_at = [], [], None
    n = 0
    for ch in marked:
        if ch == _OPEN:
            open_at = n
        elif ch == _CLOSE:
            if open_at is not None:
                ranges.append((open_at, n))
            open_at = None
        else:
            body.append(ch)
            n += 1
    text = "".join(body)
    located: set[int] = set()
    if len(ranges) == len(spans):  # every mark survived cleaning (an unterminated escape can swallow one)
        for (i, _, _), (a, b) in zip(spans, ranges, strict=True):
            if _squash(text[a:b]) == _squash(clean_text(statements[i].quote)):
                located.add(i)
    result = [r for (i, _, _), r in zip(spans, ranges, strict=False) if i in located]
    for i, st in enumerate(statements):
        if i in located:
            continue
        q = clean_text(st.quote, single_line=True)
        if len(q) < 8:
            continue
        at = text.find(q)
        if at >= 0:
            result.append((at, at + len(q)))
    return text, sorted(result)


def article_body(a: ArticleDetail) -> Text:
    """The article's text (the one its statements were found in) with each quote highlighted."""
    body, ranges = highlight_body(a.analysed_text, a.statements)
    text = Text(body or "(this feed gives no text for the article; press o to open it)", end="")
    for start, end in ranges:
        text.stylize(QUOTE_STYLE, start, end)
    return text


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
    out.append_text(article_body(a))
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
        deliver(self, self._show, article)

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
