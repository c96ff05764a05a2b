"""Cross-layer messages: data changed under us, poll progress and outcome."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class DataChanged(Message):
    """Another connection committed to the database (`PRAGMA data_version` moved)."""

    version: int


@dataclass
class PollProgress(Message):
    """One feed of a running poll finished. Coalesces: only the newest matters."""

    done: int
    total: int
    feed: str

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, PollProgress)


@dataclass
class PollFinished(Message):
    """A poll started with `r` ended; `text` is the one-line outcome, `error` says whether it failed."""

    text: str
    error: bool = False


@dataclass
class OpenArticle(Message):
    """Ask the app to open the reader on an article."""

    article_id: int


@dataclass
class FilterCountry(Message):
    """Open articles and statements filtered to one country (a country panel was selected)."""

    code: str
