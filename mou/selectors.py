"""Reads for the MoU pages: each deliverable's figures, total, % achieved and RAG, per theme."""

import datetime
import textwrap
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Max, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse

from lgaboard.years import start_year_from_slug
from meetings.permissions import can_read_confidential, confidential_filter
from meetings.selectors import meetings_visible_to, published_items

from . import rules
from .models import (
    QUARTERS,
    Deliverable,
    Mou,
    QuarterlyReturn,
    Rag,
    ReturnEvent,
    SubTarget,
    Theme,
    ThemeOutcome,
)
from .permissions import reads_draft_mou, sees_unapproved_returns, visible_returns_filter

# The chart's colours (GOV.UK Frontend's) as SVG presentation attributes, not classes: the PDF
# renderer does not apply the page's stylesheet inside an SVG. rag: (fill, text drawn on it); each
# pair has at least 4.5:1 contrast.
RAG_FILLS = {
    "green": ("#00703c", "#ffffff"),
    "amber": ("#ffdd00", "#0b0c0c"),
    "red": ("#d4351c", "#ffffff"),
    "none": ("#b1b4b6", "#0b0c0c"),
}
RAG_NAMES = {"green": "Green", "amber": "Amber", "red": "Red", "none": "Not reported"}
CHART_FONT = 16  # px, in chart units (1 unit is at most 1px on screen)
CHART_LINE = 20

Returns = dict[int, QuarterlyReturn]  # a deliverable's returns by quarter


@dataclass
class DeliverableProgress:
    deliverable: Deliverable
    returns: Returns
    up_to_quarter: int
    sub_targets: list[SubTarget] = field(default_factory=list)  # where the page shows them (mou_detail)

    def figure(self, quarter: int) -> Decimal | None:
        record = self.returns.get(quarter)
        return record.reported_figure if record else None

    @property
    def quarters(self) -> list[tuple[int, QuarterlyReturn | None]]:
        return [(q, self.returns.get(q) if q <= self.up_to_quarter else None) for q in QUARTERS]

    @property
    def total(self) -> Decimal | None:
        figures = {q: self.figure(q) for q in QUARTERS if q <= self.up_to_quarter}
        return rules.total_to_date(self.deliverable.rule, figures)

    @property
    def percent(self) -> int | None:
        return rules.percent_achieved(self.total, self.deliverable.target)

    @property
    def current(self) -> QuarterlyReturn | None:
        """The return for the quarter being reported on."""
        return self.returns.get(self.up_to_quarter)

    @property
    def latest(self) -> QuarterlyReturn | None:
        """The latest return with anything in it, up to the quarter being reported on."""
        filled = [r for q, r in sorted(self.returns.items()) if q <= self.up_to_quarter and r.rag]
        return filled[-1] if filled else None

    @property
    def rag(self) -> str:
        return self.latest.rag if self.latest else ""

    @property
    def bar_fill(self) -> str:
        """The colour of the deliverable's progress bar (an SVG fill)."""
        return RAG_FILLS[self.rag or "none"][0]

    @property
    def outturn(self) -> str:
        d = self.deliverable
        met = self.latest.milestone_met if self.latest else None
        return rules.outturn(
            rule=d.rule,
            comparator=d.comparator,
            total=self.total,
            target=d.target,
            milestone_met=met,
            rag=self.rag,
        )

    @property
    def outturn_label(self) -> str:
        return rules.OUTTURN_LABELS[self.outturn]


@dataclass
class ThemeProgress:
    theme: Theme
    deliverables: list[DeliverableProgress] = field(default_factory=list)
    outcomes: list[ThemeOutcome] = field(default_factory=list)  # where the page shows them (mou_detail)

    @property
    def rag_counts(self) -> dict[str, int]:
        counts = Counter(d.current.rag for d in self.deliverables if d.current and d.current.rag)
        return {rag: counts.get(rag, 0) for rag in Rag.values}

    @property
    def not_reported(self) -> int:
        return sum(1 for d in self.deliverables if not (d.current and d.current.rag))


def mous_visible_to(user=None):
    """The MoUs a user may read: a draft (next year's, being prepared) only for staff."""
    mous = Mou.objects.all()
    return mous if user is not None and reads_draft_mou(user) else mous.filter(draft=False)


