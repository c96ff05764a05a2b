"""Score `analyze` against labelled articles: precision/recall per task (used by tests and bench/eval_analysis.py).

A labelled article is a dict: id, title, text, lang, countries [ISO2], treaty_events [[country, treaty, action]],
statements [{quote, speaker, speaker_country}] (speaker_country "" = none); optional hint_countries (the feed's hint).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from feeds.analysis import analyze


@dataclass
class PRF:
    """Counts for one task."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Scores over a labelled set, plus the misses for reading."""

    countries: PRF = field(default_factory=PRF)
    quotes: PRF = field(default_factory=PRF)
    treaties: PRF = field(default_factory=PRF)
    actions: PRF = field(default_factory=PRF)
    speaker_ok: int = 0
    country_ok: int = 0
    matched: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_ok / self.matched if self.matched else 1.0

    @property
    def speaker_country_accuracy(self) -> float:
        return self.country_ok / self.matched if self.matched else 1.0

    def lines(self) -> list[str]:
        def row(name: str, s: PRF) -> str:
            return f"{name:<22} P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f} (tp={s.tp} fp={s.fp} fn={s.fn})"

        return [
            row("countries", self.countries),
            row("quote spans", self.quotes),
            f"{'speaker':<22} {self.speaker_accuracy:.3f} of {self.matched} found quotes",
            f"{'speaker_country':<22} {self.speaker_country_accuracy:.3f} of {self.matched} found quotes",
            row("treaty (country,treaty)", self.treaties),
            row("treaty (+action)", self.actions),
        ]


def _no_article(speaker: str) -> str:
    """A speaker compared without case and a leading article ("a KAPO spokesperson" = "KAPO spokesperson")."""
    s = speaker.casefold()
    for article in ("the ", "a ", "an "):
        if s.startswith(article):
            return s[len(article) :]
    return s


def _same_speaker(gold: str, pred: str | None) -> bool:
    if not pred:
        return False
    g, p = _no_article(gold), _no_article(pred)
    return g == p or (" " in g and g.split()[-1] == p.split()[-1] and g.split()[0][:1] == p.split()[0][:1])


def evaluate(articles: Iterable[dict]) -> Report:
    """Run `analyze` over labelled articles and count hits and misses."""
    rep = Report()
    for art in articles:
        res = analyze(
            art.get("title", ""),
            art["text"],
            lang=art.get("lang"),
            hint_countries=tuple(art.get("hint_countries", ())),
        )
        aid = art.get("id", "?")
        got = {c.code for c in res.countries}
        want = set(art.get("countries", []))
        rep.countries.tp += len(got & want)
        rep.countries.fp += len(got - want)
        rep.countries.fn += len(want - got)
        rep.errors += [f"{aid}: country +{c}" for c in sorted(got - want)]
        rep.errors += [f"{aid}: country -{c}" for c in sorted(want - got)]
        got_t = {(e.country, e.treaty) for e in res.treaty_events}
        want_t = {(c, t) for c, t, _ in art.get("treaty_events", [])}
        rep.treaties.tp += len(got_t & want_t)
        rep.treaties.fp += len(got_t - want_t)
        rep.treaties.fn += len(want_t - got_t)
        rep.errors += [f"{aid}: treaty +{x}" for x in sorted(got_t - want_t)]
        rep.errors += [f"{aid}: treaty -{x}" for x in sorted(want_t - got_t)]
        want_a = {tuple(x) for x in art.get("treaty_events", [])}
        got_a = {(e.country, e.treaty, e.action) for e in res.treaty_events}
        rep.actions.tp += len(got_a & want_a)
        rep.actions.fp += len(got_a - want_a)
        rep.actions.fn += len(want_a - got_a)
        rep.errors += [f"{aid}: action +{x}" for x in sorted(got_a - want_a) if x[:2] in want_t]
        rep.errors += [f"{aid}: action -{x}" for x in sorted(want_a - got_a) if x[:2] in got_t]
        _score_statements(art, res.statements, rep)
    return rep


def _score_statements(art: dict, preds: list, rep: Report) -> None:
    text, aid = art["text"], art.get("id", "?")
    used: set[int] = set()
    for gold in art.get("statements", []):
        gs = text.find(gold["quote"])
        ge = gs + len(gold["quote"])
        best = None
        for i, p in enumerate(preds):
            inter = min(ge, p.end) - max(gs, p.start)
            union = max(ge, p.end) - min(gs, p.start)
            if i not in used and inter > 0 and inter / union >= 0.5:
                best = i
                break
        if best is None:
            rep.quotes.fn += 1
            rep.errors.append(f"{aid}: quote missed {gold['quote'][:50]!r}")
            continue
        used.add(best)
        p = preds[best]
        rep.quotes.tp += 1
        rep.matched += 1
        if _same_speaker(gold["speaker"], p.speaker):
            rep.speaker_ok += 1
        else:
            rep.errors.append(
                f"{aid}: speaker {p.speaker!r} != {gold['speaker']!r} for {gold['quote'][:30]!r}"
            )
        if (gold["speaker_country"] or None) == p.speaker_country:
            rep.country_ok += 1
        else:
            rep.errors.append(
                f"{aid}: speaker_country {p.speaker_country!r} != {gold['speaker_country']!r} ({p.speaker})"
            )
    for i, p in enumerate(preds):
        if i not in used:
            rep.quotes.fp += 1
            rep.errors.append(f"{aid}: quote extra {p.quote[:50]!r} ({p.speaker})")
