"""The command line: the terminal's front door.

Subcommands live in `tui/commands/<name>.py` and are imported only when used, so `nordwatch poll` from
cron never imports Textual (tests/test_import_hygiene.py proves it).
"""

from __future__ import annotations

import gc
import importlib

import click

from tui.exitcodes import ExitCode

# name -> ("module:attribute", short help). Short help lives here so `--help` imports nothing.
COMMANDS: dict[str, tuple[str, str]] = {
    "tui": ("tui.commands.tui:tui", "Open the dashboard (the default)."),
    "demo": ("tui.commands.demo:demo", "Open the dashboard on bundled demo feeds (offline)."),
    "init": ("tui.commands.init:init", "Write a starter config with the region's public feeds."),
    "poll": ("tui.commands.poll:poll", "Poll due feeds once and exit (for cron)."),
    "feeds": ("tui.commands.feeds:feeds", "List configured feeds with their health."),
    "config": ("tui.commands.config:config", "Check the config or show where it was found."),
    "analyze": ("tui.commands.analyze:analyze", "Print countries, statements and treaty signals of a text."),
    "reindex": ("tui.commands.reindex:reindex", "Re-run analysis over stored articles."),
    "treaties": ("tui.commands.treaties:treaties", "Show treaty status per country as of a date."),
    "export": ("tui.commands.export:export", "Export articles, statements or treaty signals (CSV, JSON)."),
    "brief": ("tui.commands.brief:brief", "Print the daily brief (Markdown, HTML or text)."),
    "alerts": ("tui.commands.alerts:alerts", "List recorded alerts, or test a rule's channels."),
    "prune": ("tui.commands.prune:prune", "Delete old articles (keeps those with statements)."),
    "doctor": ("tui.commands.doctor:doctor", "Check config, database, lock, disk and feeds."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target[0].split(":")
        return getattr(importlib.import_module(module_name), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(
    cls=LazyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]}
)
# (package_name, not a version string: click then reads the package metadata only when --version is given, instead
# of at every start, cron runs included)
@click.version_option(package_name="nordwatch", prog_name="nordwatch")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """nordwatch: Nordic-Baltic security monitoring in the terminal.

    With no command, opens the dashboard (same as `nordwatch tui`).
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(LazyGroup.get_command(cli, ctx, "tui"))  # type: ignore[arg-type]


def main() -> None:
    """Console-script entry point."""
    try:
        cli.main(prog_name="nordwatch", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("nordwatch: interrupted", err=True)
        raise SystemExit(ExitCode.INTERRUPTED) from None
    finally:
        # The process is ending: spare the interpreter's last full collection over every object still alive (after a
        # 10,000-item poll, ~50 ms between the command's end and the process's)
        gc.freeze()
