"""Read the TOML config into strict, frozen dataclasses with friendly, one-line errors.

Where the config comes from: `--config PATH`, else `$NORDWATCH_CONFIG`, else
`$XDG_CONFIG_HOME/nordwatch/config.toml` (default `~/.config/nordwatch/config.toml`).
Where the database lives: `--db PATH`, else `$NORDWATCH_DB`, else `[store] path`, else
`$XDG_DATA_HOME/nordwatch/nordwatch.db` (default `~/.local/share/nordwatch/nordwatch.db`).
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from feeds.sanitize import escape_controls

if TYPE_CHECKING:
    from store.treaties import TreatyEvent

VERSION = "0.1.0"
DEFAULT_USER_AGENT = f"nordwatch/{VERSION} (+https://github.com/nordwatch/nordwatch)"
NB8 = ("DK", "EE", "FI", "IS", "LV", "LT", "NO", "SE")
_ISO2 = re.compile(r"^[A-Z]{2}$")
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, None: 60}


class ConfigError(Exception):
    """A configuration problem; str() is one line naming the file and, where it applies, feed and key."""


@dataclass(frozen=True)
class FeedConfig:
    name: str
    """Display name; unique within the config."""
    url: str
    """http(s) URL of the RSS/Atom feed."""
    countries: tuple[str, ...] = ()
    """The outlet's home country (ISO alpha-2): a hint for tagging, never an override."""
    language: str | None = None
    tags: tuple[str, ...] = ()
    interval_s: int = 1800
    """How often cron runs should poll it (from `interval = "30m"`)."""
    enabled: bool = True


@dataclass(frozen=True)
class PollConfig:
    concurrency: int = 16
    """Feeds in flight at once."""
    per_host: int = 4
    """Connections per host."""
    timeout: float = 30.0
    """Seconds per request (connect/read); the whole fetch of one feed is bounded by `deadline`."""
    deadline: float | None = None
    """Total seconds for one feed's fetch; default 2 x timeout."""
    max_bytes: int = 10_000_000
    """Larger bodies (after decompression) are cut off and the feed marked failed."""
    user_agent: str = DEFAULT_USER_AGENT
    parse_workers: int | None = None
    """Processes that parse feeds; default: one per CPU core. 0 parses in threads."""
    fast_parse: bool = True
    """Plain RSS 2.0 / Atom 1.0 read by feeds.fastparse (same result as feedparser); false: feedparser for all."""

    @property
    def feed_deadline(self) -> float:
        return self.deadline if self.deadline is not None else 2 * self.timeout


@dataclass(frozen=True)
class AlertRule:
    """One `[[alerts]]` table: what to match and where to send it.

    An article matches when every criterion the rule sets matches (countries AND treaties AND speakers AND
    keywords; any item within one list). `feed_failures` matches failing feeds on its own.
    """

    name: str
    countries: tuple[str, ...] = ()
    """Articles about any of these countries (ISO alpha-2)."""
    treaties: tuple[str, ...] = ()
    """Treaty ids whose signals (in articles) or stage changes (in the registry) alert; ("any",) for all."""
    speakers: tuple[str, ...] = ()
    """Case-insensitive substrings of a quoted speaker's name."""
    keywords: tuple[str, ...] = ()
    """As written in the config (`re:` prefix marks a regex)."""
    patterns: tuple[re.Pattern[str], ...] = ()
    """The compiled keywords, matched against title and text (case-insensitive)."""
    feed_failures: int = 0
    """Alert when a feed has failed this many times in a row (0: never; `true` in TOML means 1)."""
    stdout: bool = False
    """Print one line on stdout (cron mails it)."""
    command: tuple[str, ...] = ()
    """argv of a command run (never through a shell) with the alert as JSON on stdin."""
    webhook: str | None = None
    """http(s) URL the alert is POSTed to as JSON."""
    timeout: float = 10.0
    """Seconds allowed for the command or the webhook."""

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(
            c
            for c, on in (
                ("stdout", self.stdout),
                ("command", bool(self.command)),
                ("webhook", bool(self.webhook)),
            )
            if on
        )

    @property
    def matches_articles(self) -> bool:
        return bool(self.countries or self.treaties or self.speakers or self.keywords)


@dataclass(frozen=True)
class Config:
    path: Path | None
    """The file it was read from (None: no file, defaults only)."""
    db_path: Path
    poll: PollConfig = field(default_factory=PollConfig)
    feeds: tuple[FeedConfig, ...] = ()
    treaty_events: tuple[TreatyEvent, ...] = ()
    countries: tuple[str, ...] = NB8
    """Countries the dashboard shows a panel for (`[dashboard] countries`)."""
    alerts: tuple[AlertRule, ...] = ()
    """`[[alerts]]` rules, checked at the end of each poll (feeds/alerts.py)."""


