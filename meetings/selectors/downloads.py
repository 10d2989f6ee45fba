"""What a board's CSV downloads read: the public's (published meetings only, no confidential item),
whoever asks, so every reader receives the same file."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery

from ..models import AgendaItem, Board, BoardYear, Meeting, Membership, PackRevision, Person
from .membership import board_membership
from .register import AttendanceRegister, RegisterRow, attendance_register
from .visibility import ANONYMOUS, meetings_visible_to


def published_meetings(board: Board) -> QuerySet[Meeting]:
    """A board's published meetings, newest first, each with its venue, its note and the meeting
    that approved it, its number of items (`item_count`) and its published revisions oldest first
    (`published_revisions`, each with the number of items it froze, `item_count`): in two queries
    however many meetings there are."""
    items = (
        AgendaItem.objects.filter(meeting=OuterRef("pk"))
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    revisions = (
        PackRevision.objects.only("pk", "meeting_id", "number", "published_at")
        .annotate(item_count=Count("items"))
        .order_by("number")
    )
    return (
        meetings_visible_to(ANONYMOUS)
        .filter(board=board)
        .select_related("minutes__approved_at_meeting")
        .annotate(item_count=Subquery(items[:1]))
        .prefetch_related(Prefetch("revisions", queryset=revisions, to_attr="published_revisions"))
        .order_by("-date")
    )


@dataclass
class BoardMember:
    """Someone on the board for the year: their membership (None for someone the minutes record as
    a member who has none that year) and their row of the attendance register (None for those it
    does not count: substitutes and observers, who hold no seat)."""

    person: Person
    membership: Membership | None
    attendance: RegisterRow | None


@dataclass
class MembersAndAttendance:
    register: AttendanceRegister
    members: list[BoardMember]


def members_and_attendance(board_year: BoardYear) -> MembersAndAttendance:
    """The year's members in the order the board's page prints them (each group's members, then its
    substitutes; then observers), then anyone else the register counts, each with their attendance
    at the published meetings of the year: a fixed number of queries."""
    membership = board_membership(board_year)
    register = attendance_register(ANONYMOUS, board_year)
    rows = {row.person.pk: row for row in register.rows}
    listed = [m for group in membership.groups for m in (*group.members, *group.substitutes)]
    listed += membership.observers
    members = [BoardMember(m.person, m, rows.pop(m.person_id, None)) for m in listed]
    members += [BoardMember(row.person, None, row) for row in rows.values()]
    return MembersAndAttendance(register=register, members=members)
