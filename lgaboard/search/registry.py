"""The sources of search entries. An app registers each of its sources once, in its AppConfig.ready();
the core reaches them only through here."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Document:
    """One thing a search can find, as the public may read it."""

    kind: str  # one of the source's `kinds`
    title: str
    url: str
    body: str
    context: str = ""  # where it is: "Improvement and Innovation Board, 1 November 2017, item 4"
    board: str = ""  # the board's slug, "" for what belongs to no board (the MoU)
    board_name: str = ""
    start_year: int | None = None  # the financial year (2017 for 2017/18)
    date: datetime.date | None = None


class Source(Protocol):
    name: str  # "meetings.papers"
    # The kinds of document it gives: {"annex": ("Annexes", "Annex")}, what the filter and a hit call them.
    kinds: dict[str, tuple[str, str]]

    # Optional: `follows = ("mou.deliverables",)`, other sources whose scopes it shares and some of
    # whose text it shows; refreshing one of their scopes refreshes it in this source too.

    def scope_key(self, scope: Any) -> str:
        """The part of the index one refresh replaces: "meeting:12"."""

    def scopes(self) -> Iterable[Any]:
        """Every scope, for rebuilding the whole index."""

    def documents(self, scope: Any) -> Iterable[Document]:
        """What the public may read in one scope now (nothing, if the scope is no longer public)."""


_sources: dict[str, Source] = {}


def register(source: Source) -> None:
    _sources[source.name] = source


def source(name: str) -> Source:
    return _sources[name]


def sources() -> list[Source]:
    return list(_sources.values())


def followers(name: str) -> list[Source]:
    """The sources refreshed with `name`'s scopes (their `follows` names it)."""
    return [source for source in _sources.values() if name in getattr(source, "follows", ())]


def kinds() -> dict[str, tuple[str, str]]:
    """Every kind of document, in the order the apps registered them: {"annex": ("Annexes", "Annex")}."""
    return {kind: names for source in _sources.values() for kind, names in source.kinds.items()}
