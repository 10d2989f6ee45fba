"""Annex content that a later app provides: the hook through which programmes' live annexes (tables
generated from its data) take part in a pack without meetings knowing programmes.

A provider registers here from its app's `AppConfig.ready()`. The pack's templates (the
`annex_content` tags), its fingerprint and its publication then ask every provider; each answers for
the annexes it knows and with None (or nothing) for the others. A page asks each provider once for
the content of all its annexes (`PageAnnexes`), so that it takes as many queries for ten generated
annexes as for one.
"""

from collections.abc import Iterable
from typing import Protocol

from django.utils.safestring import SafeString, mark_safe

from .models import Annex, Meeting


class AnnexContentProvider(Protocol):
    related: tuple[str, ...]
    """Relations of Annex that hold the provider's content, loaded with the annexes in a fixed
    number of queries (e.g. "live")."""

    def html(self, annexes: list[Annex], *, published: bool) -> dict[int, str]:
        """The content on the page of those of `annexes` the provider has, by annex pk: as frozen
        once their meeting is published, live before. Read for all of them together, in a number of
        queries that does not grow with them."""

    def fingerprint(self, annex: Annex) -> str | None:
        """The annex's content as a revision compares it (its frozen copy)."""

    def figures_taken(self, items: list, *, published: bool) -> str:
        """On paper, once per pack or item: when the figures of the items' annexes were taken."""

    def freeze(self, meeting: Meeting, *, at) -> None:
        """Publication: keep the content of the meeting's annexes as the public will receive it, as
        it stands at `at` (None: when is not recorded)."""

    def thaw(self, meeting: Meeting) -> None:
        """Back to draft: the meeting's annexes show live content again."""


_providers: dict[str, AnnexContentProvider] = {}


def register(provider: AnnexContentProvider) -> None:
    """Add a provider (again from a second `ready()`: it replaces the first)."""
    _providers[type(provider).__qualname__] = provider


def providers() -> list[AnnexContentProvider]:
    return list(_providers.values())


def related() -> list[str]:
    """Every provider's relations of Annex, for `select_related`/`prefetch_related`."""
    return [name for provider in providers() for name in provider.related]


class PageAnnexes:
    """The annexes of one page (a pack, an item): the first time the page shows the provided content
    of one of them, every provider is asked once for all of them."""

    def __init__(self, annexes: Iterable[Annex]):
        self.annexes = list(annexes)
        self._html: dict[bool, dict[int, str]] = {}  # published or not: {annex pk: content}

    def html(self, annex: Annex, *, published: bool) -> SafeString:
        if published not in self._html:
            self._html[published] = _provided_html(self.annexes, published=published)
        return mark_safe(self._html[published].get(annex.pk, ""))  # noqa: S308 - providers' own rendered templates


def _provided_html(annexes: list[Annex], *, published: bool) -> dict[int, str]:
    """Each annex's content from the first provider that has it."""
    found: dict[int, str] = {}
    for provider in providers():
        if wanted := [annex for annex in annexes if annex.pk not in found]:
            found |= provider.html(wanted, published=published)
    return found


def shown_together(annexes: Iterable[Annex]) -> None:
    """The selectors that load a page's annexes mark them as one page's (`PageAnnexes`)."""
    page = PageAnnexes(annexes)
    for annex in page.annexes:
        annex.page_annexes = page


def annex_html(annex: Annex, *, published: bool) -> SafeString:
    """The first provider's content for the annex, or "" if none provides it; asked for with the
    other annexes of its page where a selector marked them (`shown_together`)."""
    page = getattr(annex, "page_annexes", None) or PageAnnexes([annex])
    return page.html(annex, published=published)


def annex_fingerprint(annex: Annex) -> str | None:
    """The first provider's fingerprint of the annex's content, or None if none provides it."""
    for provider in providers():
        if (fingerprint := provider.fingerprint(annex)) is not None:
            return fingerprint
    return None


def figures_taken(items: list, *, published: bool) -> SafeString:
    notes = (provider.figures_taken(items, published=published) for provider in providers())
    return mark_safe("".join(notes))  # noqa: S308 - providers return their own rendered templates


def freeze(meeting: Meeting, *, at=None) -> None:
    for provider in providers():
        provider.freeze(meeting, at=at)


def thaw(meeting: Meeting) -> None:
    for provider in providers():
        provider.thaw(meeting)
