"""What the open data API may give: the public's record, whoever asks, read in a fixed number of
queries per page (each list's prefetching is decided here).

The rules are the portal's own, asked as the anonymous public: published meetings
(`meetings.permissions.visible_meetings_filter`), confidential items withheld
(`confidential_filter`), approved returns only (`mou.permissions.visible_returns_filter`) of
published MoUs (`mou.selectors.mous_visible_to`). An item, a report or an annex PDF is given only
as the public received it: on the meeting's latest published revision (a meeting published before
revisions were kept is read as it stands, as its page is).
"""

from django.db.models import Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery

from meetings.models import (
    Action,
    ActionProgress,
    AgendaItem,
    Annex,
    Attendance,
    Board,
    BoardYear,
    Decision,
    FrozenAnnex,
    FrozenItem,
    HistoricalAction,
    HistoricalAgendaItem,
    HistoricalDecision,
    HistoricalMeeting,
    HistoricalMembership,
    HistoricalReport,
    Meeting,
    Membership,
    PackRevision,
    Person,
    Report,
    ReportContact,
    Venue,
)
from meetings.permissions import confidential_filter, visible_meetings_filter
from meetings.selectors import ANONYMOUS
from mou.models import Deliverable, QuarterlyReturn, SubTarget
from mou.permissions import visible_returns_filter
from mou.selectors import mous_visible_to

PUBLIC = ANONYMOUS  # the API answers everyone as the public: it never reads the session


# -- when an object was made and last changed ---------------------------------------------------------
def with_times(queryset: QuerySet, history_model) -> QuerySet:
    """Each row with `api_created` and `api_modified`: its first and last save in its history
    (django-simple-history). A model that keeps no history has no such times, and the API says none."""
    saves = history_model.objects.filter(id=OuterRef("pk")).order_by().values("id")
    return queryset.annotate(
        api_created=Subquery(saves.annotate(at=Min("history_date")).values("at")[:1]),
        api_modified=Subquery(saves.annotate(at=Max("history_date")).values("at")[:1]),
    )


# -- the rules: what the public may read ----------------------------------------------------------------
def published_meetings() -> QuerySet[Meeting]:
    return Meeting.objects.filter(visible_meetings_filter(PUBLIC))


def public_items() -> QuerySet[AgendaItem]:
    """Items of published meetings as the public received them: those of the latest revision."""
    latest = PackRevision.objects.filter(meeting=OuterRef(OuterRef("meeting"))).order_by("-number")
    frozen = FrozenItem.objects.filter(revision=Subquery(latest.values("pk")[:1]), number=OuterRef("number"))
    unrevised = ~Exists(PackRevision.objects.filter(meeting=OuterRef("meeting")))
    return AgendaItem.objects.filter(meeting__in=published_meetings()).filter(Exists(frozen) | unrevised)


def public_reports() -> QuerySet[Report]:
    return Report.objects.filter(item__in=public_items()).filter(confidential_filter(PUBLIC, "item"))


def public_annex_files() -> QuerySet[Annex]:
    """Annexes uploaded as PDFs to public reports, as frozen with the latest revision."""
    latest = PackRevision.objects.filter(meeting=OuterRef(OuterRef("report__item__meeting")))
    frozen = FrozenAnnex.objects.filter(
        item__revision=Subquery(latest.order_by("-number").values("pk")[:1]),
        item__number=OuterRef("report__item__number"),
        letter__iexact=OuterRef("letter"),
    )
    unrevised = ~Exists(PackRevision.objects.filter(meeting=OuterRef("report__item__meeting")))
    return (
        Annex.objects.filter(report__in=public_reports())
        .exclude(pdf="")
        .filter(Exists(frozen) | unrevised)
        .select_related("report__item__meeting__board")
    )


def public_decisions() -> QuerySet[Decision]:
    return Decision.objects.filter(entry__agenda_item__in=public_items()).filter(
        confidential_filter(PUBLIC, "entry__agenda_item")
    )


def public_actions() -> QuerySet[Action]:
    return Action.objects.filter(entry__agenda_item__in=public_items()).filter(
        confidential_filter(PUBLIC, "entry__agenda_item")
    )


def public_people() -> QuerySet[Person]:
    """People the public record names: members of a board, those at a published meeting, contact
    officers of public reports and owners of public actions."""
    present = Attendance.objects.filter(
        minutes__meeting__in=published_meetings(), status=Attendance.Status.PRESENT
    )
    contacts = ReportContact.objects.filter(report__in=public_reports())
    return Person.objects.filter(
        Q(pk__in=Membership.objects.values("person"))
        | Q(pk__in=present.values("person"))
        | Q(pk__in=contacts.values("person"))
        | Q(pk__in=public_actions().values("owner"))
    )


def public_venues() -> QuerySet[Venue]:
    return Venue.objects.filter(pk__in=published_meetings().values("venue"))


def public_deliverables() -> QuerySet[Deliverable]:
    return Deliverable.objects.filter(theme__mou__in=mous_visible_to(None))


