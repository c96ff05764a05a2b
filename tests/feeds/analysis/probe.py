"""Short views of `analyze` for tests that check one kind of result on sentences of their own."""

from __future__ import annotations

from feeds.analysis import analyze


def codes(title: str, text: str, hint: tuple[str, ...] = ()) -> set[str]:
    """The states the story is about."""
    return {c.code for c in analyze(title, text, lang="en", hint_countries=hint).countries}


def events(text: str) -> set[tuple[str, str, str]]:
    """(country, treaty, action) of every treaty signal."""
    return {(e.country, e.treaty, e.action) for e in analyze("", text, lang="en").treaty_events}


def speakers(text: str, hint: tuple[str, ...] = ()) -> list[tuple[str | None, str | None]]:
    """(speaker, speaker_country) of every statement, in order."""
    return [
        (s.speaker, s.speaker_country) for s in analyze("", text, lang="en", hint_countries=hint).statements
    ]
