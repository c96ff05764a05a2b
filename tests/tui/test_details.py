"""Chips with full dates where room allows, the baseline's review date, quotes highlighted by their offsets."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.widgets import Static

from store.dashboard import ArticleDetail, StatementRow
from store.treaties import baseline_reviewed
from tests.tui.builders import NOW
from tests.tui.pilot import settle
from tui.app import NordwatchApp
from tui.screens.reader_screen import QUOTE_STYLE, ReaderScreen, article_body
from tui.widgets.chips import Chip
from tui.widgets.country_panel import CountryPanel, chip_text


async def _settle(pilot, app: NordwatchApp) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)


def plain(t: Text) -> str:
    return t.plain.replace("\xa0", " ")


# ------------------------------------------------------------------------------------ chips


async def test_wide_terminal_shows_full_withdrawal_date(app: NordwatchApp) -> None:
    async with app.run_test(size=(160, 48)) as pilot:
        await _settle(pilot, app)
        fi = app.screen.query_one("#panel-fi", CountryPanel)
        assert "Ottawa ✗ withdrawn 2026-01-10" in plain(fi.chips_text())
        assert "2026-01-10" in app.export_screenshot().replace("&#160;", " ")


async def test_80x24_keeps_the_year(app: NordwatchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot, app)
        fi = app.screen.query_one("#panel-fi", CountryPanel)
        chips = plain(fi.chips_text())
        assert "Ottawa ✗ withdrawn 2026" in chips and "2026-01-10" not in chips


async def test_resizing_switches_between_year_and_full_date(app: NordwatchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot, app)
        fi = app.screen.query_one("#panel-fi", CountryPanel)
        assert "2026-01-10" not in plain(fi.chips_text())
        await pilot.resize_terminal(160, 48)
        await _settle(pilot, app)
        assert "withdrawn 2026-01-10" in plain(fi.chips_text())


def test_full_dates_only_where_they_fit() -> None:
    today = date(2026, 3, 2)
    chips = [
        Chip("LT", "nato", "party", since=date(2004, 3, 29)),
        Chip("LT", "ottawa", "withdrawn", effective=date(2025, 12, 27), signals=1),
        Chip("LT", "ccm", "withdrawn", effective=date(2025, 3, 6), signals=1),
        Chip("LT", "cfe", "non_party"),
    ]
    wide = plain(chip_text(chips, today, 35, full_dates=True))
    # The first withdrawal gets its full date; the second would need a fourth line, so it keeps the year.
    assert "Ottawa ✗ withdrawn 2025-12-27 news?" in wide and "CCM ✗ withdrawn 2025 news?" in wide
    assert wide.count("\n") <= 2
    # Too narrow for the full chip: the year.
    assert "withdrawn 2025-12-27" not in plain(chip_text(chips, today, 30, full_dates=True))
    assert "2025-12-27" not in plain(chip_text(chips, today, 80, full_dates=False))


def test_pending_withdrawal_shows_a_countdown() -> None:
    today = date(2026, 3, 2)
    chip = Chip(
        "FI", "ottawa", "withdrawal_pending", since=date(2025, 7, 10), effective=today + timedelta(days=40)
    )
    assert "Ottawa ⏳ out in 40d" in plain(chip_text([chip], today, 34, full_dates=True))


# ------------------------------------------------------------------------------------ baseline


async def test_treaty_legend_shows_baseline_review_date(app: NordwatchApp) -> None:
    async with app.run_test(size=(160, 48)) as pilot:
        await _settle(pilot, app)
        await pilot.press("2")
        await _settle(pilot, app)
        legend = str(app.screen.query_one("#treaty-legend", Static).render())
        assert f"baseline reviewed {baseline_reviewed().isoformat()}" in legend


# ------------------------------------------------------------------------------------ reader


def _article(content: str, summary: str, statements: list[StatementRow]) -> ArticleDetail:
    return ArticleDetail(
        id=1,
        title="t",
        url="",
        outlet="o",
        author="",
        published_at=NOW.isoformat(),
        summary=summary,
        content=content,
        countries=(),
        statements=tuple(statements),
        signals=(),
        also_reported_by=(),
    )


def _statement(quote: str, start: int | None, end: int | None) -> StatementRow:
    return StatementRow(1, 1, "Hanno Pevkur", "", "EE", quote, "ERR", NOW.isoformat(), start, end)


def highlighted(t: Text) -> list[tuple[int, str]]:
    return [(s.start, t.plain[s.start : s.end]) for s in t.spans if str(s.style) == QUOTE_STYLE]


def test_quote_highlighted_at_its_offsets_not_first_occurrence() -> None:
    quote = "we will not leave the convention"
    # The phrase appears first in the reporter's paraphrase, then as the quote the analysis found;
    # control characters before it shift the cleaned text (offsets refer to the raw analysed text).
    raw = f'Officials said {quote} last week.\x1b[31m\x07 Then: "{quote}," Pevkur said.'
    at = raw.index(quote, 20)
    body = article_body(_article(raw, "short", [_statement(quote, at, at + len(quote))]))
    spans = highlighted(body)
    assert spans == [(body.plain.index(quote, 20), quote)]
    assert "\x1b" not in body.plain and "\x07" not in body.plain


def test_offsets_refer_to_the_longer_of_summary_and_content() -> None:
    quote = "our industry can make these"
    summary = f'Before: {quote}. Minister: "{quote}" he said, adding more.'
    content = f'"{quote}"'  # shorter: the analysis ran on the summary
    at = summary.index(quote, 10)
    body = article_body(_article(content, summary, [_statement(quote, at, at + len(quote))]))
    assert body.plain == summary
    assert highlighted(body) == [(at, quote)]


def test_wrong_offsets_fall_back_to_text_search() -> None:
    quote = "the border stays closed tonight"
    raw = f'Police: "{quote}."'
    body = article_body(_article(raw, "", [_statement(quote, 0, 5), _statement(quote + " x", None, None)]))
    assert highlighted(body) == [(raw.index(quote), quote)]


async def test_reader_highlights_the_stored_statement(app: NordwatchApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot, app)
        from tui.messages import OpenArticle

        app.post_message(OpenArticle(3))
        await _settle(pilot, app)
        assert isinstance(app.screen, ReaderScreen)
        body = app.screen.query_one("#reader-body", Static).content
        assert isinstance(body, Text)
        quote = "Our national industry will be one of the sources. Our industry can make these"
        assert quote in [text for _, text in highlighted(body)]


# ------------------------------------------------------------------------------------ footer


async def test_footer_lists_keys_and_a_click_presses_one(app: NordwatchApp) -> None:
    from tui.screens.treaty_screen import TreatyScreen
    from tui.widgets.footer import KeysFooter

    async with app.run_test(size=(160, 48)) as pilot:
        await _settle(pilot, app)
        footer = app.screen.query_one(KeysFooter)
        line = footer.render().plain
        assert line.startswith(" 1 Dashboard  2 Treaties") and line.rstrip().endswith("^p palette")
        start = next(s for s, _, key, _ in footer._spots if key == "2")
        await pilot.click(KeysFooter, offset=(start + 1, 0))
        await _settle(pilot, app)
        assert isinstance(app.screen, TreatyScreen)