def public_returns() -> QuerySet[QuarterlyReturn]:
    return QuarterlyReturn.objects.filter(visible_returns_filter(None))


# -- each kind of object, with what its representation reads -------------------------------------------
def boards() -> QuerySet[Board]:
    return Board.objects.order_by("pk")


def organizations() -> QuerySet[Board]:
    return boards().prefetch_related(
        Prefetch("years", queryset=BoardYear.objects.order_by("start_year")),
        Prefetch("years__memberships", queryset=Membership.objects.order_by("pk")),
    )


def legislative_terms() -> QuerySet[BoardYear]:
    return BoardYear.objects.select_related("board").order_by("pk")


def memberships() -> QuerySet[Membership]:
    return with_times(
        Membership.objects.select_related("board_year__board", "group", "authority"), HistoricalMembership
    ).order_by("pk")


def people() -> QuerySet[Person]:
    return public_people().prefetch_related(Prefetch("memberships", queryset=memberships())).order_by("pk")


def locations() -> QuerySet[Venue]:
    meetings = published_meetings().order_by("date", "pk")
    return public_venues().prefetch_related(Prefetch("meeting_set", queryset=meetings)).order_by("pk")


def _items_of_meetings() -> QuerySet[AgendaItem]:
    return items().order_by("number")


def meetings() -> QuerySet[Meeting]:
    """Published meetings with their venue, minutes, items in order and who was there."""
    present = Attendance.objects.filter(status=Attendance.Status.PRESENT).order_by("order", "pk")
    return (
        with_times(published_meetings(), HistoricalMeeting)
        .select_related("board", "venue", "minutes")
        .prefetch_related(
            "board__former_names",  # the board's name on the day
            Prefetch("items", queryset=_items_of_meetings()),
            Prefetch("minutes__attendance", queryset=present, to_attr="present"),
        )
        .order_by("pk")
    )


def items() -> QuerySet[AgendaItem]:
    """Public items with their meeting, report, and the decisions and actions minuted under them."""
    minuted = "minute_entries"
    return (
        with_times(public_items(), HistoricalAgendaItem)
        .select_related("meeting__board", "report")
        .prefetch_related(
            Prefetch(f"{minuted}__decisions", queryset=Decision.objects.order_by("number")),
            Prefetch(f"{minuted}__actions", queryset=Action.objects.order_by("number")),
        )
        .order_by("pk")
    )


def papers() -> QuerySet[Report]:
    """Public reports with their item and meeting, contact officers, annex PDFs and deliverables."""
    return (
        with_times(public_reports(), HistoricalReport)
        .select_related("item__meeting__board")
        .prefetch_related(
            Prefetch("contacts", queryset=ReportContact.objects.order_by("order", "pk")),
            Prefetch("annexes", queryset=public_annex_files().order_by("letter"), to_attr="annex_files"),
            Prefetch("deliverables", queryset=public_deliverables().order_by("pk")),
        )
        .order_by("pk")
    )


def consultations() -> QuerySet[Report]:
    return public_reports().select_related("item__meeting").order_by("pk")


def decisions() -> QuerySet[Decision]:
    return (
        with_times(public_decisions(), HistoricalDecision)
        .select_related("entry__agenda_item__meeting", "entry__minutes")
        .prefetch_related(Prefetch("deliverables", queryset=public_deliverables().order_by("pk")))
        .order_by("pk")
    )


def actions() -> QuerySet[Action]:
    return (
        with_times(public_actions(), HistoricalAction)
        .select_related("entry__agenda_item__meeting", "entry__minutes", "owner")
        .prefetch_related(
            Prefetch("progress", queryset=ActionProgress.objects.order_by("date", "pk")),
            Prefetch("deliverables", queryset=public_deliverables().order_by("pk")),
        )
        .order_by("pk")
    )


def deliverables() -> QuerySet[Deliverable]:
    """Deliverables of published MoUs with their approved returns (only those count towards a total)
    and the public papers, decisions and actions about them."""
    return (
        public_deliverables()
        .select_related("theme__mou")
        .prefetch_related(
            Prefetch("sub_targets", queryset=SubTarget.objects.order_by("pk")),
            Prefetch("returns", queryset=public_returns().order_by("quarter")),
            Prefetch("reports", queryset=public_reports().order_by("pk")),
            Prefetch("decisions", queryset=public_decisions().order_by("pk")),
            Prefetch("actions", queryset=public_actions().order_by("pk")),
        )
        .order_by("theme__mou__start_year", "theme__order", "order", "pk")
    )


# -- files: the PDFs the public receive ---------------------------------------------------------------
def pack_files() -> QuerySet[Meeting]:
    return published_meetings().select_related("board").prefetch_related("board__former_names")


def minutes_files() -> QuerySet[Meeting]:
    return pack_files().filter(minutes__isnull=False)


def item_files() -> QuerySet[Report]:
    return public_reports().select_related("item__meeting__board")
