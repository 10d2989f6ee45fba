"""A signed-in reader's own front page: the packs of the meetings of their boards (drafts released
to them marked, confidential items counted), what has changed in each since they last opened it,
and the actions the minutes give them."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Case, Count, OuterRef, Prefetch, Q, Subquery, When

from .. import permissions as access
from ..models import (
    Action,
    HistoricalAgendaItem,
    HistoricalMeeting,
    HistoricalReport,
    Meeting,
    PackOpened,
    PackRevision,
    Person,
)
from .visibility import meetings_visible_to


@dataclass
class PackNews:
    """One meeting's pack as its reader's front page shows it."""

    meeting: Meeting
    items: int
    confidential: int
    opened_at: datetime | None
    # Revisions published since the reader last opened the pack (all of them if never opened).
    revisions: list[PackRevision] = field(default_factory=list)
    # A draft released to members changed since it was last opened (its latest change).
    draft_changed_at: datetime | None = None

    @property
    def is_draft(self) -> bool:
        return not self.meeting.is_published

    @property
    def unread(self) -> bool:
        return self.opened_at is None


@dataclass
class FrontPage:
    person: Person | None
    upcoming: list[PackNews]
    recent: list[PackNews]
    actions: list[Action]
    open_actions: int
    # For a clerk (who may change meetings): the meetings they look after, next ones first, then
    # the latest held, with the way to each one's agenda in the administration.
    clerking_upcoming: list[Meeting] = field(default_factory=list)
    clerking_recent: list[Meeting] = field(default_factory=list)


def _last_change(model, meeting_path: str):
    """The time of the latest change recorded in a history table for the meeting in the row."""
    return Subquery(
        model.objects.filter(**{meeting_path: OuterRef("pk")})
        .order_by("-history_date")
        .values("history_date")[:1]
    )


def _packs(user, meetings) -> list[PackNews]:
    opened = PackOpened.objects.filter(user=user, meeting=OuterRef("pk")).values("opened_at")[:1]
    meetings = meetings.annotate(
        item_count=Count("items", distinct=True),
        confidential_count=Count("items", filter=Q(items__confidential=True), distinct=True),
        opened_at=Subquery(opened),
        # A released draft's latest change: to the meeting itself, an item, or a report.
        meeting_changed=_last_change(HistoricalMeeting, "id"),
        item_changed=_last_change(HistoricalAgendaItem, "meeting_id"),
        report_changed=_last_change(HistoricalReport, "item__meeting_id"),
    ).prefetch_related(
        Prefetch("revisions", queryset=PackRevision.objects.order_by("number"), to_attr="all_revisions")
    )
    packs = []
    for meeting in meetings:
        seen = meeting.opened_at
        news = PackNews(meeting, meeting.item_count, meeting.confidential_count, seen)
        if meeting.is_published:
            news.revisions = [
                revision
                for revision in meeting.all_revisions
                if seen is None or (revision.published_at is not None and revision.published_at > seen)
            ]
        elif seen is not None:
            changed = [meeting.meeting_changed, meeting.item_changed, meeting.report_changed]
            last_change = max((when for when in changed if when is not None), default=None)
            if last_change is not None and last_change > seen:
                news.draft_changed_at = last_change
        packs.append(news)
    return packs


def front_page(user, today: date, recent: int = 3, upcoming: int = 10) -> FrontPage:
    """What a signed-in reader sees first: their boards' next meetings (soonest first), the last
    few held, and their actions (open ones first); a clerk also the meetings they look after."""
    person = Person.objects.filter(user=user).first()
    years = access.board_year_ids_of_member(user)
    mine = meetings_visible_to(user).filter(board_year_id__in=years)
    actions = []
    if person is not None:
        actions = list(
            Action.objects.filter(owner=person, entry__minutes__meeting__in=meetings_visible_to(user))
            .filter(access.confidential_filter(user, "entry__agenda_item"))
            .select_related("entry__agenda_item", "entry__minutes__meeting__board")
            # Open ones first, then the latest meeting's first.
            .order_by(
                Case(When(status=Action.Status.OPEN, then=0), default=1),
                "-entry__minutes__meeting__date",
                "entry__agenda_item__number",
                "number",
            )
        )
    clerking = {}
    if user.has_perm("meetings.change_meeting"):
        every = meetings_visible_to(user)
        clerking = {
            "clerking_upcoming": list(every.filter(date__gte=today).order_by("date")[:upcoming]),
            "clerking_recent": list(every.filter(date__lt=today).order_by("-date")[:recent]),
        }
    return FrontPage(
        **clerking,
        person=person,
        upcoming=_packs(user, mine.filter(date__gte=today).order_by("date")[:upcoming]),
        recent=_packs(user, mine.filter(date__lt=today).order_by("-date")[:recent]),
        actions=actions,
        open_actions=sum(action.status == Action.Status.OPEN for action in actions),
    )