_TOP_KEYS = {"store", "poll", "feeds", "treaty_events", "dashboard", "alerts"}
_STORE_KEYS = {"path"}
_POLL_KEYS = {
    "concurrency",
    "per_host",
    "timeout",
    "deadline",
    "max_bytes",
    "user_agent",
    "parse_workers",
    "fast_parse",
}
_FEED_KEYS = {"name", "url", "countries", "language", "tags", "interval", "enabled"}
_DASHBOARD_KEYS = {"countries"}
_ALERT_KEYS = {
    "name",
    "countries",
    "treaties",
    "speakers",
    "keywords",
    "regex",
    "feed_failures",
    "stdout",
    "command",
    "webhook",
    "timeout",
}


def xdg_config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "nordwatch" / "config.toml"


def xdg_data_db() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "nordwatch" / "nordwatch.db"


def find_config(path: str | os.PathLike[str] | None = None) -> tuple[Path, str]:
    """Return (path, how it was found). The path may not exist."""
    if path:
        return Path(path).expanduser(), "--config"
    env = os.environ.get("NORDWATCH_CONFIG")
    if env:
        return Path(env).expanduser(), "$NORDWATCH_CONFIG"
    return xdg_config_path(), "default location"


def load_config(
    path: str | os.PathLike[str] | None = None,
    *,
    db: str | os.PathLike[str] | None = None,
    required: bool = False,
) -> Config:
    """Find, read and validate the config. A missing default file gives defaults unless `required`.

    An explicitly named file (`--config`, `$NORDWATCH_CONFIG`) must exist.
    """
    cfg_path, how = find_config(path)
    if not cfg_path.exists():
        if how != "default location" or required:
            hint = "" if how != "default location" else " (create one with `nordwatch init`)"
            raise ConfigError(f"{cfg_path}: config file not found{hint}")
        return Config(path=None, db_path=_db_path(db, None, None))
    try:
        raw_bytes = cfg_path.read_bytes()
    except OSError as e:
        raise ConfigError(f"{cfg_path}: cannot read config: {e.strerror or e}") from e
    return parse_config(raw_bytes, cfg_path, db=db)


