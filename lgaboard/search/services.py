"""Writing the search index: a source's scope replaced whole with what the public may read in it now,
in one transaction, its vectors computed in the same statement's transaction on PostgreSQL."""

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction

from ..models import SearchEntry
from . import registry

CONFIG = "english"


def search_vector():
    """The title above where it is, above the body: a word in the title outranks the same word in
    the body's boilerplate."""
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("context", weight="C", config=CONFIG)
        + SearchVector("body", weight="D", config=CONFIG)
    )


def search_refresh(source_name: str, scope) -> int:
    """Replace what the index holds of one scope of a source (a meeting, an MoU) with what the public
    may read in it now: none of it, once it is no longer public; and so for the sources following it.
    Returns the number of entries written."""
    source = registry.source(source_name)
    key = source.scope_key(scope)
    documents = list(source.documents(scope))
    with transaction.atomic():
        SearchEntry.objects.filter(source=source_name, scope=key).delete()
        SearchEntry.objects.bulk_create(
            SearchEntry(
                source=source_name,
                scope=key,
                order=order,
                kind=document.kind,
                title=document.title[:500],
                context=document.context[:300],
                url=document.url,
                body=document.body,
                board=document.board,
                board_name=document.board_name,
                start_year=document.start_year,
                date=document.date,
            )
            for order, document in enumerate(documents)
        )
        if documents and connection.vendor == "postgresql":
            SearchEntry.objects.filter(source=source_name, scope=key).update(vector=search_vector())
        # Sources that show some of this one's text, and share its scopes.
        followed = sum(search_refresh(follower.name, scope) for follower in registry.followers(source_name))
    return len(documents) + followed


def search_rebuild() -> int:
    """The whole index again, from every source (`manage.py rebuild_search_index`)."""
    total = 0
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        for source in registry.sources():
            if getattr(source, "follows", ()):  # refreshed with the scopes of the source it follows
                continue
            for scope in source.scopes():
                total += search_refresh(source.name, scope)
    return total
