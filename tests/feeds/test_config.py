from __future__ import annotations

from pathlib import Path

import pytest

from feeds.config import NB8, ConfigError, load_config, parse_config, parse_interval


def cfg(tmp_path: Path, text: str):
    p = tmp_path / "config.toml"
    p.write_text(text, encoding="utf-8")
    return load_config(p)


def err(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as e:
        cfg(tmp_path, text)
    msg = str(e.value)
    assert "\n" not in msg
    assert str(tmp_path / "config.toml") in msg
    return msg


def test_full_example_parses(tmp_path: Path) -> None:
    c = cfg(
        tmp_path,
        """
[store]
path = "data/nw.db"

[poll]
concurrency = 8
per_host = 2
timeout = 10
max_bytes = 5_000_000
user_agent = "nordwatch-test"

[[feeds]]
name = "ERR News"
url = "https://news.err.ee/rss"
countries = ["ee"]
language = "en"
tags = ["broadcaster"]
interval = "2h"
enabled = true
""",
    )
    assert c.db_path == tmp_path / "data" / "nw.db"  # relative to the config file
    assert c.poll.concurrency == 8 and c.poll.per_host == 2 and c.poll.timeout == 10.0
    assert c.poll.feed_deadline == 20.0
    f = c.feeds[0]
    assert (f.name, f.countries, f.language, f.tags, f.interval_s) == (
        "ERR News",
        ("EE",),
        "en",
        ("broadcaster",),
        7200,
    )
    assert c.countries == NB8


def test_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    msg = err(tmp_path, '[[feeds]]\nname = "x"\nurl = "http://a\n')
    assert msg.startswith(f"{tmp_path / 'config.toml'}:3:")
    assert "TOML syntax error" in msg


def test_unknown_key_suggests_nearest(tmp_path: Path) -> None:
    msg = err(tmp_path, '[[feeds]]\nname = "ERR"\nurll = "https://a.example/rss"\n')
    assert 'feeds[0] "ERR"' in msg and "'urll'" in msg and "did you mean 'url'" in msg


def test_unknown_top_level_and_poll_keys(tmp_path: Path) -> None:
    assert "did you mean 'feeds'" in err(tmp_path, '[[feed]]\nurl = "https://a.example/"\n')
    assert "did you mean 'concurrency'" in err(tmp_path, "[poll]\nconcurency = 3\n")


def test_wrong_types_name_the_key(tmp_path: Path) -> None:
    assert "key 'concurrency': must be an integer" in err(tmp_path, '[poll]\nconcurrency = "many"\n')
    assert "key 'countries'" in err(tmp_path, '[[feeds]]\nurl = "https://a.example/"\ncountries = [1]\n')
    assert "key 'enabled'" in err(tmp_path, '[[feeds]]\nurl = "https://a.example/"\nenabled = "yes"\n')
    assert "key 'interval'" in err(tmp_path, '[[feeds]]\nurl = "https://a.example/"\ninterval = "soon"\n')
    assert "not an ISO 3166" in err(
        tmp_path, '[[feeds]]\nurl = "https://a.example/"\ncountries = ["Estonia"]\n'
    )
    assert "must be between" in err(tmp_path, "[poll]\nconcurrency = 0\n")


def test_feed_url_required_and_http_only(tmp_path: Path) -> None:
    assert "key 'url': is required" in err(tmp_path, '[[feeds]]\nname = "x"\n')
    assert "not an http(s) URL" in err(tmp_path, '[[feeds]]\nurl = "file:///etc/passwd"\n')
    for bad in (
        "https://a.example/\\nfeed",
        "https://a.example/\\u202e",
        "https://\\t/",
    ):
        assert "not an http(s) URL" in err(tmp_path, f'[[feeds]]\nurl = "{bad}"\n'), bad
    assert (
        cfg(tmp_path, '[[feeds]]\nurl = "https://ääkköset.example/syöte?q=1"\n').feeds[0].name
        == "ääkköset.example"
    )


def test_quoted_values_cannot_break_the_one_line_message(tmp_path: Path) -> None:
    # a name, key or value holding a line break, an escape sequence or a bidi override is quoted escaped
    msg = err(tmp_path, '[[feeds]]\nname = "a\\rb"\nurl = "0"\n')
    assert "\r" not in msg and "feeds[0] \"a\\rb\": key 'url'" in msg
    msg = err(tmp_path, '[[feeds]]\n"x\\ny" = 1\nurl = "https://a.example/"\n')
    assert "key 'x\\ny': unknown key" in msg
    msg = err(tmp_path, '[[feeds]]\nurl = "https://a.example/"\nlanguage = "\\u001b[31m\\u202e"\n')
    assert "\x1b" not in msg and "\u202e" not in msg and "'\\x1b[31m\\u202e'" in msg
    long = "n" * 5000
    msg = err(tmp_path, f'[[feeds]]\nname = "{long}"\nurl = 0\n')
    assert len(msg) - len(str(tmp_path / "config.toml")) < 150


def test_duplicate_urls_and_names_are_errors(tmp_path: Path) -> None:
    msg = err(
        tmp_path, '[[feeds]]\nurl = "https://a.example/"\n[[feeds]]\nname = "b"\nurl = "https://a.example/"\n'
    )
    assert 'feeds[1] "b"' in msg and "duplicate feed URL (also feeds[0])" in msg
    msg = err(
        tmp_path,
        '[[feeds]]\nname="n"\nurl = "https://a.example/"\n[[feeds]]\nname = "n"\nurl = "https://b.example/"\n',
    )
    assert "duplicate feed name" in msg


def test_interval_forms() -> None:
    assert parse_interval("30m") == 1800
    assert parse_interval("90s") == 90
    assert parse_interval("1d") == 86400
    assert parse_interval(45) == 2700
    for bad in ("0m", "8d", "fast", True):
        with pytest.raises(ValueError):
            parse_interval(bad)


def test_missing_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("NORDWATCH_CONFIG", raising=False)
    monkeypatch.delenv("NORDWATCH_DB", raising=False)
    c = load_config()  # no default file: defaults
    assert c.path is None and c.feeds == ()
    assert c.db_path == tmp_path / "data" / "nordwatch" / "nordwatch.db"
    with pytest.raises(ConfigError, match=r"config file not found .*nordwatch init"):
        load_config(required=True)
    with pytest.raises(ConfigError, match=r"nope\.toml: config file not found"):
        load_config(tmp_path / "nope.toml")


def test_unreadable_and_not_utf8(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_bytes(b'name = "\xff"')
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(p)
    d = tmp_path / "dir.toml"
    d.mkdir()
    with pytest.raises(ConfigError, match="cannot read config"):
        load_config(d)


def test_db_path_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = '[store]\npath = "/from/config.db"\n'
    monkeypatch.delenv("NORDWATCH_DB", raising=False)
    assert parse_config(text, tmp_path / "c.toml").db_path == Path("/from/config.db")
    monkeypatch.setenv("NORDWATCH_DB", "/from/env.db")
    assert parse_config(text, tmp_path / "c.toml").db_path == Path("/from/env.db")
    assert parse_config(text, tmp_path / "c.toml", db="/from/flag.db").db_path == Path("/from/flag.db")


def test_env_config_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "env.toml"
    p.write_text('[[feeds]]\nurl = "https://a.example/rss"\n')
    monkeypatch.setenv("NORDWATCH_CONFIG", str(p))
    c = load_config()
    assert c.path == p and c.feeds[0].name == "a.example"


def test_dashboard_countries(tmp_path: Path) -> None:
    assert cfg(tmp_path, '[dashboard]\ncountries = ["fi", "EE"]\n').countries == ("FI", "EE")
