"""Feed text to Rich `Text`, never to markup: sanitise again at display, then wrap literally."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.text import Text

from feeds.sanitize import clean_text
from store.dashboard import parse_ts


def safe(value: object, *, single_line: bool = True, max_len: int | None = None, style: str = "") -> Text:
    """Return feed-derived `value` as a literal `Text` with escapes and control characters removed."""
    return Text(clean_text(value, single_line=single_line, max_len=max_len), style=style, end="")


def age(ts: str | None, now: datetime) -> str:
    """Return a compact age such as `5m`, `3h`, `2d` (`?` when the timestamp is unreadable)."""
    dt = parse_ts(ts)
    if dt is None:
        return "?"
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    secs = (now - dt).total_seconds()
    if secs < 0:
        return "now"
    if secs < 60:
        return f"{int(secs)}s"
    if secs < 3600:
        return f"{int(secs // 60)}m"
    if secs < 86400:
        return f"{int(secs // 3600)}h"
    if secs < 86400 * 60:
        return f"{int(secs // 86400)}d"
    return dt.strftime("%Y-%m-%d")


def ago(ts: str | None, now: datetime) -> str:
    """Return `5 min ago` style text for headers."""
    dt = parse_ts(ts)
    if dt is None:
        return "never"
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    secs = max(0.0, (now - dt).total_seconds())
    if secs < 60:
        return "just now"
    if secs < 3600:
        return f"{int(secs // 60)} min ago"
    if secs < 86400:
        return f"{int(secs // 3600)} h ago"
    return f"{int(secs // 86400)} d ago"


def local_time(ts: str | None, now: datetime) -> str:
    """Return `HH:MM` for today's timestamps, `Mon DD HH:MM` otherwise (UTC, as stored)."""
    dt = parse_ts(ts)
    if dt is None:
        return "?"
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    if dt.date() == now.astimezone(UTC).date():
        return dt.strftime("%H:%M")
    if dt.year == now.year:
        return dt.strftime("%b %d %H:%M")
    return dt.strftime("%Y-%m-%d")


def until(ts: str | None, now: datetime) -> str:
    """Return `in 12m` for a future timestamp, `due` for a past one, `—` when absent."""
    dt = parse_ts(ts)
    if dt is None:
        return "—"
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    secs = (dt - now).total_seconds()
    if secs <= 0:
        return "due"
    if secs < 3600:
        return f"in {max(1, int(secs // 60))}m"
    if secs < 86400:
        return f"in {int(secs // 3600)}h"
    return f"in {int(secs // 86400)}d"
