"""`nordwatch analyze`: print the countries, statements and treaty signals of a text as JSON."""

from __future__ import annotations

import json
import sys
from typing import TextIO

import click

from tui.commands._common import fail
from tui.exitcodes import ExitCode


@click.command()
@click.argument("source", default="-", metavar="[FILE|-]")
@click.option("--title", default="", help="The article's title (weighs more than the body for countries).")
@click.option(
    "--lang", default=None, metavar="CODE", help="Language (en, fi, sv, no, da, et, lv, lt, pl, ru)."
)
@click.option(
    "--country-hint",
    "hints",
    multiple=True,
    metavar="ISO2",
    help="A feed's country hint (repeatable); it counts but does not override the text.",
)
@click.option(
    "--jsonl",
    is_flag=True,
    help='Batch: each input line {"id","title","text","lang"} -> one output line, the result plus "id".',
)
def analyze(source: str, title: str, lang: str | None, hints: tuple[str, ...], jsonl: bool) -> None:
    """Analyse a plain-text article: which states it is about, who said what, which treaty moves it reports.

    Examples: nordwatch analyze article.txt --title "Estonia leaves mine ban treaty"
              nordwatch analyze --jsonl < articles.jsonl > results.jsonl
    """
    from feeds.analysis import analyze as run

    try:
        stream: TextIO = sys.stdin if source == "-" else open(source, encoding="utf-8", errors="replace")  # noqa: SIM115
    except OSError as e:
        fail(f"{source}: {e.strerror or e}")
    hint_codes = tuple(h.upper() for h in hints)
    with stream:
        if not jsonl:
            result = run(title, stream.read(), lang=lang, hint_countries=hint_codes).to_dict()
            click.echo(json.dumps(result, ensure_ascii=False))
            return
        bad = 0
        for n, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                if not isinstance(item, dict):
                    raise ValueError("not a JSON object")
                result = run(
                    str(item.get("title") or ""),
                    str(item.get("text") or ""),
                    lang=item.get("lang") or lang,
                    hint_countries=tuple(item.get("countries") or hint_codes),
                ).to_dict()
            except ValueError as e:
                bad += 1
                click.echo(f"nordwatch: line {n}: {e}", err=True)
                continue
            result["id"] = item.get("id")
            click.echo(json.dumps(result, ensure_ascii=False))
    if bad:
        sys.exit(int(ExitCode.USAGE))
