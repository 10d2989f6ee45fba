"""Annex content that a later app provides: the hook through which programmes' live annexes (tables
generated from its data) take part in a pack without meetings knowing programmes.

A provider registers here from its app's `AppConfig.ready()`. The pack's templates (the
`annex_content` tags), its fingerprint and its publication then ask every provider; each answers for
the annexes it knows and with None (or nothing) for the others.
"""

from typing import Protocol

from django.utils.safestring import SafeString, mark_safe

from .models import Annex, Meeting


class AnnexContentProvider(Protocol):
    related: tuple[str, ...]
    """Relations of Annex that hold the provider's content, loaded with the annexes in a fixed
    number of queries (e.g. "live")."""

    def html(self, annex: Annex, *, published: bool) -> str | None:
        """The annex's content on the page: as frozen once its meeting is published, live before."""

    def fingerprint(self, annex: Annex) -> str | None:
        """The annex's content as a revision compares it (its frozen copy)."""

    def figures_taken(self, items: list, *, published: bool) -> str:
        """On paper, once per pack or item: when the figures of the items' annexes were taken."""

    def freeze(self, meeting: Meeting) -> None:
        """Publication: keep the content of the meeting's annexes as the public will receive it."""

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


def annex_html(annex: Annex, *, published: bool) -> SafeString:
    """The first provider's content for the annex, or "" if none provides it."""
    for provider in providers():
        if (html := provider.html(annex, published=published)) is not None:
            return mark_safe(html)  # noqa: S308 - providers return their own rendered templates
    return mark_safe("")


def annex_fingerprint(annex: Annex) -> str | None:
    """The first provider's fingerprint of the annex's content, or None if none provides it."""
    for provider in providers():
        if (fingerprint := provider.fingerprint(annex)) is not None:
            return fingerprint
    return None


def figures_taken(items: list, *, published: bool) -> SafeString:
    notes = (provider.figures_taken(items, published=published) for provider in providers())
    return mark_safe("".join(notes))  # noqa: S308 - providers return their own rendered templates


def freeze(meeting: Meeting) -> None:
    for provider in providers():
        provider.freeze(meeting)


def thaw(meeting: Meeting) -> None:
    for provider in providers():
        provider.thaw(meeting)
