"""What the open data API may give: the public's record, whoever asks, read in a fixed number of
queries per page (each list's prefetching is decided here).

The rules are the portal's own, asked as the anonymous public: published meetings
(`meetings.permissions.visible_meetings_filter`), confidential items withheld
(`confidential_filter`), approved returns only (`mou.permissions.visible_returns_filter`) of
published MoUs (`mou.selectors.mous_visible_to`).

An item, a report or an annex PDF is given only as the public received it: held by the meeting's
latest published revision, and shown from the particulars frozen with it (publication.particulars,
read through `published`), never from the live rows, which may hold edits not yet published. A
meeting published before revisions were kept is read as it stands, as its page is.
"""

from django.db.models import (
    Case,
    DateTimeField,
    Exists,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce

from meetings import publication
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
from meetings.selectors import ANONYMOUS, meetings_visible_to
from meetings.selectors import frozen_items as latest_frozen_items
from mou.models import Deliverable, QuarterlyReturn, SubTarget
from mou.permissions import visible_returns_filter
from mou.selectors import mous_visible_to

PUBLIC = ANONYMOUS  # the API answers everyone as the public: it never reads the session


# -- when an object was made and last changed ---------------------------------------------------------
def with_times(queryset: QuerySet, history_model, *, published_in: str = "") -> QuerySet:
    """Each row with `api_created` and `api_modified`: its first and last save in its history
    (django-simple-history). A model that keeps no history has no such times, and the API says none.

    A row the public receive as published (`published_in`: the path to its meeting) was modified,
    for them, when the meeting's latest revision was published (None where the record does not say),
    whatever has been saved since and not yet published; an unrevised meeting's row, at its last save."""
    saves = history_model.objects.filter(id=OuterRef("pk")).order_by().values("id")
    modified = Subquery(saves.annotate(at=Max("history_date")).values("at")[:1])
    if published_in:
        latest = PackRevision.objects.filter(meeting=OuterRef(published_in)).order_by("-number")
        modified = Case(
            When(_unrevised(published_in), then=modified),
            default=Subquery(latest.values("published_at")[:1]),
            output_field=DateTimeField(),
        )
    return queryset.annotate(
        api_created=Subquery(saves.annotate(at=Min("history_date")).values("at")[:1]),
        api_modified=modified,
    )


# -- the rules: what the public may read ----------------------------------------------------------------
def published_meetings() -> QuerySet[Meeting]:
    return Meeting.objects.filter(visible_meetings_filter(PUBLIC))


def frozen_items() -> QuerySet[FrozenItem]:
    """The items of the published meetings' latest revisions, with the particulars the public
    received (meetings.selectors.frozen_items)."""
    return latest_frozen_items().filter(revision__meeting__in=published_meetings())


def _unrevised(meeting_path: str) -> Exists:
    """A meeting published before revisions were kept: read as it stands, as its page is."""
    return ~Exists(PackRevision.objects.filter(meeting=OuterRef(meeting_path)))


def public_items() -> QuerySet[AgendaItem]:
    """Items of published meetings as the public received them: those the latest revision holds
    (by identity, not by number: an item inserted or renumbered since is not mistaken for one)."""
    held = Exists(frozen_items().filter(agenda_item=OuterRef("pk")))
    return AgendaItem.objects.filter(meeting__in=published_meetings()).filter(held | _unrevised("meeting"))


def public_reports() -> QuerySet[Report]:
    """Reports the public could read in the latest revision (not those of items confidential then,
    whatever the item's flag says now), or of an unrevised meeting's open items."""
    held = Exists(frozen_items().filter(report=OuterRef("pk")))
    unrevised = _unrevised("item__meeting") & confidential_filter(PUBLIC, "item")
    return Report.objects.filter(item__in=public_items()).filter(held | unrevised)


def public_annex_files() -> QuerySet[Annex]:
    """Annexes uploaded as PDFs to public reports, as frozen with the latest revision (the published
    particulars say which: views and serializers read them, published_annex)."""
    frozen = FrozenAnnex.objects.filter(
        item__in=frozen_items(),
        item__agenda_item=OuterRef("report__item"),
        letter__iexact=OuterRef("letter"),
    )
    return (
        Annex.objects.filter(report__in=public_reports())
        .filter(Exists(frozen) | (_unrevised("report__item__meeting") & ~Q(pdf="")))
        .select_related("report__item__meeting__board")
        .prefetch_related(_published_particulars("report__item__"), *_as_it_stands("report__"))
    )


# -- what the public received of an item ------------------------------------------------------------------
def _published_particulars(path: str = "") -> Prefetch:
    """Each item's frozen item in the latest revision, as `published` (a list of one, or none for
    a meeting published before revisions were kept)."""
    return Prefetch(f"{path}frozen", queryset=frozen_items(), to_attr="published")


def published(item: AgendaItem) -> dict:
    """The item's particulars as the public received them (publication.particulars): frozen with the
    latest revision, or for an unrevised meeting, as it stands. The selectors below prefetch what
    either reads; an item read without them is an AttributeError, never the live rows by mistake."""
    frozen = item.published
    return frozen[0].particulars if frozen else publication.particulars(item)


def published_annex(annex: Annex) -> dict | None:
    """What the public received of an annex uploaded as a PDF: its entry in its item's published
    particulars ({"id", "letter", "title", "pdf"}), or None if they give no such file."""
    report = published(annex.report.item)["report"] or {}
    return next((a for a in report.get("annexes", []) if a["id"] == annex.pk and a["pdf"]), None)


def _open(item_path: str) -> Q:
    """Rows of items not confidential, neither now (the minutes are read as they stand) nor in the
    latest revision."""
    closed = frozen_items().filter(agenda_item=OuterRef(item_path), particulars__confidential=True)
    return confidential_filter(PUBLIC, item_path) & ~Exists(closed)


def public_decisions() -> QuerySet[Decision]:
    return Decision.objects.filter(entry__agenda_item__in=public_items()).filter(_open("entry__agenda_item"))


def public_actions() -> QuerySet[Action]:
    return Action.objects.filter(entry__agenda_item__in=public_items()).filter(_open("entry__agenda_item"))


def public_people() -> QuerySet[Person]:
    """People the public record names: members of a board, those at a published meeting, contact
    officers of public reports and owners of public actions."""
    present = Attendance.objects.filter(
        minutes__meeting__in=published_meetings(), status=Attendance.Status.PRESENT
    )
    unrevised = ReportContact.objects.filter(report__in=public_reports()).filter(
        _unrevised("report__item__meeting")
    )
    return Person.objects.filter(
        Q(pk__in=Membership.objects.values("person"))
        | Q(pk__in=present.values("person"))
        | Q(pk__in=published_contacts())
        | Q(pk__in=unrevised.values("person"))
        | Q(pk__in=public_actions().values("owner"))
    )


def published_contacts() -> set[int]:
    """The contact officers the published papers name (read in one query: they are in the frozen
    particulars, which SQLite cannot look into portably)."""
    shown = frozen_items().values_list("particulars", flat=True)
    return {person for p in shown for person in (p.get("report") or {}).get("contacts", [])}


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
    return items().order_by("api_number")


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


def _as_it_stands(path: str = "") -> list[Prefetch]:
    """What publication.particulars reads of a report, for an unrevised meeting's (read as it stands)."""
    return [
        Prefetch(f"{path}contacts", queryset=ReportContact.objects.order_by("order", "pk")),
        Prefetch(f"{path}annexes", queryset=Annex.objects.order_by("letter")),
    ]


def items() -> QuerySet[AgendaItem]:
    """Public items with what the public received of them (`published`), their meeting, and the
    decisions and actions minuted under them; `api_number` is the number they were published with."""
    minuted = "minute_entries"
    number = Subquery(frozen_items().filter(agenda_item=OuterRef("pk")).values("number")[:1])
    return (
        with_times(public_items(), HistoricalAgendaItem, published_in="meeting")
        .annotate(api_number=Coalesce(number, "number"))
        .select_related("meeting__board", "report")
        .prefetch_related(
            _published_particulars(),
            *_as_it_stands("report__"),
            Prefetch(f"{minuted}__decisions", queryset=Decision.objects.order_by("number")),
            Prefetch(f"{minuted}__actions", queryset=Action.objects.order_by("number")),
        )
        .order_by("pk")
    )


def papers() -> QuerySet[Report]:
    """Public reports with what the public received of them (their item's `published`: title,
    purposes, contact officers, annex PDFs), their item and meeting, and deliverables."""
    return (
        with_times(public_reports(), HistoricalReport, published_in="item__meeting")
        .select_related("item__meeting__board")
        .prefetch_related(
            _published_particulars("item__"),
            *_as_it_stands(),
            Prefetch("deliverables", queryset=public_deliverables().order_by("pk")),
        )
        .order_by("pk")
    )


def consultations() -> QuerySet[Report]:
    return (
        public_reports()
        .select_related("item__meeting")
        .prefetch_related(_published_particulars("item__"), *_as_it_stands())
        .order_by("pk")
    )


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
    return meetings_visible_to(PUBLIC)


def minutes_files() -> QuerySet[Meeting]:
    return pack_files().filter(minutes__isnull=False)


def item_files() -> QuerySet[Report]:
    return (
        public_reports()
        .select_related("item__meeting__board")
        .prefetch_related(_published_particulars("item__"), *_as_it_stands())
    )