def mou_for(slug: str, user=None) -> Mou:
    """The MoU for '2017-18', or 404 (a draft too, unless `user` is staff)."""
    return get_object_or_404(mous_visible_to(user), start_year=start_year_from_slug(slug))


def visible_returns(user=None):
    """The quarterly returns `user` may read (mou.permissions.visible_returns_filter); no user
    means the public, who see approved returns only."""
    return QuarterlyReturn.objects.filter(visible_returns_filter(user))


def returns_as_at(mou: Mou, moment: datetime.datetime, user=None) -> dict[int, list[QuarterlyReturn]]:
    """Each deliverable's returns as they stood at a moment, rebuilt from their history. For the
    public, only those approved at that moment: a return then in draft (or reopened) was not public."""
    history = QuarterlyReturn.history.filter(deliverable__theme__mou=mou, history_date__lte=moment).order_by(
        "id", "-history_date", "-history_id"
    )
    latest: dict[int, object] = {}
    for record in history:
        latest.setdefault(record.id, record)
    shown = sees_unapproved_returns(user)
    by_deliverable: dict[int, list[QuarterlyReturn]] = {}
    for record in latest.values():
        if record.history_type == "-":  # deleted by then
            continue
        if shown or record.status == QuarterlyReturn.Status.APPROVED:
            by_deliverable.setdefault(record.deliverable_id, []).append(record.instance)
    return by_deliverable


def mou_progress(
    mou: Mou, up_to_quarter: int = 4, as_at: datetime.datetime | None = None, *, user=None
) -> list[ThemeProgress]:
    """Every theme's deliverables with their returns up to a quarter, in a fixed number of queries;
    with as_at, the returns as they stood then, so an earlier report can be reproduced. Only the
    returns `user` may read count (no user: as the public sees them), so a total, a % achieved, a
    traffic light or an outturn is never worked out from figures the reader may not see."""
    themes = list(mou.themes.order_by("order"))
    past = returns_as_at(mou, as_at, user) if as_at else None
    deliverables = _deliverables_with_returns(themes, user, past)
    return [_theme_progress(theme, deliverables[theme.pk], up_to_quarter) for theme in themes]


def themes_progress(wanted: Iterable[tuple[int, int]], *, user=None) -> dict[tuple[int, int], ThemeProgress]:
    """Several themes' progress, each up to its own quarter, read together in the queries of one:
    `wanted` gives (theme pk, quarter) pairs, a theme perhaps with several quarters. Each theme comes
    with its MoU. Returns as in `mou_progress`: only those `user` may read (no user: the public's)."""
    wanted = set(wanted)
    themes = {t.pk: t for t in Theme.objects.filter(pk__in={pk for pk, _ in wanted}).select_related("mou")}
    deliverables = _deliverables_with_returns(list(themes.values()), user)
    return {
        (pk, quarter): _theme_progress(themes[pk], deliverables[pk], quarter)
        for pk, quarter in wanted
        if pk in themes
    }


def mou_detail(mou: Mou, *, user=None) -> list[ThemeProgress]:
    """The MoU as its page shows it: every theme's progress for the year (`mou_progress`) with the
    theme's outcomes and each deliverable's sub-targets."""
    themes = mou_progress(mou, user=user)
    outcomes: dict[int, list[ThemeOutcome]] = {}
    for outcome in ThemeOutcome.objects.filter(theme__mou=mou):
        outcomes.setdefault(outcome.theme_id, []).append(outcome)
    sub_targets: dict[int, list[SubTarget]] = {}
    for sub_target in SubTarget.objects.filter(deliverable__theme__mou=mou).order_by("pk"):
        sub_targets.setdefault(sub_target.deliverable_id, []).append(sub_target)
    for theme in themes:
        theme.outcomes = outcomes.get(theme.theme.pk, [])
        for progress in theme.deliverables:
            progress.sub_targets = sub_targets.get(progress.deliverable.pk, [])
    return themes


