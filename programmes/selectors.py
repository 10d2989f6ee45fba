"""Reads for the programme pages, the live annexes and the sector-led improvement update."""

import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from typing import NamedTuple

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from meetings.models import BoardYear
from mou import selectors as mou_selectors
from mou.models import Deliverable, Mou, QuarterlyReturn, Theme
from mou.selectors import DeliverableProgress, ThemeProgress, mou_progress, visible_returns

from .models import (
    Activity,
    Output,
    Participation,
    ParticipationCount,
    Priority,
    Programme,
    SectorUpdate,
    Workstream,
)
from .participation import Breakdown, breakdowns_for


def programme_list() -> QuerySet[Programme]:
    return Programme.objects.select_related("contact_officer").prefetch_related(
        Prefetch("priorities", queryset=Priority.objects.select_related("member_lead", "board_year"))
    )


def latest_priorities(board_year: BoardYear | None = None) -> list[Priority]:
    """A board-year's priorities with member leads and programmes (the latest year that has any)."""
    if board_year is None:
        latest = Priority.objects.select_related("board_year").order_by("-board_year__start_year").first()
        if latest is None:
            return []
        board_year = latest.board_year
    return years_priorities({board_year.pk})[board_year.pk]


def years_priorities(board_years: Iterable[int]) -> dict[int, list[Priority]]:
    """Several board-years' priorities (by board-year pk), in order, read together in two queries."""
    found: dict[int, list[Priority]] = {pk: [] for pk in board_years}
    for priority in _priorities().filter(board_year__in=found).order_by("order"):
        found[priority.board_year_id].append(priority)
    return found


def _priorities() -> QuerySet[Priority]:
    return Priority.objects.select_related("member_lead", "board_year__board").prefetch_related("programmes")


@dataclass
class ProgrammeDetail:
    programme: Programme
    workstreams: list[Workstream]
    participation: list[tuple[Participation, list[Breakdown]]] = field(default_factory=list)


def programme_detail(slug: str) -> ProgrammeDetail:
    """A programme with its workstreams and projects, each with its deliverables, activities and
    outputs, and its participation tables, in a fixed number of queries."""
    programme = get_object_or_404(programme_list(), slug=slug)
    # Projects do not nest, but the page asks each for its children: one query answers them all.
    projects = _with_work(Workstream.objects.order_by("order")).prefetch_related("children")
    workstreams = list(
        _with_work(programme.workstreams.filter(parent=None).order_by("order")).prefetch_related(
            Prefetch("children", queryset=projects)
        )
    )
    records = _with_counts(programme.participation.all())
    return ProgrammeDetail(programme, workstreams, [(r, breakdowns_for(r)) for r in records])


def _with_counts(records: QuerySet[Participation]) -> QuerySet[Participation]:
    return records.prefetch_related(
        "columns", Prefetch("counts", queryset=ParticipationCount.objects.order_by("order"))
    )


def _with_work(workstreams: QuerySet[Workstream]) -> QuerySet[Workstream]:
    return workstreams.prefetch_related(
        Prefetch("deliverables", queryset=Deliverable.objects.select_related("theme__mou")),
        Prefetch("activities", queryset=Activity.objects.order_by("start_year", "order")),
        Prefetch("outputs", queryset=Output.objects.order_by("start_year", "quarter", "order")),
    )


def participation_tables(participation: Participation) -> list[Breakdown]:
    return breakdowns_for(participation_records({participation.pk})[participation.pk])


def participation_records(pks: Iterable[int]) -> dict[int, Participation]:
    """Participation records (by pk) with their programme, columns and counts, in three queries
    however many there are."""
    records = _with_counts(Participation.objects.filter(pk__in=set(pks)).select_related("programme"))
    return {record.pk: record for record in records}


def quarter_outputs(programme: Programme, start_year: int, quarter: int) -> list[Output]:
    """A programme's outputs for a quarter, in the order the summary lists them."""
    key = (programme.pk, start_year, quarter)
    return quarters_outputs({key})[key]


