"""Pilot tests: every screen and key path against a real SQLite file."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from textual.widgets import DataTable, Input, Select, Static

from tests.tui.builders import HOSTILE_TITLE, NOW, build_db
from tests.tui.pilot import settle
from tui.app import NordwatchApp, make_app
from tui.messages import DataChanged
from tui.screens.articles_screen import ArticlesScreen
from tui.screens.base import deliver
from tui.screens.dashboard_screen import DashboardScreen
from tui.screens.feeds_screen import FeedsScreen
from tui.screens.help_screen import HelpScreen
from tui.screens.reader_screen import ReaderScreen
from tui.screens.statements_screen import StatementsScreen
from tui.screens.treaty_screen import TreatyScreen
from tui.widgets.country_panel import CountryPanel


async def _settle(pilot, app: NordwatchApp) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)


def visible_text(widget: Static) -> str:
    return str(widget.render())


def table_text(table: DataTable) -> str:
    return "\n".join(" | ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count))


async def test_dashboard_shows_panels_statements_and_status(app: NordwatchApp) -> None:
    async with app.run_test(size=(160, 48)) as pilot:
        await _settle(pilot, app)
        assert isinstance(app.screen, DashboardScreen)
        panels = app.screen.query(CountryPanel)
        assert [p.code for p in panels] == ["DK", "EE", "FI", "IS", "LV", "LT", "NO", "SE"]
        fi = app.screen.query_one("#panel-fi", CountryPanel)
        assert "Finland completes withdrawal" in fi.headlines_text().plain
        assert "1 24h" in fi.counts_text().plain
        statements = app.screen.query_one("#dash-statements", DataTable)
        assert statements.row_count == 4
        assert "Heikki Autto" in table_text(statements)
        status = visible_text(app.screen.query_one("#status-line", Static))
        assert "polled 4 min ago" in status and "3 feeds" in status and "1 failing" in status
        assert app.screen.query_one("#empty-state").has_class("hidden")


async def test_number_keys_switch_screens(app: NordwatchApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot, app)
        for key, cls in [
            ("2", TreatyScreen),
            ("3", ArticlesScreen),
            ("4", StatementsScreen),
            ("5", FeedsScreen),
            ("1", DashboardScreen),
        ]:
            await pilot.press(key)
            await _settle(pilot, app)
            assert isinstance(app.screen, cls), key


async def test_articles_list_search_and_reader(app: NordwatchApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot, app)
        await pilot.press("3")
        await _settle(pilot, app)
        table = app.screen.query_one("#articles", DataTable)
        assert table.row_count == 8
        assert "Finland completes" in table_text(table).splitlines()[0]  # newest first
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"landmine", "enter")
        await pilot.pause(0.1)
        await _settle(pilot, app)
        assert table.row_count == 1 and "Lithuania plans" in table_text(table)
        await pilot.press("enter")
        await _settle(pilot, app)
        assert isinstance(app.screen, ReaderScreen)
        body = visible_text(app.screen.query_one("#reader-body", Static))
        assert "Karolis Aleksa" in body and "LRT English" in body
        await pilot.press("escape")
        assert isinstance(app.screen, ArticlesScreen)


async def test_reader_shows_statements_signals_and_also_reported_by(app: NordwatchApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot, app)
        from tui.messages import OpenArticle

        app.post_message(OpenArticle(1))
        await _settle(pilot, app)
        body = app.screen.query_one("#reader-body", Static).render()
        plain = str(body)
        assert "Also reported by: ERR News" in plain
        assert "withdrawal effective" in plain
        assert "Heikki Autto (chairman of the defence committee)" in plain


async def test_country_panel_opens_filtered_articles_and_statements(app: NordwatchApp) -> None:
    async with app.run_test(size=(160, 48)) as pilot:
        await _settle(pilot, app)
        app.screen.query_one("#panel-lt", CountryPanel).focus()
        await pilot.press("enter")
        await _settle(pilot, app)
        assert isinstance(app.screen, ArticlesScreen)
        assert app.screen.query_one("#country", Select).value == "LT"
        assert table_text(app.screen.query_one("#articles", DataTable)).count("\n") == 0
        await pilot.press("4")
        await _settle(pilot, app)
        assert app.screen.query_one("#country", Select).value == "LT"
        rows = table_text(app.screen.query_one("#statements", DataTable))
        assert "Karolis Aleksa" in rows and "Heikki" not in rows


async def test_statements_filter_by_speaker(app: NordwatchApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot, app)
        await pilot.press("4")
        await _settle(pilot, app)
        table = app.screen.query_one("#statements", DataTable)
        assert table.row_count == 4
        await pilot.press("slash", *"barth", "enter")
        await _settle(pilot, app)
        assert table.row_count == 1 and "Espen Barth Eide" in table_text(table)


async def test_feeds_screen_lists_broken_first(app: NordwatchApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot, app)
        await pilot.press("5")
        await _settle(pilot, app)
        rows = table_text(app.screen.query_one("#feeds", DataTable)).splitlines()
        assert rows[0].startswith("error 503") and "LRT English" in rows[0]
        assert "HTTP 503" in rows[0]


async def test_treaty_matrix_cell_shows_signals(app: NordwatchApp) -> None:
    async with app.run_test(size=(160, 48)) as pilot:
        await _settle(pilot, app)
        await pilot.press("2")
        await _settle(pilot, app)
        matrix = app.screen.query_one("#matrix", DataTable)
        assert matrix.row_count == 8
        # Finland is the 3rd row; Ottawa the column after NATO.
        matrix.move_cursor(row=2, column=2)
        await _settle(pilot, app)
        signals = app.screen.query_one("#treaty-signals", DataTable)
        assert signals.row_count == 1 and "Finland completes" in table_text(signals)
        await pilot.press("enter")  # focus the signals
        await pilot.press("enter")  # open the article
        await _settle(pilot, app)
        assert isinstance(app.screen, ReaderScreen) and app.screen.article_id == 1


async def test_help_and_quit(app: NordwatchApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot, app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_markup_and_escapes_in_feed_text_show_literally(app: NordwatchApp) -> None:
    async with app.run_test(size=(160, 48)) as pilot:
        await _settle(pilot, app)
        lv = app.screen.query_one("#panel-lv", CountryPanel)
        shown = lv.headlines_text().plain
        assert "[bold red]x[/] and [@click=a" in shown  # as typed (cut to the panel's width)
        assert "\x1b" not in shown and "\x07" not in shown
        await pilot.press("3")
        await _settle(pilot, app)
        table = app.screen.query_one("#articles", DataTable)
        text = table_text(table)
        assert "[bold red]x[/] and [@click=app.quit]click me[/]" in text
        assert "\x1b" not in text
        # Clicking the would-be link must not quit: open it and click around.
        row = next(i for i in range(table.row_count) if "click me" in str(table.get_row_at(i)[3]))
        table.move_cursor(row=row)
        await pilot.press("enter")
        await _settle(pilot, app)
        assert isinstance(app.screen, ReaderScreen)
        await pilot.click("#reader-body", offset=(12, 0))
        await pilot.click("#reader-body", offset=(30, 0))
        await _settle(pilot, app)
        assert app.is_running
        plain = str(app.screen.query_one("#reader-body", Static).render())
        assert HOSTILE_TITLE.split(" \x1b")[0] in plain and "\x1b" not in plain
        # Nothing in the rendered output reaches the terminal as an escape of ours: only Textual's own.
        export = app.export_screenshot()
        assert "pwned" not in export


async def test_empty_database_says_press_r(empty_db_path: Path) -> None:
    app = make_app(None, empty_db_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot, app)
        empty = app.screen.query_one("#empty-state", Static)
        assert not empty.has_class("hidden")
        assert "No articles yet" in visible_text(empty) and "r" in visible_text(empty)
        await pilot.press("3")
        await _settle(pilot, app)
        assert "press r" in visible_text(app.screen.query_one("#articles-info", Static))


async def test_config_error_is_the_empty_state(empty_db_path: Path) -> None:
    app = make_app(None, empty_db_path, now=NOW, config_error="/x/config.toml: feeds[2].url: missing")
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot, app)
        text = visible_text(app.screen.query_one("#empty-state", Static))
        assert "feeds[2].url: missing" in text and "nordwatch init" in text


async def test_live_refresh_picks_up_another_connection_and_keeps_cursor(db_path: Path) -> None:
    app = make_app(None, db_path, now=NOW, probe_interval=0.2)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot, app)
        await pilot.press("3")
        await _settle(pilot, app)
        table = app.screen.query_one("#articles", DataTable)
        table.move_cursor(row=2)
        key_before = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        # Another process commits a new article (as cron's poll would).
        script = (
            "import sqlite3, sys\n"
            "conn = sqlite3.connect(sys.argv[1]); pub = sys.argv[2]\n"
            'conn.execute("INSERT INTO articles (id, feed_id, guid, title, published_at, fetched_at, content_hash) '
            "VALUES (500, 1, 'live', 'Live: Latvia closes border crossing', ?, ?, 'h')\", [pub, pub])\n"
            "conn.execute(\"INSERT INTO article_countries VALUES (500, 'LV', 1.0, 0, ?)\", [pub])\n"
            "conn.commit()\n"
        )
        pub = NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
        subprocess.run([sys.executable, "-c", script, str(db_path), pub], check=True)
        for _ in range(50):
            await pilot.pause(0.1)
            if table.row_count == 9:
                break
        await _settle(pilot, app)
        assert table.row_count == 9
        assert "Live: Latvia closes" in table_text(table).splitlines()[0]
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == key_before
        await pilot.press("1")
        await _settle(pilot, app)
        lv = app.screen.query_one("#panel-lv", CountryPanel)
        assert "Live: Latvia closes" in lv.headlines_text().plain


async def test_poll_key_without_config_explains(app: NordwatchApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot, app)
        await pilot.press("r")
        await pilot.pause()
        assert any("init" in n.message or "not available" in n.message for n in app._notifications)


async def test_large_list_pages_as_the_cursor_moves(tmp_path: Path) -> None:
    path = build_db(tmp_path / "big.db", extra_articles=250)
    app = make_app(None, path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot, app)
        await pilot.press("3")
        await _settle(pilot, app)
        table = app.screen.query_one("#articles", DataTable)
        assert table.row_count == 100
        table.move_cursor(row=95)
        await _settle(pilot, app)
        assert table.row_count == 200
        table.move_cursor(row=199)
        await _settle(pilot, app)
        assert table.row_count == 258
        ids = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]
        assert len(set(ids)) == 258


async def test_a_screen_mounted_without_its_widgets_waits_to_be_shown(app: NordwatchApp) -> None:
    # The background warm-up can mount a screen while the app shuts down, before its widgets exist (seen under
    # load in CI): its on_mount must not raise NoMatches, only mark it for a reload when shown.
    async with app.run_test(size=(120, 40)):
        for bare in (ArticlesScreen(), TreatyScreen(), FeedsScreen()):
            bare.on_mount()
            assert bare.stale


async def test_a_query_that_finishes_after_shutdown_is_dropped(app: NordwatchApp) -> None:
    # A worker's query can finish after the app began shutting down and removed the screen's widgets (seen in CI:
    # NoMatches '#treaty-history' failed the worker, and the worker the app). Its result must be dropped.
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await _settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, TreatyScreen)
        chips = dict(screen.chips)
    assert not screen.query("#treaty-history")  # the widgets are gone
    await asyncio.to_thread(deliver, screen, screen._show, chips)  # what the late worker does
    with app._context():  # the same, when the worker thread still finds the app (it had the screen's parents)
        await asyncio.to_thread(deliver, screen, screen._show, chips)


async def test_a_dashboard_message_that_arrives_after_shutdown_is_dropped(app: NordwatchApp) -> None:
    # The dashboard's worker posts its results as messages; one taken after the widgets went must do nothing.
    loaded: list[DashboardScreen.Loaded] = []

    def hook(message: object) -> None:
        if isinstance(message, DashboardScreen.Loaded):
            loaded.append(message)

    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await _settle(pilot, app)
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen) and loaded
    assert not dashboard.query(CountryPanel)  # the widgets are gone
    with app._context():  # the handler, replayed as the message pump would run it
        dashboard._loaded(loaded[-1])


async def test_a_database_change_seen_during_shutdown_is_ignored(app: NordwatchApp) -> None:
    # The probe saw a commit (here: a poll's) and posted DataChanged; the app took it while shutting down, with no
    # screen left on the stack (seen under load: ScreenStackError from refresh_all).
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot, app)
    assert not app.screen_stack
    with app._context():
        app._data_changed(DataChanged(1))


async def test_a_query_that_finishes_after_its_screen_closed_is_dropped(app: NordwatchApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3", "enter")
        await _settle(pilot, app)
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.article is not None
        await pilot.press("escape")
        await _settle(pilot, app)
        assert not reader.query("#reader-body")
        await asyncio.to_thread(deliver, reader, reader._show, reader.article)
        assert isinstance(app.screen, ArticlesScreen)
