"""Helpers for the toolbox tests: an RSS builder, the CLI as a subprocess, a config writer."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
NORDWATCH = [sys.executable, "-c", "from tui.cli import main; main()"]


def rss(items: list[dict], title: str = "Test Outlet") -> bytes:
    """An RSS 2.0 body; each item has guid, title, text and optionally link, hours_ago."""
    now = datetime.now(UTC)
    parts = [
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{escape(title)}</title>"
    ]
    parts.append("<link>https://outlet.example/</link>")
    for it in items:
        when = now - timedelta(hours=it.get("hours_ago", 1))
        parts.append(
            "<item>"
            f"<title>{escape(it['title'])}</title>"
            f"<link>{escape(it.get('link', 'https://outlet.example/' + it['guid']))}</link>"
            f"<guid isPermaLink='false'>{escape(it['guid'])}</guid>"
            f"<pubDate>{format_datetime(when)}</pubDate>"
            f"<description>{escape(it.get('text', ''))}</description>"
            "</item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


def run(*args: str, env: dict | None = None, timeout: float = 60, input: str | None = None):
    e = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [*NORDWATCH, *args], capture_output=True, text=True, timeout=timeout, env=e, cwd=ROOT, input=input
    )
