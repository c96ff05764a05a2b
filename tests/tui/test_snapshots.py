"""Snapshots of the main screens at 80x24 and 160x48 with a frozen clock (review with `--snapshot-update`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.tui.builders import NOW, build_db
from tests.tui.pilot import settle
from tui.app import make_app


@pytest.fixture
def snap_db(tmp_path: Path) -> Path:
    return build_db(tmp_path / "snap.db")


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):
        await settle(pilot)


def _app(db: Path):  # type: ignore[no-untyped-def]
    return make_app(None, db, now=NOW, probe_interval=3600, warm_screens=False)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_dashboard_snapshot(snap_compare, snap_db: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(_app(snap_db), terminal_size=size, run_before=_settle)


def test_treaty_matrix_snapshot(snap_compare, snap_db: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Frozen like the clock: a new review of the shipped baseline must not change this picture.
    monkeypatch.setattr("tui.screens.treaty_screen.baseline_reviewed", lambda: date(2026, 11, 29))

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _settle(pilot)
        await pilot.press("2")
        await _settle(pilot)
        await pilot.press("down", "down", "right", "right")  # Finland x Ottawa
        await _settle(pilot)
        await pilot.pause(0.3)  # the cell's detail pane is loaded by a worker and painted on the next refresh
        await _settle(pilot)

    assert snap_compare(_app(snap_db), terminal_size=(160, 48), run_before=run_before)


def test_articles_snapshot(snap_compare, snap_db: Path) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _settle(pilot)
        await pilot.press("3")
        await _settle(pilot)

    assert snap_compare(_app(snap_db), terminal_size=(80, 24), run_before=run_before)
