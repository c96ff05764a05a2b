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


def test_a_poll_loads_no_terminal_rendering(tmp_path: Path, feed_server: FeedServer) -> None:
    # httpx's own command-line tool would bring rich and pygments (~45 ms of start-up) into every cron poll.
    out = _poll_then_list_modules(_config(tmp_path, feed_server), {"rich", "pygments", "textual"})
    assert "polled 1 feed" in out and "LOADED []" in out, out


def test_a_poll_with_nothing_due_loads_no_http_or_parser(tmp_path: Path, feed_server: FeedServer) -> None:
    # Cron runs `nordwatch poll` every few minutes; most runs find nothing due and should exit at once.
    cfg = _config(tmp_path, feed_server)
    heavy = {"httpx", "httpcore", "feedparser", "selectolax"}
    first = _poll_then_list_modules(cfg, heavy)  # the feed is due: fetched and parsed
    assert "polled 1 feed" in first and "'httpx'" in first, first
    second = _poll_then_list_modules(cfg, heavy)  # nothing due for 30 minutes
    assert "polled 0 feeds" in second and "LOADED []" in second, second


def test_a_poll_does_not_search_for_a_missing_module_per_request(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    # httpcore imports sniffio inside every lock it creates; when sniffio is not installed, each of those imports
    # searches sys.path and fails (1,141 times, ~0.2 s of the main process on a cold 200-feed poll).
    feeds = [
        {"name": f"f{i}", "url": feed_server.add(f"/{i}.xml", fixture_bytes("rss20_basic.xml"))}
        for i in range(30)
    ]
    cfg = write_config(tmp_path / "c.toml", feeds, db=tmp_path / "nw.db")
    code = (
        "import collections, sys\n"
        "misses = collections.Counter()\n"
        "class Last:\n"
        "    @staticmethod\n"
        "    def find_spec(name, path=None, target=None):\n"
        "        misses[name] += 1  # every finder before this one failed: a module that is not there\n"
        "sys.meta_path.append(Last)\n"
        "from tui.cli import cli\n"
        f"try:\n    cli.main(['poll', '--config', {str(cfg)!r}], standalone_mode=False)\n"
        "except SystemExit:\n    pass\n"
        "print('MISSED', sorted((n, c) for n, c in misses.items() if c >= 10))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    out = r.stdout + r.stderr
    assert "polled 30 feeds" in out and "MISSED []" in out, out


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
