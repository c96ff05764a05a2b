"""`nordwatch export articles|statements|treaties`: CSV, JSON or JSON Lines, streamed row by row."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import click

from tui.commands._common import config_option, db_option, fail, load, output_option

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas: a text cell starting with = + - @ (or tab/CR) gets a leading quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(rows: Iterable[dict[str, Any]], columns: tuple[str, ...], out: IO[str]) -> int:
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(columns)
    n = 0
    for row in rows:
        w.writerow([csv_safe(row.get(c)) for c in columns])
        n += 1
    return n


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_json(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    """A JSON array written element by element (never built in memory)."""
    n = 0
    out.write("[")
    for row in rows:
        out.write(("\n  " if n == 0 else ",\n  ") + json.dumps(row, ensure_ascii=False))
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n


@click.command()
@click.argument("what", type=click.Choice(["articles", "statements", "treaties"]))
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json", "jsonl"]), default="csv", show_default=True
)
@click.option("--since", metavar="AGE|DATE", help="Only rows published since: 24h, 7d, 2w, or 2025-06-01.")
@click.option("--country", metavar="CC", help="Only rows about this country (ISO alpha-2).")
@output_option
@config_option
@db_option
def export(
    what: str,
    fmt: str,
    since: str | None,
    country: str | None,
    output: str,
    config_path: str | None,
    db_path: str | None,
) -> None:
    """Export articles, statements or treaty signals as CSV, JSON or JSON Lines (newest first).

    CSV cells that a spreadsheet would run as a formula (= + - @) are prefixed with a quote.

    \b
    Examples: nordwatch export statements --since 7d --country EE -o statements.csv
              nordwatch export articles --format jsonl --since 24h | jq .title
    """
    from store import StoreError, open_db
    from store.export import KINDS, since_bound

    cfg = load(config_path, db_path)
    try:
        bound = since_bound(since)
    except ValueError as e:
        fail(f"--since: {e}")
    if country and not (len(country) == 2 and country.isalpha()):
        fail(f"--country: '{country}' is not an ISO 3166 alpha-2 code like EE")
    if not cfg.db_path.exists():
        fail(f"{cfg.db_path}: no database yet (run `nordwatch poll` first)")
    try:
        db = open_db(cfg.db_path)
    except StoreError as e:
        fail(str(e))
    rows_fn, columns = KINDS[what]
    rows = rows_fn(db, since=bound, country=country)
    newline = "" if fmt == "csv" else None
    try:
        if output == "-":
            out = sys.stdout if fmt != "csv" else open(sys.stdout.fileno(), "w", newline="", closefd=False)  # noqa: SIM115
            n = _write(fmt, rows, columns, out)
            out.flush()
        else:
            with open(Path(output).expanduser(), "w", encoding="utf-8", newline=newline) as fh:
                n = _write(fmt, rows, columns, fh)
            click.echo(f"wrote {n} {what} to {output}", err=True)
    except BrokenPipeError:  # `| head`: the reader left; not an error
        sys.stderr.close()
        sys.exit(0)
    except OSError as e:
        fail(f"{output}: cannot write: {e.strerror or e}")


def _write(fmt: str, rows: Iterator[dict[str, Any]], columns: tuple[str, ...], out: IO[str]) -> int:
    if fmt == "csv":
        return write_csv(rows, columns, out)
    if fmt == "jsonl":
        return write_jsonl(rows, out)
    return write_json(rows, out)