def parse_config(data: bytes | str, path: Path, *, db: str | os.PathLike[str] | None = None) -> Config:
    """Validate config text; `path` is used in messages and to resolve a relative `[store] path`."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path}: not UTF-8 text (byte {e.start})") from e
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(_toml_error(path, str(e))) from e
    return _build(raw, path, db)


def _toml_error(path: Path, msg: str) -> str:
    m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
    if m:
        reason = msg[: m.start()].strip()
        return f"{path}:{m.group(1)}:{m.group(2)}: TOML syntax error: {reason}"
    return f"{path}: TOML syntax error: {msg}"


class _Ctx:
    def __init__(self, path: Path, where: str = "") -> None:
        self.path = path
        self.where = where

    def err(self, key: str | None, message: str) -> ConfigError:
        parts = [str(self.path)]
        if self.where:
            parts.append(self.where)
        if key:
            parts.append(f"key '{_show(key, 40)}'")
        # (one line, safe on a terminal, whatever the file holds: every quoted value is escaped here)
        return ConfigError(escape_controls(": ".join(parts) + ": " + message))

    def check_keys(self, table: Mapping[str, Any], allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                near = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.6)
                hint = f" (did you mean '{near[0]}'?)" if near else f" (valid: {', '.join(sorted(allowed))})"
                raise self.err(key, f"unknown key{hint}")

    def table(self, raw: Mapping[str, Any], key: str) -> Mapping[str, Any]:
        value = raw.get(key, {})
        if not isinstance(value, dict):
            raise self.err(key, f"must be a table ([{key}]), not {_tname(value)}")
        return value

    def integer(self, table: Mapping[str, Any], key: str, default: int, lo: int, hi: int) -> int:
        v = table.get(key, default)
        if isinstance(v, bool) or not isinstance(v, int):
            raise self.err(key, f"must be an integer, not {_tname(v)}")
        if not lo <= v <= hi:
            raise self.err(key, f"must be between {lo:_} and {hi:_}, got {v:_}")
        return v

    def number(
        self, table: Mapping[str, Any], key: str, default: float | None, lo: float, hi: float
    ) -> float | None:
        v = table.get(key, default)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise self.err(key, f"must be a number of seconds, not {_tname(v)}")
        if not lo <= v <= hi:
            raise self.err(key, f"must be between {lo} and {hi}, got {v}")
        return float(v)

    def string(self, table: Mapping[str, Any], key: str, default: str | None = None) -> str | None:
        v = table.get(key, default)
        if v is not None and not isinstance(v, str):
            raise self.err(key, f"must be a string, not {_tname(v)}")
        return v

    def str_list(self, table: Mapping[str, Any], key: str) -> tuple[str, ...]:
        v = table.get(key, [])
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise self.err(key, f"must be a list of strings, not {_tname(v)}")
        return tuple(v)

    def countries(self, table: Mapping[str, Any], key: str) -> tuple[str, ...]:
        out = []
        for c in self.str_list(table, key):
            cc = c.strip().upper()
            if not _ISO2.match(cc):
                raise self.err(key, f"'{_show(c, 20)}' is not an ISO 3166 alpha-2 country code (like \"EE\")")
            out.append(cc)
        return tuple(out)


def is_http_url(url: str) -> bool:
    """An absolute http(s) URL with a host and no control character (`urlsplit` would quietly drop a line break or a
    tab, and keep a bidi override or a zero-width space). A plain space is let through: httpx encodes it."""
    if not url.isprintable():
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _show(value: object, limit: int = 80) -> str:
    """A value from the config as an error message quotes it: control characters and line breaks escaped, at most
    `limit` characters."""
    s = escape_controls(str(value))
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _tname(v: object) -> str:
    return {dict: "a table", list: "a list", str: "a string", bool: "a boolean", int: "an integer"}.get(
        type(v), type(v).__name__
    )


def parse_interval(value: object) -> int:
    """ "30m" -> 1800; "2h", "90s", "1d"; a bare number means minutes. Raises ValueError."""
    if isinstance(value, bool):
        raise ValueError('must be a duration like "30m"')
    if isinstance(value, int | float):
        value = f"{value}m"
    if not isinstance(value, str):
        raise ValueError('must be a duration like "30m"')
    m = _INTERVAL.match(value)
    if not m:
        raise ValueError(f'\'{value}\' is not a duration like "30m", "2h", "90s" or "1d"')
    seconds = int(float(m.group(1)) * _UNITS[m.group(2)])
    if not 60 <= seconds <= 7 * 86400:
        raise ValueError(f"'{value}' must be between 1 minute and 7 days")
    return seconds


def _db_path(db: str | os.PathLike[str] | None, store_path: str | None, cfg_path: Path | None) -> Path:
    if db:
        return Path(db).expanduser()
    env = os.environ.get("NORDWATCH_DB")
    if env:
        return Path(env).expanduser()
    if store_path:
        p = Path(os.path.expandvars(store_path)).expanduser()
        if not p.is_absolute() and cfg_path is not None:
            p = cfg_path.parent / p
        return p
    return xdg_data_db()


def _build(raw: dict[str, Any], path: Path, db: str | os.PathLike[str] | None) -> Config:
    top = _Ctx(path)
    top.check_keys(raw, _TOP_KEYS)

    store = top.table(raw, "store")
    sctx = _Ctx(path, "[store]")
    sctx.check_keys(store, _STORE_KEYS)
    store_path = sctx.string(store, "path")

    poll_raw = top.table(raw, "poll")
    pctx = _Ctx(path, "[poll]")
    pctx.check_keys(poll_raw, _POLL_KEYS)
    workers = poll_raw.get("parse_workers")
    fast = poll_raw.get("fast_parse", True)
    if not isinstance(fast, bool):
        raise pctx.err("fast_parse", f"must be true or false, not {_tname(fast)}")
    poll = PollConfig(
        concurrency=pctx.integer(poll_raw, "concurrency", 16, 1, 512),
        per_host=pctx.integer(poll_raw, "per_host", 4, 1, 64),
        timeout=pctx.number(poll_raw, "timeout", 30.0, 0.1, 600) or 30.0,
        deadline=pctx.number(poll_raw, "deadline", None, 0.1, 3600),
        max_bytes=pctx.integer(poll_raw, "max_bytes", 10_000_000, 1024, 1_000_000_000),
        user_agent=pctx.string(poll_raw, "user_agent", DEFAULT_USER_AGENT) or DEFAULT_USER_AGENT,
        parse_workers=None if workers is None else pctx.integer(poll_raw, "parse_workers", 0, 0, 64),
        fast_parse=fast,
    )

    feeds_raw = raw.get("feeds", [])
    if not isinstance(feeds_raw, list):
        raise top.err("feeds", "must be an array of tables ([[feeds]]), not " + _tname(feeds_raw))
    feeds: list[FeedConfig] = []
    seen_urls: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for i, f in enumerate(feeds_raw):
        feeds.append(_feed(f, i, path, seen_urls, seen_names))

    events_raw = raw.get("treaty_events", [])
    if not isinstance(events_raw, list):
        raise top.err("treaty_events", "must be an array of tables ([[treaty_events]])")
    events = []
    if events_raw:
        from store.treaties import TreatyEventError, parse_event
    for i, ev in enumerate(events_raw):
        if not isinstance(ev, dict):
            raise _Ctx(path, f"treaty_events[{i}]").err(None, "must be a table")
        try:
            events.append(parse_event(ev, origin="user"))
        except TreatyEventError as e:
            raise _Ctx(path, f"treaty_events[{i}]").err(e.key, e.message) from e

    dash = top.table(raw, "dashboard")
    dctx = _Ctx(path, "[dashboard]")
    dctx.check_keys(dash, _DASHBOARD_KEYS)
    countries = dctx.countries(dash, "countries") or NB8

    alerts_raw = raw.get("alerts", [])
    if not isinstance(alerts_raw, list):
        raise top.err("alerts", "must be an array of tables ([[alerts]]), not " + _tname(alerts_raw))
    seen_rules: dict[str, int] = {}
    alerts = tuple(_alert(a, i, path, seen_rules) for i, a in enumerate(alerts_raw))

    return Config(
        path=path,
        db_path=_db_path(db, store_path, path),
        poll=poll,
        feeds=tuple(feeds),
        treaty_events=tuple(events),
        countries=countries,
        alerts=alerts,
    )


def _alert(a: object, i: int, path: Path, seen: dict[str, int]) -> AlertRule:
    """Validate one `[[alerts]]` table (errors name the file, `alerts[i] "name"` and the key)."""
    if not isinstance(a, dict):
        raise _Ctx(path, f"alerts[{i}]").err(None, "must be a table ([[alerts]])")
    label = a.get("name") if isinstance(a.get("name"), str) else None
    ctx = _Ctx(path, f"alerts[{i}]" + (f' "{_show(label, 60)}"' if label else ""))
    ctx.check_keys(a, _ALERT_KEYS)
    name = (ctx.string(a, "name") or "").strip()
    if not name:
        raise ctx.err("name", "is required (it names the alert in every message)")
    if name in seen:
        raise ctx.err("name", f"duplicate alert name (also alerts[{seen[name]}])")
    seen[name] = i
    from store.treaties import TREATIES

    treaties = []
    for t in ctx.str_list(a, "treaties"):
        tt = t.strip().lower()
        if tt in ("any", "*"):
            tt = "any"
        elif tt not in TREATIES:
            near = difflib.get_close_matches(tt, TREATIES, n=1, cutoff=0.6)
            hint = f"did you mean '{near[0]}'?" if near else "expected one of: any, " + ", ".join(TREATIES)
            raise ctx.err("treaties", f"unknown treaty '{_show(t, 40)}' ({hint})")
        treaties.append(tt)
    regex = a.get("regex", False)
    if not isinstance(regex, bool):
        raise ctx.err("regex", f"must be true or false, not {_tname(regex)}")
    keywords = ctx.str_list(a, "keywords")
    patterns = []
    for kw in keywords:
        is_re = regex or kw.startswith("re:")
        body = kw[3:] if kw.startswith("re:") else kw
        if not body.strip():
            raise ctx.err("keywords", "an empty keyword matches everything")
        try:
            patterns.append(re.compile(body if is_re else re.escape(body), re.IGNORECASE))
        except re.error as e:
            raise ctx.err("keywords", f"'{_show(kw)}' is not a valid regular expression: {e}") from e
    speakers = tuple(s.strip() for s in ctx.str_list(a, "speakers") if s.strip())
    ff = a.get("feed_failures", False)
    if isinstance(ff, bool):
        feed_failures = 1 if ff else 0
    elif isinstance(ff, int) and 1 <= ff <= 1000:
        feed_failures = ff
    else:
        raise ctx.err("feed_failures", "must be true, false, or a number of consecutive failures (1-1000)")
    stdout = a.get("stdout", False)
    if not isinstance(stdout, bool):
        raise ctx.err("stdout", f"must be true or false, not {_tname(stdout)}")
    command = a.get("command", [])
    if isinstance(command, str):
        raise ctx.err(
            "command", 'must be a list like ["notify-send", "nordwatch"] (it is never run through a shell)'
        )
    if not isinstance(command, list) or not all(isinstance(x, str) and x for x in command):
        raise ctx.err("command", f"must be a list of non-empty strings, not {_tname(command)}")
    webhook = ctx.string(a, "webhook")
    if webhook is not None:
        webhook = webhook.strip()
        if not is_http_url(webhook):
            raise ctx.err("webhook", f"'{_show(webhook, 100)}' is not an http(s) URL")
    timeout = ctx.number(a, "timeout", 10.0, 0.1, 300) or 10.0
    rule = AlertRule(
        name=name,
        countries=ctx.countries(a, "countries"),
        treaties=tuple(treaties),
        speakers=speakers,
        keywords=keywords,
        patterns=tuple(patterns),
        feed_failures=feed_failures,
        stdout=stdout,
        command=tuple(command),
        webhook=webhook,
        timeout=timeout,
    )
    if not rule.matches_articles and not rule.feed_failures:
        raise ctx.err(None, "matches nothing: set countries, treaties, speakers, keywords or feed_failures")
    return rule


def _feed(f: object, i: int, path: Path, seen_urls: dict[str, int], seen_names: dict[str, int]) -> FeedConfig:
    if not isinstance(f, dict):
        raise _Ctx(path, f"feeds[{i}]").err(None, "must be a table ([[feeds]])")
    label = f.get("name") if isinstance(f.get("name"), str) else None
    ctx = _Ctx(path, f"feeds[{i}]" + (f' "{_show(label, 60)}"' if label else ""))
    ctx.check_keys(f, _FEED_KEYS)
    name = ctx.string(f, "name")
    url = ctx.string(f, "url")
    if not url:
        raise ctx.err("url", "is required")
    url = url.strip()
    if not is_http_url(url):
        raise ctx.err("url", f"'{_show(url, 100)}' is not an http(s) URL")
    name = (name or "").strip() or urlsplit(url).netloc
    if url in seen_urls:
        raise ctx.err("url", f"duplicate feed URL (also feeds[{seen_urls[url]}])")
    if name in seen_names:
        raise ctx.err("name", f"duplicate feed name (also feeds[{seen_names[name]}])")
    seen_urls[url] = i
    seen_names[name] = i
    lang = ctx.string(f, "language")
    if lang is not None and not _LANG.match(lang):
        raise ctx.err("language", f'\'{_show(lang, 20)}\' is not a language code like "en" or "fi"')
    try:
        interval = parse_interval(f.get("interval", "30m"))
    except ValueError as e:
        raise ctx.err("interval", str(e)) from e
    enabled = f.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ctx.err("enabled", f"must be true or false, not {_tname(enabled)}")
    return FeedConfig(
        name=name,
        url=url,
        countries=ctx.countries(f, "countries"),
        language=lang,
        tags=ctx.str_list(f, "tags"),
        interval_s=interval,
        enabled=enabled,
    )


def render_config(cfg: Config) -> str:
    """The resolved config as TOML-ish text, for `nordwatch config check`."""
    lines = [
        f"# from {cfg.path or '(no config file: defaults)'}",
        "",
        "[store]",
        f'path = "{cfg.db_path}"',
        "",
    ]
    p = cfg.poll
    lines += [
        "[poll]",
        f"concurrency = {p.concurrency}",
        f"per_host = {p.per_host}",
        f"timeout = {p.timeout:g}",
        f"deadline = {p.feed_deadline:g}",
        f"max_bytes = {p.max_bytes}",
        f'user_agent = "{p.user_agent}"',
        f"parse_workers = {p.parse_workers if p.parse_workers is not None else os.cpu_count() or 1}",
        f"fast_parse = {'true' if p.fast_parse else 'false'}",
        "",
        "[dashboard]",
        "countries = [" + ", ".join(f'"{c}"' for c in cfg.countries) + "]",
        "",
    ]
    for f in cfg.feeds:
        lines += [
            "[[feeds]]",
            f'name = "{f.name}"',
            f'url = "{f.url}"',
            "countries = [" + ", ".join(f'"{c}"' for c in f.countries) + "]",
            f'language = "{f.language}"' if f.language else "# language not set",
            "tags = [" + ", ".join(f'"{t}"' for t in f.tags) + "]",
            f'interval = "{f.interval_s // 60}m"',
            f"enabled = {'true' if f.enabled else 'false'}",
            "",
        ]
    for ev in cfg.treaty_events:
        lines += [
            "[[treaty_events]]",
            f'country = "{ev.country}"',
            f'treaty = "{ev.treaty}"',
            f'kind = "{ev.kind}"',
            f'date = "{ev.date.isoformat()}"',
            "",
        ]
    return "\n".join(lines)
