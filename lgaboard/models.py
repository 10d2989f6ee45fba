"""The core's one table: the search index (lgaboard/search)."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    """One document a search can find, as the public may read it, written by its source
    (lgaboard.search.registry) and replaced whole, scope by scope, by `search_refresh`."""

    source = models.CharField(max_length=40)
    scope = models.CharField(max_length=60, help_text="The part one refresh replaces: 'meeting:12'.")
    order = models.PositiveIntegerField(default=0, help_text="Its place in its scope.")
    kind = models.CharField(max_length=20)
    title = models.CharField(max_length=500)
    context = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    board = models.CharField(max_length=100, blank=True)
    board_name = models.CharField(max_length=200, blank=True)
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    # PostgreSQL: the title weighted A, where it is (context) C and the body D, in English
    # (stemmed: "challenges" finds "challenge"); written with the entry. Empty elsewhere; its GIN
    # index is made on PostgreSQL only (lgaboard/migrations/0001_initial.py).
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name_plural = "search entries"
        ordering = ["source", "scope", "order"]
        indexes = [
            models.Index(fields=["source", "scope"], name="search_entry_scope"),
            GinIndex(fields=["vector"], name="search_entry_vector"),
        ]

    def __str__(self):
        return self.title
