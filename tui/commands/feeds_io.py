"""`nordwatch feeds import|export|add`: feeds in and out of the config (OPML, newsboat, a site URL)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import click

from tui.commands._common import fail, load, output_option

_config_opt = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    envvar="NORDWATCH_CONFIG",
    help="Config file to edit (default: $NORDWATCH_CONFIG, else ~/.config/nordwatch/config.toml).",
)


def _config_file(ctx: click.Context, config_path: str | None) -> Path:
    """The config to edit: this command's --config, else the `feeds` group's, else the usual search."""
    from feeds.config import find_config

    if not config_path and ctx.parent is not None:
        config_path = ctx.parent.params.get("config_path")
    return find_config(config_path)[0]


def _check_existing(path: Path) -> None:
    """Refuse to edit a config that does not load (the error names file and key)."""
    if path.exists():
        load(str(path), None, required=True)


def _report(report, path: Path, dry_run: bool, created: bool) -> None:
    for f in report.added:
        tags = f" [{', '.join(f.tags)}]" if f.tags else ""
        click.echo(f"+ {f.name} <{f.url}>{tags}")
    for old, new in report.renamed:
        click.echo(f"  (name {old!r} was taken: added as {new!r})", err=True)
    for url, why in report.rejected:
        click.echo(f"  skipped {url}: {why}", err=True)
    verb = "would add" if dry_run else "added"
    where = f"{path} (new file)" if created and not dry_run else str(path)
    skipped = []
    if report.duplicates:
        skipped.append(f"{len(report.duplicates)} already configured")
    if report.rejected:
        skipped.append(f"{len(report.rejected)} not http(s)")
    n = len(report.added)
    click.echo(
        f"{verb} {n} feed{'s' if n != 1 else ''} to {where}"
        + (f"; skipped {', '.join(skipped)}" if skipped else "")
    )


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--newsboat", is_flag=True, help="FILE is a newsboat `urls` file, not OPML.")
@click.option("--dry-run", is_flag=True, help="Show what would be added; change nothing.")
@_config_opt
@click.pass_context
def import_(ctx: click.Context, file: str, newsboat: bool, dry_run: bool, config_path: str | None) -> None:
    """Add the feeds of an OPML file (or a newsboat `urls` file) to the config.

    Folders become tags; feeds already configured (same URL) are skipped; the config keeps its comments.
    Use - for stdin.

    \b
    Examples: nordwatch feeds import subscriptions.opml
              nordwatch feeds import --newsboat ~/.newsboat/urls
    """
    from feeds.config import ConfigError
    from feeds.opml import ImportError_, merge_into_config, parse_newsboat, parse_opml

    path = _config_file(ctx, config_path)
    _check_existing(path)
    try:
        data = sys.stdin.buffer.read() if file == "-" else Path(file).expanduser().read_bytes()
    except OSError as e:
        fail(f"{file}: cannot read: {e.strerror or e}")
    try:
        feeds = parse_newsboat(data.decode("utf-8", "replace")) if newsboat else parse_opml(data, source=file)
    except ImportError_ as e:
        fail(str(e))
    if not feeds:
        fail(f"{file}: no feeds found" + ("" if newsboat else " (no <outline> with an xmlUrl)"))
    created = not path.exists()
    try:
        report, _ = merge_into_config(path, feeds, dry_run=dry_run)
    except ConfigError as e:
        fail(f"the merged config would not load, nothing written: {e}")
    except OSError as e:
        fail(f"{path}: cannot write: {e.strerror or e}")
    _report(report, path, dry_run, created)


@click.command()
@output_option
@_config_opt
@click.pass_context
def export(ctx: click.Context, output: str, config_path: str | None) -> None:
    """Write the configured feeds as OPML 2.0 (tags as folders and categories).

    Example: nordwatch feeds export -o nordwatch.opml
    """
    from feeds.opml import to_opml

    cfg = load(str(_config_file(ctx, config_path)), None, required=True)
    data = to_opml(list(cfg.feeds))
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        Path(output).expanduser().write_bytes(data)
    except OSError as e:
        fail(f"{output}: cannot write: {e.strerror or e}")
    click.echo(f"wrote {len(cfg.feeds)} feeds to {output}", err=True)


async def _probe(url: str, cfg) -> tuple[str, str | None, int]:
    """Fetch `url`; if it is an HTML page, follow its feed link. Returns (feed url, feed title, entries)."""
    from feeds.fetcher import fetch_feed, make_client
    from feeds.opml import discover_feed_links
    from feeds.parser import parse_bytes

    pc = cfg.poll
    async with make_client(timeout=min(pc.timeout, 20.0), concurrency=2, user_agent=pc.user_agent) as client:
        for _ in range(2):
            fr = await fetch_feed(client, url, max_bytes=pc.max_bytes, deadline=min(pc.feed_deadline, 40.0))
            if fr.outcome != "ok" or fr.body is None:
                raise click.ClickException(f"{url}: {fr.error or 'no content'}")
            final = fr.final_url or url
            head = fr.body[:1024].lstrip().lower()
            is_html = "html" in (fr.content_type or "").lower() or head.startswith(
                (b"<!doctype html", b"<html")
            )
            if not is_html:
                parsed = parse_bytes(fr.body, url=final, content_type=fr.content_type)
                if parsed.entries or (parsed.bozo is None and parsed.feed):
                    title = parsed.feed.get("title") if hasattr(parsed.feed, "get") else None
                    return final, title, len(parsed.entries)
                raise click.ClickException(f"{url}: not an RSS/Atom feed ({parsed.bozo or 'no entries'})")
            links = discover_feed_links(fr.body, final)
            if not links:
                raise click.ClickException(f'{url}: an HTML page without a <link rel="alternate"> feed')
            if len(links) > 1:
                others = ", ".join(u for u, _, _ in links[1:4])
                click.echo(
                    f"nordwatch: {url} links {len(links)} feeds; using the first (others: {others})", err=True
                )
            url = links[0][0]
    raise click.ClickException(f"{url}: the page's feed link leads to another HTML page")


@click.command()
@click.argument("url")
@click.option("--name", help="Display name (default: the feed's own title).")
@click.option(
    "--country", "countries", multiple=True, metavar="CC", help="Outlet's home country (repeatable)."
)
@click.option("--tag", "tags", multiple=True, help="Tag (repeatable).")
@click.option("--language", help='Language code, like "en" or "fi".')
@click.option("--interval", help='How often to poll it, like "30m" or "2h".')
@click.option("--dry-run", is_flag=True, help="Find and check the feed; change nothing.")
@_config_opt
@click.pass_context
def add(
    ctx: click.Context,
    url: str,
    name: str | None,
    countries: tuple[str, ...],
    tags: tuple[str, ...],
    language: str | None,
    interval: str | None,
    dry_run: bool,
    config_path: str | None,
) -> None:
    """Add one feed: a feed URL, or a site's page whose <link rel="alternate"> names its feed.

    The feed is fetched once to check it, then appended to the config (comments kept).

    Example: nordwatch feeds add https://news.err.ee/ --country EE --tag broadcaster
    """
    from feeds.config import ConfigError, load_config, parse_interval
    from feeds.opml import ImportedFeed, merge_into_config
    from feeds.sanitize import clean_text

    path = _config_file(ctx, config_path)
    _check_existing(path)
    cfg = load_config(path) if path.exists() else load_config(None)
    if not url.startswith(("http://", "https://")):
        url = "https://" + url
    seconds = None
    if interval:
        try:
            seconds = parse_interval(interval)
        except ValueError as e:
            fail(f"--interval: {e}")
    try:
        feed_url, title, entries = asyncio.run(_probe(url, cfg))
    except click.ClickException as e:
        fail(e.message, 1)
    label = (name or clean_text(title or "", single_line=True, max_len=120)).strip()
    item = ImportedFeed(
        url=feed_url,
        name=label,
        tags=tuple(tags),
        countries=tuple(c.upper() for c in countries),
        language=language,
        interval_s=seconds,
    )
    created = not path.exists()
    try:
        report, _ = merge_into_config(path, [item], dry_run=dry_run)
    except ConfigError as e:
        fail(f"not added: {e}")
    except OSError as e:
        fail(f"{path}: cannot write: {e.strerror or e}")
    if report.duplicates:
        click.echo(f"{feed_url} is already configured in {path}")
        return
    _report(report, path, dry_run, created)
    click.echo(f"  checked: {entries} entr{'y' if entries == 1 else 'ies'} now in the feed", err=True)
