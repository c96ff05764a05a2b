"""`Analysis.to_dict()` is built by hand for speed: it must equal `dataclasses.asdict` field for field, in order."""

from __future__ import annotations

import dataclasses
import json

from feeds.analysis import Analysis, CountryScore, Statement, TreatyEvent, analyze
from tests.feeds.analysis.corpus import tuned_articles


def _asdict(res: Analysis) -> dict:
    return {
        "countries": [dataclasses.asdict(c) for c in res.countries],
        "statements": [dataclasses.asdict(s) for s in res.statements],
        "treaty_events": [dataclasses.asdict(t) for t in res.treaty_events],
    }


def _same(res: Analysis) -> None:
    got = res.to_dict()
    want = _asdict(res)
    assert got == want
    # key order too: it is the JSON shape `nordwatch analyze` prints and the store persists
    assert json.dumps(got, ensure_ascii=False) == json.dumps(want, ensure_ascii=False)


def test_fields_cover_the_dataclasses() -> None:
    res = Analysis(
        [CountryScore("FI", 1.0), CountryScore("EE", 0.5)],
        [Statement("Antti Häkkänen", "Defence Minister", "FI", "We will leave", "said", 10, 23)],
        [
            TreatyEvent("FI", "ottawa", "announce_withdrawal", "2025-01-02"),
            TreatyEvent("EE", "ccm", "other", None),
        ],
    )
    _same(res)
    _same(Analysis())
    for cls, keys in (
        (CountryScore, ["code", "score"]),
        (Statement, ["speaker", "role", "speaker_country", "quote", "cue", "start", "end"]),
        (TreatyEvent, ["country", "treaty", "action", "date"]),
    ):
        assert [f.name for f in dataclasses.fields(cls)] == keys  # a new field must be added to to_dict too


def test_labelled_articles() -> None:
    n = 0
    for a in tuned_articles():
        res = analyze(a["title"], a["text"], lang=a.get("lang", "en"))
        _same(res)
        n += bool(res.statements and res.treaty_events and res.countries)
    assert n >= 3  # rich articles: every list filled


def test_the_parse_worker_sends_the_rows_of_to_dict() -> None:
    """The poll sends `store.articles.AnalysisRows`, not the JSON shape: the same values, normalised the same way."""
    from feeds.processor import _analyzer
    from store.articles import AnalysisRows

    run = _analyzer()
    n = 0
    for a in tuned_articles():
        item = {"title": a["title"], "content": a["text"], "summary": "", "language": a.get("lang", "en")}
        rows = run(item, ("FI",))
        want = AnalysisRows.from_dict(
            analyze(a["title"], a["text"], lang=item["language"], hint_countries=("FI",)).to_dict()
        )
        assert rows == want
        assert type(rows) is AnalysisRows
        n += bool(rows.statements and rows.signals)
    assert n >= 3