def _deliverables_with_returns(
    themes: list[Theme], user, past: dict[int, list[QuarterlyReturn]] | None = None
) -> dict[int, list[tuple[Deliverable, Returns]]]:
    """Each theme's deliverables in order (by theme pk), each with the returns `user` may read (or
    those of `past`: returns_as_at), in two queries. Read flat and put together here: Django's
    prefetching makes a queryset for each of a hundred deliverables, and took most of the time."""
    by_theme = {theme.pk: theme for theme in themes}
    if past is None:
        past = {}
        for record in visible_returns(user).filter(deliverable__theme__in=themes):
            past.setdefault(record.deliverable_id, []).append(record)
    found: dict[int, list[tuple[Deliverable, Returns]]] = {pk: [] for pk in by_theme}
    for deliverable in Deliverable.objects.filter(theme__in=themes).order_by("order"):
        deliverable.theme = by_theme[deliverable.theme_id]
        returns = {record.quarter: record for record in past.get(deliverable.pk, [])}
        found[deliverable.theme_id].append((deliverable, returns))
    return found


def _theme_progress(theme: Theme, deliverables: list[tuple[Deliverable, Returns]], up_to_quarter: int):
    return ThemeProgress(
        theme=theme,
        deliverables=[DeliverableProgress(d, returns, up_to_quarter) for d, returns in deliverables],
    )


@dataclass
class ChartSegment:
    rag: str
    count: int
    x: int
    width: int
    fill: str
    text_fill: str
    shows_count: bool  # False where the number would not fit inside; the table gives it anyway


@dataclass
class ChartBar:
    theme: str
    lines: list[tuple[int, str]]  # the theme's full name, wrapped: (baseline, text)
    segments: list[ChartSegment]
    y: int  # top of the bar


def _segments(theme: ThemeProgress, width: int, largest: int) -> list[ChartSegment]:
    x, segments = 0, []
    for rag, count in [*theme.rag_counts.items(), ("none", theme.not_reported)]:
        w = round(width * count / largest)
        fill, text_fill = RAG_FILLS[rag]
        room = w >= CHART_FONT * 0.6 * len(str(count)) + 8
        segments.append(ChartSegment(rag, count, x, w, fill, text_fill, shows_count=bool(count) and room))
        x += w
    return segments


