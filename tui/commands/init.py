"""`nordwatch init`: write a commented starter config with the region's public feeds."""

from __future__ import annotations

from pathlib import Path

import click

from tui.commands._common import fail

# (name, url, countries, language, tags, enabled, note). URLs from public code and documentation; the low-confidence
# ones start disabled. Check each once against the live site.
STARTER_FEEDS: list[tuple[str, str, list[str], str, list[str], bool, str]] = [
    (
        "Yle News",
        "https://feeds.yle.fi/uutiset/v1/recent.rss?publisherIds=YLE_NEWS",
        ["FI"],
        "en",
        ["broadcaster"],
        True,
        "",
    ),
    (
        "Yle Uutiset",
        "https://feeds.yle.fi/uutiset/v1/majorHeadlines/YLE_UUTISET.rss",
        ["FI"],
        "fi",
        ["broadcaster"],
        True,
        "",
    ),
    ("Svenska Yle", "https://svenska.yle.fi/rss/articles/all", ["FI"], "sv", ["broadcaster"], True, ""),
    ("ERR News", "https://news.err.ee/rss", ["EE"], "en", ["broadcaster"], True, ""),
    ("ERR (Russian)", "https://rus.err.ee/rss", ["EE"], "ru", ["broadcaster"], True, ""),
    ("LSM English", "https://eng.lsm.lv/rss/", ["LV"], "en", ["broadcaster"], True, ""),
    ("LRT English", "https://www.lrt.lt/en/news-in-english?rss", ["LT"], "en", ["broadcaster"], True, ""),
    ("NRK", "https://www.nrk.no/nyheter/siste.rss", ["NO"], "no", ["broadcaster"], True, ""),
    ("SVT Nyheter", "https://www.svt.se/rss.xml", ["SE"], "sv", ["broadcaster"], True, ""),
    (
        "DR Nyheder",
        "https://www.dr.dk/nyheder/service/feeds/senestenyt",
        ["DK"],
        "da",
        ["broadcaster"],
        True,
        "",
    ),
    ("RÚV", "https://www.ruv.is/rss/frettir", ["IS"], "is", ["broadcaster"], True, ""),
    ("The Local Sweden", "https://www.thelocal.se/feeds/rss.php", ["SE"], "en", ["news"], True, ""),
    (
        "The Barents Observer",
        "https://thebarentsobserver.com/en/rss.xml",
        ["NO"],
        "en",
        ["regional"],
        True,
        "",
    ),
    (
        "UN News",
        "https://news.un.org/feed/subscribe/en/news/all/rss.xml",
        [],
        "en",
        ["international"],
        True,
        "",
    ),
    (
        "BBC Europe",
        "https://feeds.bbci.co.uk/news/world/europe/rss.xml",
        [],
        "en",
        ["international"],
        True,
        "",
    ),
    ("Defense News", "https://www.defensenews.com/arc/outboundfeeds/rss/", [], "en", ["defence"], True, ""),
    ("ICDS", "https://icds.ee/en/feed/", ["EE"], "en", ["think-tank"], True, ""),
    ("EUvsDisinfo", "https://euvsdisinfo.eu/feed/", [], "en", ["disinformation"], True, ""),
    (
        "Landmine Monitor (Google News)",
        "https://news.google.com/rss/search?q=%22Landmine+Monitor%22+OR+ICBL&hl=en-US&gl=US&ceid=US:en",
        [],
        "en",
        ["treaties"],
        True,
        "no native feed exists; a Google News search stands in",
    ),
    (
        "NATO News",
        "https://www.nato.int/cps/rss/en/natohq/rssFeed.xsl/rssFeed.xml",
        [],
        "en",
        ["nato"],
        False,
        "the NATO feed URL is unsettled: check it live before enabling",
    ),
    (
        "RÚV English",
        "https://www.ruv.is/rss/english",
        ["IS"],
        "en",
        ["broadcaster"],
        False,
        "low confidence URL",
    ),
    ("The Local Norway", "https://www.thelocal.no/feed", ["NO"], "en", ["news"], False, "low confidence URL"),
]


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def starter_config() -> str:
    """The commented starter config text."""
    out = [
        "# nordwatch configuration. Reference: README.md (Configuration). Check it with `nordwatch config check`.",
        "",
        "[store]",
        '# path = "~/.local/share/nordwatch/nordwatch.db"   # also --db PATH / $NORDWATCH_DB',
        "",
        "[poll]",
        "concurrency = 16        # feeds in flight at once",
        "per_host = 4            # connections per host",
        "timeout = 30            # seconds per request; a whole feed fetch gets at most 2x this",
        "max_bytes = 10_000_000  # larger bodies (after decompression) are cut off and the feed marked failed",
        "",
        "[dashboard]",
        'countries = ["DK", "EE", "FI", "IS", "LV", "LT", "NO", "SE"]   # one panel each',
        "",
        "# Feeds of the region's outlets, from public code and documentation: check each once against the live",
        "# site. countries = the outlet's home country (a tagging hint); interval = how often cron polls it.",
    ]
    for name, url, countries, lang, tags, enabled, note in STARTER_FEEDS:
        out.append("")
        if note:
            out.append(f"# {note}")
        out += [
            "[[feeds]]",
            f"name = {_q(name)}",
            f"url = {_q(url)}",
            "countries = [" + ", ".join(_q(c) for c in countries) + "]",
            f"language = {_q(lang)}",
            "tags = [" + ", ".join(_q(t) for t in tags) + "]",
            'interval = "30m"',
            f"enabled = {'true' if enabled else 'false'}",
        ]
    out += [
        "",
        "# Correct or add treaty events (they win over the shipped baseline for the same country, treaty, kind):",
        "# [[treaty_events]]",
        '# country = "SE"',
        '# treaty = "ottawa"',
        '# kind = "announce_withdrawal"',
        '# date = "2026-03-01"',
        '# source = "https://example.org/press-release"',
        '# note = "Government decision"',
        "",
    ]
    return "\n".join(out)


@click.command()
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Where to write it (default: the XDG path).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(config_path: str | None, force: bool) -> None:
    """Write a commented starter config with real public feeds of the region's outlets.

    Example: nordwatch init && nordwatch poll
    """
    from feeds.config import ConfigError, find_config, parse_config

    path, _how = find_config(config_path)
    if path.exists() and not force:
        fail(f"{path}: already exists (use --force to overwrite, or edit it)")
    text = starter_config()
    try:
        parse_config(text, path)  # what we write must load
    except ConfigError as e:  # pragma: no cover - a bug in the template
        fail(f"internal error in the starter config: {e}")
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(text, encoding="utf-8")
    except OSError as e:
        fail(f"{path}: cannot write: {e.strerror or e}")
    click.echo(str(path))
    click.echo(f"# wrote a starter config with {len(STARTER_FEEDS)} feeds; next: nordwatch poll", err=True)
