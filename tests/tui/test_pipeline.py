"""The dashboard on a database built by the real poll pipeline: demo feeds served on 127.0.0.1 -> run_poll."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from tests.tui.pilot import settle
from tui.app import NordwatchApp, make_app
from tui.screens.dashboard_screen import DashboardScreen
from tui.widgets.country_panel import CountryPanel

demo = pytest.importorskip("feeds.demo")
poll = pytest.importorskip("feeds.poll")


@pytest.fixture
def demo_setup(tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    from feeds.config import load_config

    feeds_dir = tmp_path / "feeds"
    feeds_dir.mkdir()
    feeds = demo.build_demo_feeds(feeds_dir, datetime.now(UTC))
    with demo.serve_directory(feeds_dir) as server:
        cfg_path = tmp_path / "config.toml"
        cfg_path.write_text(
            demo.demo_config_toml(feeds, server.base_url, tmp_path / "demo.db"), encoding="utf-8"
        )
        yield load_config(cfg_path), server


async def _settle(pilot, app: NordwatchApp) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)


async def test_dashboard_on_polled_demo_feeds(demo_setup: tuple[Any, Any]) -> None:
    cfg, _ = demo_setup
    summary = await asyncio.to_thread(poll.run_poll, cfg, force=True)
    assert summary.new > 0
    app = make_app(cfg, warm_screens=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await _settle(pilot, app)
        assert isinstance(app.screen, DashboardScreen)
        with_headlines = [
            p.code
            for p in app.screen.query(CountryPanel)
            if "no articles yet" not in p.headlines_text().plain
        ]
        assert len(with_headlines) >= 6, with_headlines
        chips = app.screen.query_one("#panel-fi", CountryPanel).chips_text().plain.replace("\xa0", " ")
        assert "NATO ✓ 2023" in chips
        assert app.screen.query_one("#dash-statements", DataTable).row_count > 0
        status = str(app.screen.query_one("#status-line", Static).render())
        assert "polled just now" in status or "min ago" in status


async def test_r_polls_in_a_worker_with_progress_and_refreshes(demo_setup: tuple[Any, Any]) -> None:
    cfg, _ = demo_setup
    app = make_app(cfg, warm_screens=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot, app)
        assert "No articles yet" in str(app.screen.query_one("#empty-state", Static).render())
        seen_progress: set[str] = set()
        app.watch(app, "poll_progress", lambda v: seen_progress.add(v), init=False)
        await pilot.press("r")
        for _ in range(300):
            await pilot.pause(0.05)
            if not app.poll_progress and any(n.message.startswith("Polled") for n in app._notifications):
                break
        await _settle(pilot, app)
        assert any(v.startswith("polling") for v in seen_progress)
        assert any(n.message.startswith("Polled") for n in app._notifications)
        empty = app.screen.query_one("#empty-state")
        for _ in range(100):  # the refresh after the poll runs in a worker: give it up to 5 s
            if empty.has_class("hidden"):
                break
            await pilot.pause(0.05)
        # Every feed parsed: the poll ran in a thread of a Textual app (stderr captured, no fileno), where
        # the parse pool must still start (it once failed every feed with "bad value(s) in fds_to_keep").
        with sqlite3.connect(cfg.db_path) as conn:
            errors = [r[0] for r in conn.execute("SELECT last_error FROM feeds WHERE last_error IS NOT NULL")]
        assert errors == []
        assert empty.has_class("hidden")


async def test_r_reports_a_running_cron_poll(demo_setup: tuple[Any, Any]) -> None:
    from store.lock import PollLock

    cfg, _ = demo_setup
    app = make_app(cfg, warm_screens=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot, app)
        with PollLock(cfg.db_path):
            await pilot.press("r")
            for _ in range(100):
                await pilot.pause(0.05)
                if not app.poll_progress:
                    break
            await _settle(pilot, app)
        assert any(n.message.startswith("Not polling") for n in app._notifications)
