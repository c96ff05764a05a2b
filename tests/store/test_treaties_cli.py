"""`nordwatch treaties` through click's CliRunner: JSON shape, table, filters, config overrides, signals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.store.test_treaties_signals import add_signal, make_db
from tui.cli import cli

KEYS = {"country", "treaty", "status", "since", "effective", "events", "signals"}


@pytest.fixture
def run(tmp_path: Path):
    env = {
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "NORDWATCH_CONFIG": None,
        "NORDWATCH_DB": None,
    }

    def _run(*args: str):
        return CliRunner().invoke(cli, ["treaties", *args], env=env, catch_exceptions=False)

    return _run


def test_json_shape_and_values(run, tmp_path: Path) -> None:
    res = run("--as-of", "2025-09-01", "--json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert len(rows) == 12 * 6
    assert all(set(r) == KEYS for r in rows)
    lv = next(r for r in rows if (r["country"], r["treaty"]) == ("LV", "ottawa"))
    assert (lv["status"], lv["since"], lv["effective"]) == ("withdrawal_pending", "2025-06-27", "2025-12-27")
    assert lv["events"][-1] == {
        "country": "LV",
        "treaty": "ottawa",
        "kind": "deposit_withdrawal",
        "date": "2025-06-27",
        "source": "https://www.lokmattimes.com/international/lithuania-latvia-estonia-notify-un-of-withdrawal-from-mine-ban-treaty",
        "note": "Notice of withdrawal deposited with the UN Secretary-General (same day as Estonia and Lithuania).",
        "origin": "baseline",
    }
    assert all(e["date"] <= "2025-09-01" for r in rows for e in r["events"])
    assert lv["signals"] == []
    assert not (tmp_path / "data").exists()  # no database created just to read


def test_filters_and_order(run) -> None:
    res = run("--as-of", "2023-04-04", "--json", "--country", "se", "--country", "FI", "--treaty", "nato")
    rows = json.loads(res.output)
    assert [(r["country"], r["status"]) for r in rows] == [("FI", "party"), ("SE", "non_party")]


def test_table_has_countdown_and_reviewed_date(run) -> None:
    res = run("--as-of", "2025-09-01", "--treaty", "ottawa", "--treaty", "ccm")
    assert res.exit_code == 0
    lines = res.output.splitlines()
    assert lines[0] == "Treaty status as of 2025-09-01 (baseline reviewed 2026-11-29)"
    assert lines[2].split() == ["Ottawa", "CCM"]
    lv = next(line for line in lines if line.startswith("LV "))
    assert lv.split() == ["LV", "pending", "2025-12-27", "(117d)", "-"]
    assert next(line for line in lines if line.startswith("UA ")).split()[1:3] == ["disputed", "2025-07-18"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--country", "XX"), "nordwatch: unknown country 'XX'"),
        (("--treaty", "start"), "nordwatch: unknown treaty 'start'"),
    ],
)
def test_bad_filters_exit_2(run, args: tuple[str, ...], message: str) -> None:
    res = run(*args)
    assert res.exit_code == 2
    assert message in res.output


def test_bad_as_of_is_a_usage_error(run) -> None:
    res = run("--as-of", "1.9.2025")
    assert res.exit_code == 2
    assert "1.9.2025" in res.output


def test_config_override_wins_and_is_marked_as_users(run, tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        '[[treaty_events]]\ncountry = "SE"\ntreaty = "ottawa"\nkind = "deposit_withdrawal"\n'
        'date = 2026-08-31\nsource = "https://example.org/se"\n',
        encoding="utf-8",
    )
    rows = json.loads(run("--config", str(cfg), "--as-of", "2026-09-01", "--json", "--country", "SE").output)
    se = next(r for r in rows if r["treaty"] == "ottawa")
    assert (se["status"], se["effective"]) == ("withdrawal_pending", "2027-02-28")
    assert se["events"][-1]["origin"] == "user"


def test_bad_override_is_rejected_with_file_and_key(run, tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        '[[treaty_events]]\ncountry = "SE"\ntreaty = "otawa"\nkind = "suspension"\ndate = 2026-01-01\n'
    )
    res = run("--config", str(cfg))
    assert res.exit_code == 2
    assert str(cfg) in res.output
    assert "treaty_events[0]" in res.output
    assert "unknown treaty 'otawa'; did you mean 'ottawa'?" in res.output


def test_signals_from_database_are_listed_as_unconfirmed(run, tmp_path: Path) -> None:
    db_path = tmp_path / "x.db"
    db = make_db(db_path)
    add_signal(db, 1, "NO", "ottawa", "announce_withdrawal", "2026-05-02T10:00:00Z", None)
    db["articles"].update(1, {"title": "Norway \x1b[31mto leave\x1b[0m mine ban?"})
    db.conn.close()
    res = run("--db", str(db_path), "--as-of", "2026-06-01", "--country", "NO")
    assert res.exit_code == 0, res.output
    no = next(line for line in res.output.splitlines() if line.startswith("NO "))
    assert no.split()[1:4] == ["party", "1999-03-01", "*"]
    assert (
        "NO Ottawa: announce_withdrawal - Norway to leave mine ban? (2026-05-02) https://news.example/1"
        in res.output
    )
    assert "\x1b" not in res.output
    rows = json.loads(run("--db", str(db_path), "--as-of", "2026-06-01", "--country", "NO", "--json").output)
    assert rows[0]["status"] == "party"
    assert [s["article_id"] for s in rows[0]["signals"]] == [1]
