"""The meetings a calendar gives: published ones (the public's), from a bounded window."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Max, OuterRef, Subquery

from ..models import Board, HistoricalMeeting, Meeting

PAST = timedelta(days=365)  # a calendar gives the meetings of the past twelve months and all to come
AT_LEAST_HELD = 10  # and, however long ago, the last ten held (a board that met long ago is not blank)


@dataclass
class CalendarMeeting:
    meeting: Meeting
    sequence: int  # how many times the meeting was saved after it was first made: raised by each change
    changed_at: datetime | None  # when it was last saved (none recorded: None)


def calendar_meetings(today: date, board: Board | None = None) -> list[CalendarMeeting]:
    """Published meetings (of one board, or of all), soonest first: every one to come and those of
    the past twelve months, or the last ten held if that goes back further."""
    published = Meeting.objects.filter(status=Meeting.Status.PUBLISHED)
    if board is not None:
        published = published.filter(board=board)
    held = list(
        published.filter(date__lt=today).order_by("-date").values_list("date", flat=True)[:AT_LEAST_HELD]
    )
    since = min([today - PAST, *held[-1:]])
    saves = HistoricalMeeting.objects.filter(id=OuterRef("pk")).order_by().values("id")
    meetings = (
        published.filter(date__gte=since)
        .select_related("board", "venue")
        .prefetch_related("board__former_names")  # the board's name on the meeting's day
        .annotate(
            saves=Subquery(saves.annotate(n=Count("history_id")).values("n")[:1]),
            changed_at=Subquery(saves.annotate(last=Max("history_date")).values("last")[:1]),
        )
        .order_by("date", "start_time", "pk")
    )
    return [CalendarMeeting(m, max((m.saves or 1) - 1, 0), m.changed_at) for m in meetings]