def rag_chart(themes: list[ThemeProgress], width: int = 800, bar: int = 28, gap: int = 20) -> dict:
    """Geometry for a horizontal stacked bar per theme under its full name (wrapped, never cut), with
    a legend: a server-rendered SVG that looks the same on screen and in the PDF. The table after it
    carries the same numbers as text."""
    largest = max((sum(t.rag_counts.values()) + t.not_reported for t in themes), default=0) or 1
    legend, x = [], 0
    for rag, name in RAG_NAMES.items():
        legend.append({"name": name, "x": x, "fill": RAG_FILLS[rag][0]})
        x += round(24 + len(name) * CHART_FONT * 0.55 + 24)  # swatch, name, space
    bars, y = [], CHART_LINE + gap  # below the legend
    for theme in themes:
        wrapped = textwrap.wrap(theme.theme.title, width=width // 10) or [""]
        lines = [(y + CHART_FONT + index * CHART_LINE, text) for index, text in enumerate(wrapped)]
        top = y + len(lines) * CHART_LINE + 4
        bars.append(ChartBar(theme.theme.title, lines, _segments(theme, width, largest), top))
        y = top + bar + gap
    return {"bars": bars, "legend": legend, "width": width, "bar": bar, "height": y - gap + 2}


def outturn_counts(themes: list[ThemeProgress]) -> dict[str, int]:
    """Deliverables fully met, partially met, not met and not reported, across the MoU."""
    counts = Counter(d.outturn for theme in themes for d in theme.deliverables)
    return {key: counts.get(key, 0) for key in rules.OUTTURN_LABELS}


@dataclass
class DeliverableThread:
    """One commitment from promise to decision: the deliverable and its figures each quarter, the
    programme work that serves it, and the papers, decisions and actions about it."""

    deliverable: Deliverable
    progress: DeliverableProgress
    workstreams: list
    reports: list
    decisions: list
    actions: list


def deliverable_thread(mou: Mou, theme_key: str, reference: str, user) -> DeliverableThread:
    """A deliverable's thread, or 404; papers of meetings the user may not read are left out, and
    so are returns (the public see approved ones only)."""
    deliverable = get_object_or_404(
        Deliverable.objects.select_related("theme__mou", "lead_officer").prefetch_related(
            "sub_targets", Prefetch("returns", queryset=visible_returns(user))
        ),
        theme__mou=mou,
        theme__key=theme_key,
        reference=reference,
    )
    visible = meetings_visible_to(user)
    reports = (
        deliverable.reports.filter(item__meeting__in=visible)
        .select_related("item__meeting__board")
        .prefetch_related("item__meeting__board__former_names")  # the board's name on the day
        .order_by("-item__meeting__date", "item__number")
    )
    # Decisions and actions: of minutes the user may read, and not of items withheld from them.
    readable = Q(entry__minutes__meeting__in=visible) & confidential_filter(user, "entry__agenda_item")
    decisions = (
        deliverable.decisions.filter(readable)
        .select_related("entry__agenda_item", "entry__minutes__meeting__board")
        .order_by("-entry__minutes__meeting__date", "number")
    )
    actions = (
        deliverable.actions.filter(readable)
        .select_related("owner", "entry__agenda_item", "entry__minutes__meeting__board")
        .prefetch_related("progress")
        .order_by("-entry__minutes__meeting__date", "number")
    )
    reports = _papers_as_received(list(reports), user)
    returns = {r.quarter: r for r in deliverable.returns.all()}
    return DeliverableThread(
        deliverable=deliverable,
        progress=DeliverableProgress(deliverable, returns, up_to_quarter=4),
        # "workstreams": the programme work linked to this deliverable (programmes.Workstream).
        workstreams=list(deliverable.workstreams.select_related("programme", "parent").order_by("programme")),
        reports=reports,
        decisions=list(decisions),
        actions=list(actions),
    )


def _papers_as_received(reports: list, user) -> list:
    """The papers named as the reader receives them: live for those who may read the meeting's
    confidential papers (its members, clerks); for everyone else as published, from the items
    frozen with the latest revision (an edit, a new number or a flag unticked since is not shown
    until it is published; a paper added since is left out). Each gets `shown_number`,
    `shown_item_title`, `shown_title` and `withheld` (listed by its item's title only)."""
    frozen = published_items(report.item_id for report in reports)
    shown = []
    for report in reports:
        item = report.item
        reads_confidential = can_read_confidential(user, item.meeting)
        if not item.meeting.is_published or reads_confidential:
            report.shown_number, report.shown_item_title = item.number, item.title
            report.shown_title = report.display_title
            report.withheld = item.confidential and not reads_confidential
        elif (published := frozen.get(item.pk)) and (
            published.particulars["confidential"] or published.particulars["report"]
        ):
            particulars = published.particulars
            report.shown_number, report.shown_item_title = particulars["number"], particulars["title"]
            report.withheld = particulars["confidential"]
            report.shown_title = "" if report.withheld else particulars["report"]["title"]
        else:  # not in the pack as published, or published without its report
            continue
        report.shown_url = reverse(
            "meetings:item_detail",
            kwargs={
                "board_slug": item.meeting.board.slug,
                "date": item.meeting.date,
                "number": report.shown_number,
            },
        )
        shown.append(report)
    return shown


@dataclass
class QuarterNews:
    """A quarter of a published MoU whose figures the public can read: how many of its returns are
    approved, and when the latest was."""

    mou: Mou
    quarter: int
    approved: int
    deliverables: int
    approved_at: datetime.datetime | None


def quarterly_report_news(limit: int = 20) -> list[QuarterNews]:
    """The quarters of published MoUs with approved returns, the latest approval first: the
    quarterly reports' feed."""
    approved = (
        QuarterlyReturn.objects.filter(
            status=QuarterlyReturn.Status.APPROVED, deliverable__theme__mou__draft=False
        )
        .values("deliverable__theme__mou", "quarter")
        .annotate(
            approved=Count("pk", distinct=True),
            approved_at=Max("events__at", filter=Q(events__kind=ReturnEvent.Kind.APPROVED)),
        )
        .order_by(F("approved_at").desc(nulls_last=True), "-deliverable__theme__mou__start_year", "-quarter")[
            :limit
        ]
    )
    rows = list(approved)
    mous = Mou.objects.in_bulk({row["deliverable__theme__mou"] for row in rows})
    sizes = dict(
        Deliverable.objects.filter(theme__mou__in=mous)
        .values("theme__mou")
        .annotate(n=Count("pk"))
        .values_list("theme__mou", "n")
    )
    return [
        QuarterNews(
            mous[row["deliverable__theme__mou"]],
            row["quarter"],
            row["approved"],
            sizes.get(row["deliverable__theme__mou"], 0),
            row["approved_at"],
        )
        for row in rows
    ]
