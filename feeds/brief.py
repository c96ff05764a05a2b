"""The daily brief: per country, treaty stage changes and countdowns, top statements, top stories (clustered),
then the failing feeds; rendered as Markdown, HTML (every feed string escaped) or plain text.

Clustering: a story carried by several outlets is already one article with `feed_items` rows ("also reported
by"); on top of that, titles whose word sets overlap strongly (Jaccard >= 0.5 over words of 3+ letters) are one
story. Stories rank by how many outlets carried them, then by recency.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import sqlite_utils

from feeds.config import Config
from feeds.sanitize import clean_text
from store.brief import (
    BriefSignal,
    BriefStatement,
    FailingFeed,
    Story,
    country_signals,
    country_statements,
    country_stories,
    failing_feeds,
)
from store.dashboard import COUNTRY_NAMES

TOP_STORIES = 5
TOP_STATEMENTS = 5
MAX_PER_ARTICLE = 2
"""Statements per article in the brief: five quotes from one interview would hide everything else."""
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "from",
        "that",
        "this",
        "into",
        "over",
        "after",
        "says",
        "said",
        "will",
        "has",
        "have",
        "are",
        "was",
    ]
)


@dataclass
class Cluster:
    lead: Story
    outlets: list[str]
    others: list[Story] = field(default_factory=list)

    @property
    def also(self) -> list[str]:
        return [o for o in self.outlets if o != self.lead.outlet]


@dataclass
class CountryBrief:
    code: str
    name: str
    treaty_changes: list[str]
    countdowns: list[str]
    signals: list[BriefSignal]
    statements: list[BriefStatement]
    stories: list[Cluster]
    story_count: int

    @property
    def empty(self) -> bool:
        return not (self.treaty_changes or self.countdowns or self.signals or self.statements or self.stories)


@dataclass
class Brief:
    since: str
    generated: str
    countries: list[CountryBrief]
    failing: list[FailingFeed]


def _words(title: str) -> frozenset[str]:
    return frozenset(w for w in (m.casefold() for m in _WORD.findall(title)) if w not in _STOP)


def cluster_stories(stories: list[Story], threshold: float = 0.5) -> list[Cluster]:
    """Group near-duplicate titles; each cluster lists every outlet once. Ranked by outlets, then recency."""
    clusters: list[tuple[frozenset[str], Cluster]] = []
    for s in stories:  # newest first: the newest report leads its cluster
        words = _words(s.title)
        outlets = [s.outlet, *s.also]
        for cw, c in clusters:
            if words and cw and len(words & cw) / len(words | cw) >= threshold:
                c.others.append(s)
                c.outlets += [o for o in outlets if o not in c.outlets]
                break
        else:
            clusters.append((words, Cluster(lead=s, outlets=list(dict.fromkeys(outlets)))))
    for _, c in clusters:  # the report most outlets carried leads (ties: the newest)
        best = max([c.lead, *c.others], key=lambda s: 1 + len(s.also))
        if best is not c.lead:
            c.others = [c.lead, *(o for o in c.others if o is not best)]
            c.lead = best
            c.outlets = [best.outlet, *(o for o in c.outlets if o != best.outlet)]
    # sorted() is stable: clusters with as many outlets keep newest-first order
    return sorted((c for _, c in clusters), key=lambda c: -len(c.outlets))


def _top_statements(rows: list[BriefStatement]) -> list[BriefStatement]:
    seen: set[str] = set()
    per_article: dict[int, int] = {}
    out = []
    for s in sorted(rows, key=lambda s: -s.outlets):  # stable: newest first within equal prominence
        key = " ".join(s.quote.casefold().split())[:120]
        if key in seen or per_article.get(s.article_id, 0) >= MAX_PER_ARTICLE:
            continue
        seen.add(key)
        per_article[s.article_id] = per_article.get(s.article_id, 0) + 1
        out.append(s)
        if len(out) == TOP_STATEMENTS:
            break
    return out


def _unique_signals(rows: list[BriefSignal]) -> list[BriefSignal]:
    """One line per (treaty, action, article): the same step reported twice in a text is one signal."""
    seen: set[tuple[str, str, str, str | None]] = set()
    out = []
    for r in rows:
        key = (r.treaty, r.action, r.title, r.url)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def build_brief(db: sqlite_utils.Database, config: Config, since: str, *, today: date | None = None) -> Brief:
    """Collect the brief for `config.countries` since `since` (a stored-time bound, `YYYY-MM-DDTHH:MM:SS`)."""
    from store.treaties import COUNTRIES, pending_countdowns, status_matrix

    today = today or datetime.now(UTC).date()
    since_day = date.fromisoformat(since[:10])
    countdowns = pending_countdowns(None, today, user_events=config.treaty_events)
    out = []
    for code in config.countries:
        changes: list[str] = []
        if code in COUNTRIES:
            for st in status_matrix(None, today, countries=[code], user_events=config.treaty_events):
                for ev in st.events:
                    if ev.date >= since_day and ev.kind != "milestone":
                        changes.append(
                            f"{st.treaty}: {ev.kind.replace('_', ' ')} on {ev.date.isoformat()}"
                            f" (now {st.status.replace('_', ' ')})"
                        )
        cds = [
            f"{p.treaty}: withdrawal takes effect {p.effective.isoformat()} ({p.days_left} days)"
            if p.effective
            else f"{p.treaty}: withdrawal deposited {p.since.isoformat()}, deferred (armed conflict)"
            for p in countdowns
            if p.country == code
        ]
        stories = country_stories(db, code, since)
        out.append(
            CountryBrief(
                code=code,
                name=COUNTRY_NAMES.get(code, code),
                treaty_changes=changes,
                countdowns=cds,
                signals=_unique_signals(country_signals(db, code, since))[:10],
                statements=_top_statements(country_statements(db, code, since)),
                stories=cluster_stories(stories)[:TOP_STORIES],
                story_count=len(stories),
            )
        )
    return Brief(
        since=since,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        countries=out,
        failing=failing_feeds(db),
    )


# --------------------------------------------------------------------------------------------- render


def _t(s: str | None, n: int = 300) -> str:
    return clean_text(s or "", single_line=True, max_len=n)


def _speaker(s: BriefStatement) -> str:
    who = _t(s.speaker, 80) or "unattributed"
    if s.role:
        who += f", {_t(s.role, 80)}"
    return who


def _signal(s: BriefSignal) -> str:
    text = f"{s.treaty}: {s.action.replace('_', ' ')}"
    if s.date:
        text += f" ({s.date})"
    return text + " — unconfirmed news"


def render_markdown(b: Brief) -> str:
    def link(title: str, url: str | None) -> str:
        title = _t(title).replace("[", "\\[").replace("]", "\\]")
        return f"[{title}](<{_t(url, 2000)}>)" if url else title

    lines = [
        f"# nordwatch brief — since {b.since[:16].replace('T', ' ')} UTC",
        "",
        f"_Generated {b.generated}._",
        "",
    ]
    quiet = []
    for c in b.countries:
        if c.empty:
            quiet.append(c.name)
            continue
        lines += [f"## {c.name} ({c.code})", ""]
        if c.treaty_changes or c.countdowns or c.signals:
            lines.append("**Treaties**")
            lines += [f"- {x}" for x in c.treaty_changes + c.countdowns]
            lines += [f"- {_signal(s)}: {link(s.title, s.url)} ({_t(s.outlet, 80)})" for s in c.signals]
            lines.append("")
        if c.statements:
            lines.append("**Statements**")
            for s in c.statements:
                lines.append(
                    f"- {_speaker(s)}: “{_t(s.quote, 400)}” — {link(s.title, s.url)} ({_t(s.outlet, 80)})"
                )
            lines.append("")
        if c.stories:
            lines.append(f"**Top stories** ({c.story_count} articles)")
            for cl in c.stories:
                also = f"; also reported by {', '.join(_t(o, 80) for o in cl.also)}" if cl.also else ""
                lines.append(f"- {link(cl.lead.title, cl.lead.url)} ({_t(cl.lead.outlet, 80)}{also})")
            lines.append("")
    if quiet:
        lines += [f"_Nothing new for: {', '.join(quiet)}._", ""]
    lines += _failing_lines(b, "## Failing feeds", "- ")
    return "\n".join(lines).rstrip() + "\n"


def _failing_lines(b: Brief, heading: str, bullet: str) -> list[str]:
    if not b.failing:
        return []
    out = [heading, ""]
    for f in b.failing:
        out.append(f"{bullet}{_t(f.name, 80)}: {_t(f.error, 200)} ({f.error_count} failures in a row)")
    return [*out, ""]


def render_text(b: Brief) -> str:
    lines = [f"nordwatch brief — since {b.since[:16].replace('T', ' ')} UTC (generated {b.generated})", ""]
    quiet = []
    for c in b.countries:
        if c.empty:
            quiet.append(c.name)
            continue
        lines += [f"{c.name.upper()} ({c.code})", ""]
        for x in c.treaty_changes + c.countdowns:
            lines.append(f"  * treaty: {x}")
        for s in c.signals:
            lines.append(f"  * treaty: {_signal(s)}: {_t(s.title)} ({_t(s.outlet, 80)})")
        for s in c.statements:
            lines.append(f'  * {_speaker(s)}: "{_t(s.quote, 400)}" ({_t(s.outlet, 80)})')
        for cl in c.stories:
            also = f" — also reported by {', '.join(_t(o, 80) for o in cl.also)}" if cl.also else ""
            lines.append(f"  - {_t(cl.lead.title)} ({_t(cl.lead.outlet, 80)}{also})")
            if cl.lead.url:
                lines.append(f"    {_t(cl.lead.url, 2000)}")
        lines.append("")
    if quiet:
        lines += [f"Nothing new for: {', '.join(quiet)}.", ""]
    lines += _failing_lines(b, "FAILING FEEDS", "  ! ")
    return "\n".join(lines).rstrip() + "\n"


def render_html(b: Brief) -> str:
    e = html.escape

    def link(title: str, url: str | None) -> str:
        if url and url.lower().startswith(("http://", "https://")):
            return f'<a href="{e(_t(url, 2000))}">{e(_t(title))}</a>'
        return e(_t(title))

    p = [
        "<!doctype html>",
        '<html><head><meta charset="utf-8"><title>nordwatch brief</title></head>',
        '<body style="font-family: sans-serif; max-width: 48em; line-height: 1.4">',
        f"<h1>nordwatch brief</h1><p><em>Since {e(b.since[:16].replace('T', ' '))} UTC · generated"
        f" {e(b.generated)}</em></p>",
    ]
    quiet = []
    for c in b.countries:
        if c.empty:
            quiet.append(c.name)
            continue
        p.append(f"<h2>{e(c.name)} ({e(c.code)})</h2>")
        if c.treaty_changes or c.countdowns or c.signals:
            p.append("<h3>Treaties</h3><ul>")
            p += [f"<li>{e(x)}</li>" for x in c.treaty_changes + c.countdowns]
            p += [
                f"<li>{e(_signal(s))}: {link(s.title, s.url)} ({e(_t(s.outlet, 80))})</li>" for s in c.signals
            ]
            p.append("</ul>")
        if c.statements:
            p.append("<h3>Statements</h3><ul>")
            for s in c.statements:
                p.append(
                    f"<li><strong>{e(_speaker(s))}</strong>: “{e(_t(s.quote, 400))}” — {link(s.title, s.url)}"
                    f" ({e(_t(s.outlet, 80))})</li>"
                )
            p.append("</ul>")
        if c.stories:
            p.append(f"<h3>Top stories <small>({c.story_count} articles)</small></h3><ul>")
            for cl in c.stories:
                also = f"; also reported by {e(', '.join(_t(o, 80) for o in cl.also))}" if cl.also else ""
                p.append(f"<li>{link(cl.lead.title, cl.lead.url)} ({e(_t(cl.lead.outlet, 80))}{also})</li>")
            p.append("</ul>")
    if quiet:
        p.append(f"<p><em>Nothing new for: {e(', '.join(quiet))}.</em></p>")
    if b.failing:
        p.append("<h2>Failing feeds</h2><ul>")
        for f in b.failing:
            p.append(
                f"<li>{e(_t(f.name, 80))}: {e(_t(f.error, 200))} ({f.error_count} failures in a row)</li>"
            )
        p.append("</ul>")
    p.append("</body></html>")
    return "\n".join(p) + "\n"


RENDERERS = {"markdown": render_markdown, "html": render_html, "text": render_text}
