"""Alerts in the dashboard: the header badge, the Alerts screen (key 6), Enter opens the article, `m` marks seen."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

from rich.console import Console
from textual.widgets import DataTable, Static

from store import open_db
from store.alerts import unseen_count
from tests.tui.builders import NOW, build_db
from tests.tui.pilot import settle, wait_until
from tui.app import NordwatchApp, make_app
from tui.screens.alerts_screen import AlertsScreen
from tui.screens.help_screen import HelpScreen
from tui.screens.reader_screen import ReaderScreen


async def _settle(pilot, app: NordwatchApp) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)


def status_text(app: NordwatchApp) -> str:
    return str(app.screen.query_one("#status-line", Static).render())


def rows(table: DataTable) -> list[str]:
    return [" | ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


def insert_alert(db_path: Path, key: str, title: str) -> None:
    """Record an alert from another connection, as cron's poll would."""
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO alerts (rule, kind, key, title, payload, created_at) VALUES ('live', 'article', ?, ?, '{}', ?)",
        [key, title, NOW.strftime("%Y-%m-%dT%H:%M:%SZ")],
    )
    conn.commit()
    conn.close()


async def test_badge_screen_open_and_mark_seen(alerts_app: NordwatchApp) -> None:
    app = alerts_app
    async with app.run_test(size=(160, 48)) as pilot:
        await _settle(pilot, app)
        assert app.unseen_alerts == 2
        assert "⚑ 2 new alerts" in status_text(app)
        await pilot.press("6")
        await _settle(pilot, app)
        assert isinstance(app.screen, AlertsScreen)
        table = app.screen.query_one("#alerts", DataTable)
        shown = rows(table)
        assert len(shown) == 3
        # Newest first; feed text literal (markup shows as typed, escapes removed).
        assert "latvia" in shown[0] and "[bold red]x[/] and [@click=app.quit]click me[/]" in shown[0]
        assert "\x1b" not in shown[0]
        assert "feed down" in shown[1] and shown[1].startswith(" ")  # seen: no dot
        assert "ottawa-exits" in shown[2] and "Finland completes withdrawal" in shown[2]
        assert (
            "✓ stdout" in shown[2]
            and "… webhook" in shown[2]
            and "✗ webhook: HTTP 500 [bold]boom[/]" in shown[2]
        )
        assert shown[0].startswith("●") and shown[2].startswith("●")
        assert "3 alerts" in str(app.screen.query_one("#alerts-info", Static).render())
        # Enter on an article alert opens the reader on its article.
        table.move_cursor(row=2)
        await pilot.press("enter")
        await _settle(pilot, app)
        assert isinstance(app.screen, ReaderScreen) and app.screen.article_id == 1
        await pilot.press("escape")
        assert isinstance(app.screen, AlertsScreen)
        # m marks all seen: the store records it and the badge goes.
        await pilot.press("m")
        assert await wait_until(pilot, lambda: app.unseen_alerts == 0)
        assert "new alert" not in status_text(app)
        assert await wait_until(pilot, lambda: not any(r.startswith("●") for r in rows(table)))
    db = open_db(app.db_path, readonly=True, migrate=False)
    assert unseen_count(db) == 0
    db.conn.close()


async def test_alert_from_another_process_appears_live(alerts_app: NordwatchApp) -> None:
    app = alerts_app
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot, app)
        await pilot.press("6")
        await _settle(pilot, app)
        table = app.screen.query_one("#alerts", DataTable)
        insert_alert(app.db_path, "article:live", "Live: Estonia recalls ambassador")
        assert await wait_until(pilot, lambda: app.unseen_alerts == 3)
        assert await wait_until(pilot, lambda: table.row_count == 4)
        assert "Live: Estonia recalls ambassador" in rows(table)[0]
        assert "⚑ 3 new alerts" in status_text(app)


async def test_mark_seen_leaves_alerts_that_arrived_after_the_list_was_drawn(tmp_path: Path) -> None:
    path = build_db(tmp_path / "race.db", alerts=True)
    app = make_app(None, path, now=NOW, probe_interval=3600)  # no live refresh: the list stays as drawn
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot, app)
        await pilot.press("6")
        await _settle(pilot, app)
        insert_alert(path, "article:late", "Arrived while the analyst was reading")
        await pilot.press("m")
        assert await wait_until(pilot, lambda: app.unseen_alerts == 1)
    db = open_db(path, readonly=True, migrate=False)
    assert unseen_count(db) == 1
    (title,) = db.execute("SELECT title FROM alerts WHERE seen_at IS NULL").fetchone()
    db.conn.close()
    assert title == "Arrived while the analyst was reading"


async def test_no_alerts_explains_and_no_badge(app: NordwatchApp) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot, app)
        assert "alert" not in status_text(app)
        await pilot.press("6")
        await _settle(pilot, app)
        info = str(app.screen.query_one("#alerts-info", Static).render())
        assert "No alerts yet" in info and "[[alerts]]" in info


async def test_alerts_key_in_footer_and_help(alerts_app: NordwatchApp) -> None:
    app = alerts_app
    async with app.run_test(size=(160, 48)) as pilot:
        await _settle(pilot, app)
        assert "6 Alerts" in _footer_text(app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=140, record=True, file=io.StringIO())
        for static in app.screen.query(Static):
            console.print(static.content)
        help_text = console.export_text()
        assert "Alerts: what your [[alerts]] rules matched" in help_text
        assert "mark all alerts seen" in help_text


def _footer_text(app: NordwatchApp) -> str:
    from tui.widgets.footer import KeysFooter

    return app.screen.query_one(KeysFooter).render().plain
