from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.builders import NOW, build_db
from tui.app import NordwatchApp, make_app


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return build_db(tmp_path / "nw.db")


@pytest.fixture
def empty_db_path(tmp_path: Path) -> Path:
    return tmp_path / "empty.db"


@pytest.fixture
def app(db_path: Path) -> NordwatchApp:
    return make_app(None, db_path, now=NOW, probe_interval=0.2)


@pytest.fixture
def alerts_app(tmp_path: Path) -> NordwatchApp:
    return make_app(None, build_db(tmp_path / "alerts.db", alerts=True), now=NOW, probe_interval=0.2)
