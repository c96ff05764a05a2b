"""The cron path never imports Textual; store/ never imports feeds/ or tui/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import fixture_bytes, write_config
from tests.feedserver import FeedServer

ROOT = Path(__file__).resolve().parents[1]


def _config(tmp_path: Path, feed_server: FeedServer) -> Path:
    url = feed_server.add("/a.xml", fixture_bytes("rss20_basic.xml"))
    return write_config(tmp_path / "c.toml", [{"name": "a", "url": url}], db=tmp_path / "nw.db")


def _poll_then_list_modules(cfg: Path, roots: set[str]) -> str:
    """Run `nordwatch poll` in a fresh interpreter; its output, then `LOADED [...]`: which of `roots` it imported."""
    code = (
        "import sys\n"
        "from tui.cli import cli\n"
        f"try:\n    cli.main(['poll', '--config', {str(cfg)!r}], standalone_mode=False)\n"
        "except SystemExit:\n    pass\n"
        f"print('LOADED', sorted({{m.split('.')[0] for m in sys.modules}} & set({sorted(roots)!r})))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    return r.stdout + r.stderr


def test_poll_never_imports_textual(tmp_path: Path, feed_server: FeedServer) -> None:
    out = _poll_then_list_modules(_config(tmp_path, feed_server), {"textual"})
    assert "polled 1 feed" in out and "LOADED []" in out, out


def test_a_poll_with_nothing_due_loads_no_http_or_parser(tmp_path: Path, feed_server: FeedServer) -> None:
    # Cron runs `nordwatch poll` every few minutes; most runs find nothing due and should exit at once.
    cfg = _config(tmp_path, feed_server)
    heavy = {"httpx", "httpcore", "feedparser", "selectolax"}
    first = _poll_then_list_modules(cfg, heavy)  # the feed is due: fetched and parsed
    assert "polled 1 feed" in first and "'httpx'" in first, first
    second = _poll_then_list_modules(cfg, heavy)  # nothing due for 30 minutes
    assert "polled 0 feeds" in second and "LOADED []" in second, second


def test_store_imports_only_stdlib_and_sqlite_utils() -> None:
    for path in (ROOT / "store").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for bad in ("import feeds", "from feeds", "import tui", "from tui", "import textual", "from textual"):
            assert bad not in text, f"{path.relative_to(ROOT)} has '{bad}'"


def test_feeds_never_import_tui_or_textual() -> None:
    for path in (ROOT / "feeds").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for bad in ("import tui", "from tui", "import textual", "from textual", "from rich", "import rich"):
            assert bad not in text, f"{path.relative_to(ROOT)} has '{bad}'"
