"""Shared fixtures: a real feed server on 127.0.0.1, fixture feeds we wrote, configs in tmp dirs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.feedserver import FeedServer

DATA = Path(__file__).parent / "data"
FEEDS = DATA / "feeds"
SHARED = Path(__file__).resolve().parents[2] / "shared"


def fixture_bytes(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    yield server
    server.close()


def write_config(path: Path, feeds: list[dict], *, db: Path | None = None, extra: str = "") -> Path:
    """Write a nordwatch TOML config (feeds as dicts of TOML keys)."""
    lines = []
    if db is not None:
        lines += ["[store]", f"path = {json.dumps(str(db))}", ""]
    if extra:
        lines += [extra, ""]
    for f in feeds:
        lines.append("[[feeds]]")
        for k, v in f.items():
            lines.append(f"{k} = {json.dumps(v)}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not present (a user's clone has none)")
    return SHARED
