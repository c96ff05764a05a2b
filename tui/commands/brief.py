"""`nordwatch brief`: the daily brief, ready to paste into an email."""

from __future__ import annotations

from pathlib import Path

import click

from tui.commands._common import config_option, db_option, fail, load, output_option


@click.command()
@click.option(
    "--since", default="24h", show_default=True, metavar="AGE|DATE", help="Window: 24h, 3d, or a date."
)
@click.option(
    "--format", "fmt", type=click.Choice(["markdown", "html", "text"]), default="markdown", show_default=True
)
@click.option(
    "--country",
    "countries",
    multiple=True,
    metavar="CC",
    help="Only these countries (default: [dashboard] countries).",
)
@output_option
@config_option
@db_option
def brief(
    since: str,
    fmt: str,
    countries: tuple[str, ...],
    output: str,
    config_path: str | None,
    db_path: str | None,
) -> None:
    """Print the daily brief: per country, treaty changes and countdowns, top statements, top stories
    (one line per story, with the other outlets that reported it), then the failing feeds.

    \b
    Examples: nordwatch brief --since 24h
              nordwatch brief --format html -o brief.html
              nordwatch brief --format text | mail -s "nordwatch brief" me@example.org
    """
    import dataclasses

    from feeds.brief import RENDERERS, build_brief
    from store import StoreError, open_db
    from store.export import since_bound

    cfg = load(config_path, db_path)
    try:
        bound = since_bound(since)
    except ValueError as e:
        fail(f"--since: {e}")
    if countries:
        bad = [c for c in countries if not (len(c) == 2 and c.isalpha())]
        if bad:
            fail(f"--country: '{bad[0]}' is not an ISO 3166 alpha-2 code like EE")
        cfg = dataclasses.replace(cfg, countries=tuple(c.upper() for c in countries))
    if not cfg.db_path.exists():
        fail(f"{cfg.db_path}: no database yet (run `nordwatch poll` first)")
    try:
        db = open_db(cfg.db_path)
    except StoreError as e:
        fail(str(e))
    assert bound is not None
    text = RENDERERS[fmt](build_brief(db, cfg, bound))
    if output == "-":
        click.echo(text, nl=False)
        return
    try:
        Path(output).expanduser().write_text(text, encoding="utf-8")
    except OSError as e:
        fail(f"{output}: cannot write: {e.strerror or e}")
    click.echo(f"wrote the brief to {output}", err=True)
