"""Answering a search. On PostgreSQL: its full-text search (English stemming, the weights the
entries were written with, `websearch` syntax: "quoted phrases", or, -word) with highlighted
snippets. Elsewhere (SQLite, the development default): every word, or quoted phrase, must appear as
typed, allowing for a plural ending; ranked by where the words appear. Said so on the page."""

import re
from dataclasses import dataclass
from datetime import date

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..models import SearchEntry
from . import registry
from .services import CONFIG

# Around a matched word in a snippet: control characters no text holds (escaped before the marks
# become <mark>, so nothing in a paper's text can reach the page as markup).
START, STOP = "\x02", "\x03"
SNIPPET_WORDS = 35


@dataclass(frozen=True)
class Filters:
    board: str = ""
    start_year: int | None = None
    kind: str = ""


@dataclass
class Hit:
    kind: str
    kind_label: str
    title: SafeString
    url: str
    context: str
    snippet: SafeString
    date: date | None


def full_text() -> bool:
    """Whether this database searches by PostgreSQL's full text (else the simpler search)."""
    return connection.vendor == "postgresql"


def marked(text: str) -> SafeString:
    """Text with its matched words between START and STOP, as HTML with <mark>."""
    safe = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(safe)  # noqa: S308 - escaped above; only <mark> is added


def filtered(filters: Filters) -> QuerySet[SearchEntry]:
    entries = SearchEntry.objects.all()
    if filters.board:
        entries = entries.filter(board=filters.board)
    if filters.start_year is not None:
        entries = entries.filter(start_year=filters.start_year)
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    return entries


PER_PAGE = 20


@dataclass
class Results:
    hits: list[Hit]
    page: Page  # of the paginator: its number, count, whether there is another


def search(text: str, filters: Filters = Filters(), page: int | str = 1) -> Results:
    """One page of what matches `text`, best first; titles and snippets are marked for that page only."""
    if full_text():
        found = Paginator(full_text_search(text, filters), PER_PAGE).get_page(page)
        return Results(hits=[_hit(e, e.marked_title, e.snippet) for e in found.object_list], page=found)
    entries, pattern = simple_search(text, filters)
    found = Paginator(entries, PER_PAGE).get_page(page)
    return Results(
        hits=[_hit(e, _mark(pattern, e.title), snippet_of(e.body, pattern)) for e in found.object_list],
        page=found,
    )


def full_text_search(text: str, filters: Filters) -> QuerySet[SearchEntry]:
    """PostgreSQL: the entries matching `text` best first, each with its title and snippet marked
    (worked out for the rows of the page asked for only)."""
    query = SearchQuery(text, search_type="websearch", config=CONFIG)
    return (
        filtered(filters)
        .filter(vector=query)
        .annotate(
            rank=SearchRank(F("vector"), query),
            marked_title=SearchHeadline(
                "title", query, config=CONFIG, start_sel=START, stop_sel=STOP, highlight_all=True
            ),
            snippet=SearchHeadline(
                "body",
                query,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=SNIPPET_WORDS,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", F("date").desc(nulls_last=True), "source", "scope", "order")
    )


def _hit(entry: SearchEntry, title: str, snippet: str) -> Hit:
    """A hit of an entry, given its title and snippet with the words found between START and STOP."""
    return Hit(
        kind=entry.kind,
        kind_label=registry.kinds().get(entry.kind, ("", entry.kind))[1],
        title=marked(title),
        url=entry.url,
        context=entry.context,
        snippet=marked(snippet) if START in snippet else SafeString(""),
        date=entry.date,
    )


# The simpler search (not PostgreSQL).

WORDS = re.compile(r'(-?)"([^"]+)"|(-?)(\S+)')


def terms(text: str) -> tuple[list[str], list[str]]:
    """The words and "phrases" that must appear, and those that must not (-word), lower case, a
    plural ending taken off a word."""
    wanted, unwanted = [], []
    for minus_phrase, phrase, minus_word, word in WORDS.findall(text):
        if phrase:
            (unwanted if minus_phrase else wanted).append(phrase.strip().lower())
            continue
        word = word.strip(".,;:!?()[]'\"").lower()
        if not word or word == "or":
            continue
        if len(word) > 4 and word.endswith("es"):
            word = word[:-2]
        elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        (unwanted if minus_word else wanted).append(word)
    return wanted, unwanted


def simple_search(text: str, filters: Filters) -> tuple[list[SearchEntry], re.Pattern | None]:
    """The search where there is no full text (SQLite, for development): every matching entry is
    read, bodies and all, and ranked here; fine for a development copy's few hundred entries. With
    the pattern that marks the words found: each word whole ("challenges" for "challeng"), a phrase
    as typed."""
    wanted, unwanted = terms(text)
    if not wanted:
        return [], None
    entries = filtered(filters)
    for term in wanted:
        entries = entries.filter(Q(title__icontains=term) | Q(body__icontains=term))
    for term in unwanted:
        entries = entries.exclude(Q(title__icontains=term) | Q(body__icontains=term))
    found = sorted(
        entries.only("kind", "title", "url", "context", "body", "date", "source", "scope", "order"),
        key=lambda e: (
            -sum(10 * e.title.lower().count(t) + e.body.lower().count(t) for t in wanted),
            -(e.date or date.min).toordinal(),
            e.source,
            e.scope,
            e.order,
        ),
    )
    pattern = re.compile(
        "|".join(rf"\w*{re.escape(t)}\w*" for t in sorted(wanted, key=len, reverse=True)), re.IGNORECASE
    )
    return found, pattern


def _mark(pattern: re.Pattern, text: str) -> str:
    return pattern.sub(lambda m: f"{START}{m[0]}{STOP}", text)


def snippet_of(body: str, pattern: re.Pattern) -> str:
    """About SNIPPET_WORDS words of the body around its first match, the matches marked."""
    first = pattern.search(body)
    if first is None:
        return ""
    before = body[: first.start()].split()
    after = body[first.start() :].split()
    words = before[-(SNIPPET_WORDS // 3) :] + after[: SNIPPET_WORDS - SNIPPET_WORDS // 3]
    text = _mark(pattern, " ".join(words))
    lead = "… " if len(before) > SNIPPET_WORDS // 3 else ""
    tail = " …" if len(after) > SNIPPET_WORDS - SNIPPET_WORDS // 3 else ""
    return f"{lead}{text}{tail}"
