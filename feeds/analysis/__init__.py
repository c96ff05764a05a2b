"""Analysis of one article: the states it is about, who said what, and which treaty moves it reports.

Pure functions over text (no I/O after the bundled data files are read once per process), so `analyze` runs inside
the poll's parse workers and in `nordwatch analyze` alike. The rules live as data in `feeds/analysis/data/`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from feeds.analysis.countries import _DATELINE, SPEAKER_BONUS, TREATY_BONUS, CountryScore, score_countries
from feeds.analysis.gazetteer import gazetteer
from feeds.analysis.keys import key_hits
from feeds.analysis.statements import Statement, extract_statements
from feeds.analysis.text import find_quotes, fold_safe, lower, mask_quotes, sentence_spans
from feeds.analysis.treaties import TreatyEvent, extract_treaty_events

# Languages whose texts may use the gazetteer's lower-case native adjectives ("dansk", "suomalainen").
NATIVE_LANGS = frozenset(["fi", "sv", "no", "nb", "nn", "da", "et", "lv", "lt", "pl", "ru", "is", "de"])

__all__ = ["Analysis", "CountryScore", "Statement", "TreatyEvent", "analyze"]


@dataclass(frozen=True)
class Analysis:
    """What `analyze` found; `to_dict()` is the JSON shape `nordwatch analyze` prints and the store persists."""

    countries: list[CountryScore] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    treaty_events: list[TreatyEvent] = field(default_factory=list)

    def to_dict(self) -> dict:
        # Built by hand: `dataclasses.asdict` deep-copies field by field and costs more than the analysis of a short
        # article. Same keys in the same order as `asdict` (tests/feeds/analysis/test_to_dict.py holds them equal).
        return {
            "countries": [{"code": c.code, "score": c.score} for c in self.countries],
            "statements": [
                {
                    "speaker": s.speaker,
                    "role": s.role,
                    "speaker_country": s.speaker_country,
                    "quote": s.quote,
                    "cue": s.cue,
                    "start": s.start,
                    "end": s.end,
                }
                for s in self.statements
            ],
            "treaty_events": [
                {"country": t.country, "treaty": t.treaty, "action": t.action, "date": t.date}
                for t in self.treaty_events
            ],
        }


def analyze(
    title: str, text: str, *, lang: str | None = None, hint_countries: Iterable[str] = ()
) -> Analysis:
    """Analyse one article: `title` and plain-text `text` (offsets in statements refer to `text`)."""
    title = title or ""
    text = text or ""
    lang = (lang or "").split("-")[0].lower() or None
    gaz = gazetteer()
    quotes = find_quotes(text)
    sentences = sentence_spans(mask_quotes(text, quotes))
    native = True if lang in NATIVE_LANGS else False if lang == "en" else None
    mentions = gaz.find(text, native)
    title_mentions = gaz.find(title, native)
    dateline = _DATELINE.match(text)
    main = _most_mentioned(title_mentions, mentions, text, hint_countries, dateline)
    low = lower(text)
    safe = fold_safe(text)
    hits = key_hits(low)
    statements = extract_statements(text, quotes, sentences, lang, main_country=main, low=low, safe=safe)
    events = extract_treaty_events(text, sentences, mentions, low, safe, hits)
    acting = [(s.speaker_country, SPEAKER_BONUS) for s in statements if s.speaker_country]
    acting += [(e.country, TREATY_BONUS) for e in events]
    countries = score_countries(
        title,
        title_mentions,
        text,
        mentions,
        sentences,
        acting=acting,
        hint_countries=hint_countries,
        low=low,
        lay_quotes=[(s.start, s.end) for s in statements if not s.speaker_country and not _official(s.role)],
        hits=hits,
        dateline=dateline,
    )
    return Analysis(countries, statements, events)


def _official(role: str | None) -> bool:
    """Whether a role speaks for a body (NATO, the EU, a ministry), not for the speaker alone."""
    return bool(role) and _OFFICE.search(role) is not None


_OFFICE = re.compile(
    r"NATO|Nato|EU\b|UN\b|United Nations|OSCE|Commission|Council|[Ss]pokes|[Mm]inist|[Ss]ecretary|[Oo]fficial|"
    r"[Cc]hief|[Hh]ead|[Dd]irector|[Cc]ommander|[Gg]eneral|[Aa]mbassador|[Pp]resident"
)


def _most_mentioned(
    title_mentions: list,
    mentions: list,
    text: str = "",
    hint_countries: Iterable[str] = (),
    dateline: re.Match[str] | bool | None = False,
) -> str | None:
    """The story's likely home: the dateline's state, else the feed's hinted state the text names (most often),
    else the state named most often (title counts 3x). Officials with no state named are taken to serve it."""
    if dateline is False:  # (not given: look for it)
        dateline = _DATELINE.match(text)
    if dateline:
        words = re.findall(r"[^\W\d_]+(?:[ .-][^\W\d_]+)?", dateline.group())
        terms = gazetteer().terms
        home = next((terms[w.title()][0] for w in words if w.title() in terms), None)
        if home:
            return home
    counts: dict[str, int] = {}
    for m in title_mentions:
        if m.code:
            counts[m.code] = counts.get(m.code, 0) + 3
    for m in mentions:
        if m.code:
            counts[m.code] = counts.get(m.code, 0) + 1
    hinted = [c for c in hint_countries if c in counts]
    if hinted:
        return max(hinted, key=lambda c: counts[c])
    return max(counts, key=lambda c: counts[c]) if counts else None
