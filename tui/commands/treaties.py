"""`nordwatch treaties`: treaty status per country as of a date (table or JSON)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import click

from tui.commands._common import config_option, db_option, fail, load

SHORT = {
    "party": "party",
    "signatory": "signed",
    "non_party": "-",
    "withdrawal_announced": "announced",
    "withdrawal_pending": "pending",
    "withdrawn": "withdrawn",
    "suspended": "suspended",
    "disputed": "disputed",
}
LEGEND = (
    "announced = exit announced or voted, instrument not deposited; pending = instrument deposited "
    "(days until it takes effect); disputed = a claimed step whose legal effect is contested; - = not a party"
)


def cell(s: Any, as_of: date) -> str:
    """One table cell: short status, its date, a countdown for pending withdrawals, `*` for news signals."""
    text = SHORT.get(s.status, s.status)
    if s.status == "withdrawal_pending":
        if s.effective is None:
            text += " (deferred: armed conflict)" if s.deferred else " (no date)"
        else:
            text += f" {s.effective.isoformat()} ({(s.effective - as_of).days}d)"
    elif s.since is not None and s.status != "non_party":
        text += f" {s.since.isoformat()}"
    return text + (" *" if s.signals else "")


def render_table(statuses: Sequence[Any], as_of: date, reviewed: date, labels: dict[str, str]) -> str:
    """The plain-text country x treaty table, with unconfirmed news listed below it."""
    from feeds.sanitize import clean_text

    countries = list(dict.fromkeys(s.country for s in statuses))
    treaties = list(dict.fromkeys(s.treaty for s in statuses))
    by_key = {(s.country, s.treaty): s for s in statuses}
    header = ["", *(labels.get(t, t) for t in treaties)]
    rows = [[c, *(cell(by_key[(c, t)], as_of) for t in treaties)] for c in countries]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [f"Treaty status as of {as_of.isoformat()} (baseline reviewed {reviewed.isoformat()})", ""]
    for r in [header, *rows]:
        lines.append("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())
    lines += ["", LEGEND]
    flagged = [s for s in statuses if s.signals]
    if flagged:
        lines += ["", "* unconfirmed news, newer than the latest recorded event (status not changed):"]
        for s in flagged:
            for sig in s.signals:
                stated = f" {sig.date.isoformat()}" if sig.date else ""
                title = clean_text(sig.title, single_line=True, max_len=80)
                url = clean_text(sig.url or "", single_line=True)
                lines.append(
                    f"  {s.country} {labels.get(s.treaty, s.treaty)}: {clean_text(sig.action, single_line=True)}"
                    f"{stated} - {title} ({sig.published_at[:10]}) {url}".rstrip()
                )
    return "\n".join(lines)


def _open_db_readonly(path: Any) -> Any:
    """The database for news signals, or None when there is none yet (never created just to read)."""
    from store import StoreError, open_db

    if not path.exists():
        return None
    try:
        return open_db(path, readonly=True)
    except StoreError as e:
        click.echo(f"nordwatch: warning: {e}; showing status without news signals", err=True)
        return None


@click.command("treaties")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Compute status as of this day, YYYY-MM-DD (default: today).",
)
@click.option(
    "--country", "countries", multiple=True, metavar="CC", help="Only this country (ISO2); repeatable."
)
@click.option("--treaty", "treaties_", multiple=True, metavar="ID", help="Only this treaty id; repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@config_option
@db_option
def treaties(
    as_of: datetime | None,
    countries: tuple[str, ...],
    treaties_: tuple[str, ...],
    as_json: bool,
    config_path: str | None,
    db_path: str | None,
) -> None:
    """Show each country's status in each treaty as of a date.

    Statuses come from the shipped, sourced baseline plus your [[treaty_events]], under each treaty's own
    entry-into-force and withdrawal rules. News signals newer than the latest event are listed as
    unconfirmed. Treaty ids: ottawa, ccm, nato, cfe, open_skies, tpnw.

    Example: nordwatch treaties --as-of 2025-09-01 --country LV --treaty ottawa --json
    """
    from store.treaties import baseline_reviewed, load_baseline, status_matrix

    day = as_of.date() if as_of else date.today()
    cfg = load(config_path, db_path)
    db = _open_db_readonly(cfg.db_path)
    try:
        statuses = status_matrix(
            db, day, countries=countries or None, treaties=treaties_ or None, user_events=cfg.treaty_events
        )
    except ValueError as e:
        fail(str(e))
    if as_json:
        click.echo(json.dumps([s.to_dict() for s in statuses], indent=2, ensure_ascii=False))
        return
    labels = {t: r.short for t, r in load_baseline().rules.items()}
    click.echo(render_table(statuses, day, baseline_reviewed(), labels))
