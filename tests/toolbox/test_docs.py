"""Every command and subcommand has --help with an example and a README entry (sqlite-utils' test_docs.py);
shell completion works; the contrib/ unit files are complete."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.toolbox.helpers import ROOT, run
from tui.cli import COMMANDS, cli


def _commands() -> list[tuple[str, click.Command]]:
    out = []
    ctx = click.Context(cli)
    for name in COMMANDS:
        cmd = cli.get_command(ctx, name)
        assert cmd is not None, name
        out.append((name, cmd))
        if isinstance(cmd, click.Group):
            out += [(f"{name} {sub}", c) for sub, c in cmd.commands.items()]
    return out


ALL = _commands()
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [n for n, _ in ALL])
def test_help_has_an_example(name: str) -> None:
    r = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert r.exit_code == 0, r.output
    assert re.search(r"Examples?\b", r.output), f"`nordwatch {name} --help` shows no example"


@pytest.mark.parametrize("name", [n for n, _ in ALL])
def test_command_is_documented_in_readme(name: str) -> None:
    assert f"nordwatch {name}" in README, f"`nordwatch {name}` is not mentioned in README.md"


def test_bash_completion() -> None:
    script = run(env={"_NORDWATCH_COMPLETE": "bash_source"})
    assert script.returncode == 0 and "_nordwatch_completion" in script.stdout
    words = run(env={"_NORDWATCH_COMPLETE": "bash_complete", "COMP_WORDS": "nordwatch ex", "COMP_CWORD": "1"})
    assert "plain,export" in words.stdout.splitlines()
    sub = run(
        env={"_NORDWATCH_COMPLETE": "bash_complete", "COMP_WORDS": "nordwatch feeds im", "COMP_CWORD": "2"}
    )
    assert "plain,import" in sub.stdout.splitlines()


def test_version() -> None:
    r = run("--version")
    assert r.returncode == 0 and r.stdout.startswith("nordwatch, version ")


def test_systemd_units_are_complete() -> None:
    units = ROOT / "contrib" / "systemd"
    for name, section, keys in (
        ("nordwatch-poll.service", "Service", ("Type", "ExecStart", "SuccessExitStatus")),
        ("nordwatch-poll.timer", "Timer", ("OnCalendar", "Persistent")),
        ("nordwatch-brief.service", "Service", ("Type", "ExecStart")),
        ("nordwatch-brief.timer", "Timer", ("OnCalendar",)),
    ):
        p = configparser.ConfigParser(strict=False, interpolation=None)
        p.optionxform = str  # type: ignore[assignment,method-assign]
        p.read_string((units / name).read_text())
        assert all(k in p[section] for k in keys), name
        if name.endswith(".timer"):
            assert p["Install"]["WantedBy"] == "timers.target"
    service = (units / "nordwatch-poll.service").read_text()
    assert "nordwatch poll -q" in service and "SuccessExitStatus=75" in service


def test_crontab_example_uses_commands_that_exist(tmp_path: Path) -> None:
    lines = [
        line
        for line in (ROOT / "contrib" / "crontab.example").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert lines
    for line in lines:
        args = line.split("nordwatch ", 1)[1].split()
        args = [a for a in args if not a.startswith("$HOME")]
        r = CliRunner().invoke(cli, [*args[:1], "--help"])
        assert r.exit_code == 0, line