def quarters_outputs(quarters: Iterable[tuple[int, int, int]]) -> dict[tuple[int, int, int], list[Output]]:
    """Several programmes' outputs for a quarter each, in one query: `quarters` gives (programme pk,
    start year, quarter); each list in the order the summary lists them."""
    found: dict[tuple[int, int, int], list[Output]] = {key: [] for key in quarters}
    if not found:
        return found
    wanted = reduce(
        operator.or_,
        (
            Q(workstream__programme=programme, start_year=start_year, quarter=quarter)
            for programme, start_year, quarter in found
        ),
    )
    for output in Output.objects.filter(wanted).select_related("workstream").order_by("order", "pk"):
        found[(output.workstream.programme_id, output.start_year, output.quarter)].append(output)
    return found


def themes_progress(wanted: Iterable[tuple[int, int]]) -> dict[tuple[int, int], ThemeProgress]:
    """Themes' deliverables with their figures up to a quarter ((theme pk, quarter) pairs), as the
    public sees them (approved returns only), whoever looks: a live annex is a board paper, frozen as
    published. Each theme comes with its MoU."""
    return mou_selectors.themes_progress(wanted, user=None)


class Highlight(NamedTuple):
    text: str
    pending: str = ""  # "Draft" or "Submitted": a return's highlight staff see before it is approved


@dataclass
class UpdateSection:
    heading: str
    theme: Theme
    summary: str
    after: str
    highlights: list[Highlight]
    figures: list[DeliverableProgress]


def _highlights_by_theme(mou: Mou, quarter: int, user) -> dict[int, list[Highlight]]:
    """The highlights marked on the returns `user` may read (the public: approved ones) and on the
    outputs, up to a quarter, by theme."""
    returns = (
        visible_returns(user)
        .filter(deliverable__theme__mou=mou, quarter__lte=quarter)
        .exclude(highlight="")
        .select_related("deliverable")
        .order_by("deliverable__order", "quarter")
    )
    outputs = (
        Output.objects.filter(start_year=mou.start_year, quarter__lte=quarter)
        .exclude(highlight="")
        .prefetch_related("workstream__deliverables")
        .order_by("quarter", "order")
    )
    by_theme: dict[int, list[Highlight]] = {}
    for record in returns:
        pending = "" if record.status == QuarterlyReturn.Status.APPROVED else record.get_status_display()
        by_theme.setdefault(record.deliverable.theme_id, []).append(Highlight(record.highlight, pending))
    for output in outputs:
        themes = sorted({d.theme_id for d in output.workstream.deliverables.all()})
        if themes:
            by_theme.setdefault(themes[0], []).append(Highlight(output.highlight))
    return by_theme


def sector_update_for(mou: Mou, user=None) -> tuple[SectorUpdate, list[UpdateSection]]:
    """The latest sector-led improvement update of an MoU year, each theme's highlights drawn from
    the returns and outputs marked as highlights up to its quarter, with the figures to date; of
    the returns, only those `user` may read (no user: as the public sees it, approved ones only)."""
    update = get_object_or_404(SectorUpdate.objects.filter(mou=mou).order_by("-quarter")[:1])
    progress = {p.theme.pk: p for p in mou_progress(mou, up_to_quarter=update.quarter, user=user)}
    by_theme = _highlights_by_theme(mou, update.quarter, user)
    sections = []
    for section in update.sections.select_related("theme").order_by("order"):
        theme_figures = progress.get(section.theme_id)
        figures = [d for d in theme_figures.deliverables if d.total is not None] if theme_figures else []
        sections.append(
            UpdateSection(
                heading=section.heading,
                theme=section.theme,
                summary=section.summary,
                after=section.after,
                highlights=by_theme.get(section.theme_id, []),
                figures=figures,
            )
        )
    return update, sections
