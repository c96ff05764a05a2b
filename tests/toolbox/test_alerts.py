"""[[alerts]]: strict config, matching after a real poll, delivery through command/webhook/stdout, exactly once."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from feeds.config import ConfigError, load_config, parse_config
from feeds.poll import run_poll
from store import open_db
from store.alerts import mark_seen, recent_alerts, unseen_count
from tests.feedserver import FeedServer
from tests.toolbox.helpers import rss, run

MINE = {
    "guid": "m1",
    "title": "Estonia's parliament votes to leave the Ottawa Convention",
    "text": "Latvia and Estonia are abandoning the Ottawa Convention, citing Russia. "
    '"This decision sends a clear message," Defence Minister Hanno '
    "Pevkur said in Tallinn.",
}
CABLE = {"guid": "c1", "title": "Cable repaired in the Gulf of Finland", "text": "Finnish crews fixed it."}


def _recorder(path: Path) -> str:
    """argv of a command that appends its stdin (one alert JSON) as a line to `path`."""
    code = f"import sys; open({str(path)!r}, 'ab').write(sys.stdin.buffer.read() + b'\\n')"
    return json.dumps([sys.executable, "-c", code])


def _config(tmp: Path, server: FeedServer, rules: str, *, items=(MINE, CABLE)) -> Path:
    server.add("/f.xml", rss(list(items)))
    text = (
        f'[store]\npath = "{tmp / "nw.db"}"\n\n'
        f'[[feeds]]\nname = "Outlet"\nurl = "{server.url("/f.xml")}"\n\n' + rules
    )
    p = tmp / "c.toml"
    p.write_text(text)
    return p


def _bad(rules: str) -> str:
    with pytest.raises(ConfigError) as e:
        parse_config(rules, Path("/x/c.toml"))
    return str(e.value)


def test_rules_are_validated_strictly() -> None:
    assert _bad('[[alerts]]\nname = "a"\nkeyword = ["x"]\n') == (
        "/x/c.toml: alerts[0] \"a\": key 'keyword': unknown key (did you mean 'keywords'?)"
    )
    assert "not a valid regular expression" in _bad('[[alerts]]\nname = "a"\nkeywords = ["re:(unclosed"]\n')
    assert "never run through a shell" in _bad(
        '[[alerts]]\nname = "a"\ncountries = ["EE"]\ncommand = "x y"\n'
    )
    assert "matches nothing" in _bad('[[alerts]]\nname = "a"\nstdout = true\n')
    assert "did you mean 'ottawa'" in _bad('[[alerts]]\nname = "a"\ntreaties = ["otawa"]\n')
    assert "duplicate alert name" in _bad('[[alerts]]\nname = "a"\ncountries = ["EE"]\n' * 2)
    assert "is not an http(s) URL" in _bad(
        '[[alerts]]\nname = "a"\ncountries = ["EE"]\nwebhook = "ftp://x"\n'
    )
    assert "alerts[0]: key 'name': is required" in _bad('[[alerts]]\ncountries = ["EE"]\n')
    cfg = parse_config(
        '[[alerts]]\nname = "a"\nkeywords = ["mine ban", "re:\\\\bNATO\\\\b"]\nstdout = true\n'
        'command = ["notify-send", "nordwatch"]\nfeed_failures = 3\n',
        Path("/x/c.toml"),
    )
    (rule,) = cfg.alerts
    assert rule.channels == ("stdout", "command") and rule.feed_failures == 3
    assert rule.patterns[0].search("A MINE BAN treaty") and rule.patterns[1].search("the NATO summit")
    assert not rule.patterns[1].search("NATOish")


def test_poll_records_and_delivers_each_alert_once(tmp_path: Path, feed_server: FeedServer, capsys) -> None:
    log = tmp_path / "alerts.jsonl"
    rules = (
        '[[alerts]]\nname = "ottawa"\ntreaties = ["ottawa"]\nkeywords = ["leave"]\nstdout = true\n'
        f'command = {_recorder(log)}\nwebhook = "{feed_server.url("/hook")}"\n\n'
        '[[alerts]]\nname = "pevkur"\nspeakers = ["pevkur"]\ncommand = ' + _recorder(log) + "\n"
    )
    cfg = load_config(_config(tmp_path, feed_server, rules))
    run_poll(cfg)
    out = capsys.readouterr().out
    lines = [json.loads(x) for x in log.read_text().splitlines()]
    assert sorted(x["rule"] for x in lines) == ["ottawa", "pevkur"]
    ottawa = next(x for x in lines if x["rule"] == "ottawa")
    assert ottawa["title"] == MINE["title"] and ottawa["outlet"] == "Outlet"
    assert ottawa["matched"]["keywords"] == ["leave"]
    assert ottawa["matched"]["treaties"][0]["treaty"] == "ottawa"
    assert [json.loads(b)["title"] for b in feed_server.posts["/hook"]] == [MINE["title"]]
    assert out.count("nordwatch alert [ottawa]") == 1 and "https://outlet.example/m1" in out

    # Polling again (same items, and a new non-matching one) delivers nothing again.
    feed_server.update("/f.xml", rss([MINE, CABLE, {"guid": "x", "title": "Weather", "text": "Rain."}]))
    run_poll(cfg, force=True)
    assert len(log.read_text().splitlines()) == 2 and len(feed_server.posts["/hook"]) == 1
    assert "nordwatch alert" not in capsys.readouterr().out

    db = open_db(cfg.db_path)
    alerts = recent_alerts(db, 10)
    assert {a.rule for a in alerts} == {"ottawa", "pevkur"} and all(a.delivered_at for a in alerts)
    assert unseen_count(db) == 2
    assert mark_seen(db, [alerts[0].id], now="2025-01-01T00:00:00Z") == 1 and unseen_count(db) == 1


def test_failed_webhook_is_retried_without_repeating_other_channels(
    tmp_path: Path, feed_server: FeedServer, capsys
) -> None:
    feed_server.add("/hook", status=500)
    rules = f'[[alerts]]\nname = "ee"\ncountries = ["EE"]\nstdout = true\nwebhook = "{feed_server.url("/hook")}"\n'
    cfg = load_config(_config(tmp_path, feed_server, rules, items=(MINE,)))
    run_poll(cfg)
    captured = capsys.readouterr()
    assert captured.out.count("nordwatch alert [ee]") == 1
    assert "webhook answered HTTP 500" in captured.err and "retried next poll" in captured.err
    (a,) = recent_alerts(open_db(cfg.db_path))
    assert a.delivered_at is None and a.pending == ("webhook",) and a.attempts == 1

    feed_server.routes["/hook"].status = 200
    run_poll(cfg)  # nothing due, nothing new: only the retry
    assert "nordwatch alert" not in capsys.readouterr().out  # stdout already delivered
    assert len(feed_server.posts["/hook"]) == 2
    (a,) = recent_alerts(open_db(cfg.db_path))
    assert a.delivered_at is not None and set(a.delivered) == {"stdout", "webhook"}


def test_rules_added_later_do_not_alert_old_articles(tmp_path: Path, feed_server: FeedServer, capsys) -> None:
    path = _config(tmp_path, feed_server, "", items=(MINE,))
    run_poll(load_config(path))
    path.write_text(path.read_text() + '[[alerts]]\nname = "all"\nkeywords = ["re:."]\nstdout = true\n')
    cfg = load_config(path)
    feed_server.update("/f.xml", rss([MINE, CABLE]))
    run_poll(cfg, force=True)
    out = capsys.readouterr().out
    assert out.count("nordwatch alert [all]") == 1 and CABLE["title"] in out


def test_feed_failure_alerts_once_per_day_and_cron_gets_the_line(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    feed_server.add("/down.xml", status=503)
    log = tmp_path / "alerts.jsonl"
    p = tmp_path / "c.toml"
    p.write_text(
        f'[store]\npath = "{tmp_path / "nw.db"}"\n\n[[feeds]]\nname = "Down"\nurl = "{feed_server.url("/down.xml")}"\n\n'
        f'[[alerts]]\nname = "broken"\nfeed_failures = true\nstdout = true\ncommand = {_recorder(log)}\n'
    )
    r = run("poll", "--config", str(p), "-q")
    assert r.returncode == 1
    assert "nordwatch alert [broken] feed 'Down' failing: HTTP 503" in r.stdout
    r = run("poll", "--config", str(p), "-q", "--all")
    assert "nordwatch alert" not in r.stdout  # same feed, same day: already alerted
    assert len(log.read_text().splitlines()) == 1
    assert json.loads(log.read_text())["kind"] == "feed_failure"
