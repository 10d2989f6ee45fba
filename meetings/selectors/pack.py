"""The agenda pack as a reader may see it: the meeting, its items with reports, contacts,
recommendations and annexes, the membership, and the meetings either side."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from .. import annex_content
from .. import permissions as access
from ..models import AgendaItem, Annex, Board, Meeting, Recommendation, ReportContact
from .membership import BoardMembership, board_membership
from .minutes import MinutesRecord, minutes_of
from .visibility import ANONYMOUS, meetings_visible_to, withhold


@dataclass
class AgendaPack:
    """Everything the agenda pack page shows, fetched in a fixed number of queries."""

    meeting: Meeting
    items: list[AgendaItem]
    membership: BoardMembership
    next_meeting: Meeting | None
    previous_minutes: "MinutesRecord | None" = None


def _items_with_reports(meeting: Meeting, user, **filters) -> list[AgendaItem]:
    items = (
        AgendaItem.objects.filter(meeting=meeting, **filters)
        .select_related("report")
        .prefetch_related(
            Prefetch("report__contacts", queryset=ReportContact.objects.select_related("person")),
            Prefetch("report__recommendations", queryset=Recommendation.objects.order_by("number")),
            # What later apps provide for an annex (programmes' live tables), loaded with it.
            Prefetch(
                "report__annexes",
                queryset=Annex.objects.select_related(*annex_content.related()).order_by("letter"),
            ),
        )
        .order_by("number")
    )
    items = list(items)
    show_confidential = access.can_read_confidential(user, meeting)
    for item in items:
        item.meeting = meeting  # already loaded: item and annex addresses need no further queries
        withhold(item, show_confidential)
    # Their provided content (generated tables) is read for all of them at once, when first shown.
    annex_content.shown_together(
        annex for item in items if (report := getattr(item, "report", None)) for annex in report.annexes.all()
    )
    return items


def meeting_for(user, board: Board, on: date) -> Meeting:
    """The meeting of a board on a date that this user may read, or 404."""
    meetings = meetings_visible_to(user).select_related("contact_officer", "board_year__board", "minutes")
    return get_object_or_404(meetings, board=board, date=on)


def agenda_pack_for(meeting: Meeting, user=ANONYMOUS) -> AgendaPack:
    """The whole pack as this user may read it: items in order with reports, contacts,
    recommendations and annexes, the board-year's membership and the date of the next meeting."""
    items = _items_with_reports(meeting, user)
    wants_minutes = any(item.kind == AgendaItem.Kind.PREVIOUS_MINUTES for item in items)
    previous = previous_meeting(meeting) if wants_minutes else None
    return AgendaPack(
        meeting=meeting,
        items=items,
        membership=board_membership(meeting.board_year),
        next_meeting=next_meeting(meeting),
        previous_minutes=minutes_of(previous, user) if previous else None,
    )


def agenda_item_for(meeting: Meeting, number: int, user=ANONYMOUS) -> AgendaItem:
    """One item of a meeting with its report (withheld if confidential to this user), or 404."""
    items = _items_with_reports(meeting, user, number=number)
    if not items:
        raise Http404("No such item on this agenda.")
    return items[0]


def home_meetings(user, today: date, limit: int = 10) -> dict[str, list[Meeting]]:
    """Upcoming meetings (soonest first) and recent ones (latest first) across boards."""
    meetings = meetings_visible_to(user)
    return {
        "upcoming": list(meetings.filter(date__gte=today).order_by("date")[:limit]),
        "recent": list(meetings.filter(date__lt=today).order_by("-date")[:limit]),
    }


def next_meeting(meeting: Meeting) -> Meeting | None:
    """The board's meeting after this one."""
    return (
        Meeting.objects.filter(board_id=meeting.board_id, date__gt=meeting.date)
        .select_related("venue")
        .order_by("date")
        .first()
    )


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The board's meeting before this one."""
    return (
        Meeting.objects.filter(board_id=meeting.board_id, date__lt=meeting.date)
        .select_related("board_year", "venue")
        .order_by("-date")
        .first()
    )
