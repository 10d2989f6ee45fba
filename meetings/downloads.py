"""A board's tables as rows for its CSV downloads: meetings, members with their attendance, and
actions with their progress. Plain functions over what the selectors read; what the record does
not give is left blank."""

from collections.abc import Callable, Iterable

from django.urls import reverse
from django.utils import timezone

from lgaboard.csv_export import Cell

from .models import Action, Meeting
from .selectors import BoardMember, MembersAndAttendance, RegisterCell

Absolute = Callable[[str], str]  # request.build_absolute_uri

MEETING_HEADERS = [
    "Date",
    "Time",
    "Year",
    "Venue",
    "Status",
    "Published on",
    "Latest revision",
    "Items",
    "Agenda pack",
    "Agenda pack (PDF)",
    "Minutes",
    "Minutes approved at the meeting of",
    "Note of the meeting",
]


def meeting_rows(meetings: Iterable[Meeting], *, absolute: Absolute) -> list[list[Cell]]:
    """One row per meeting (from `selectors.published_meetings`): its items counted as the public
    received the pack (its latest revision), its note's status, and the addresses of its papers."""
    return [_meeting_row(meeting, absolute) for meeting in meetings]


def _meeting_row(meeting: Meeting, absolute: Absolute) -> list[Cell]:
    revisions = meeting.published_revisions
    latest = revisions[-1] if revisions else None
    minutes = _minutes(meeting)
    address = {"board_slug": meeting.board.slug, "date": meeting.date}
    return [
        meeting.date,
        f"{meeting.start_time:%H:%M}" if meeting.start_time else "",
        meeting.board_year.label,
        meeting.venue.one_line if meeting.venue else "",
        meeting.get_status_display(),
        timezone.localdate(meeting.published_at) if meeting.published_at else None,
        latest.number if latest else None,
        latest.item_count if latest else meeting.item_count or 0,
        absolute(meeting.get_absolute_url()),
        absolute(reverse("meetings:pack_pdf", kwargs=address)),
        ("Approved" if minutes.is_approved else "Draft") if minutes else "",
        minutes.approved_at_meeting.date if minutes and minutes.approved_at_meeting else None,
        absolute(reverse("meetings:minutes_detail", kwargs=address)) if minutes else "",
    ]


def _minutes(meeting: Meeting):
    """The meeting's note (joined in by the selector), or None where none is written."""
    try:
        return meeting.minutes
    except Meeting.minutes.RelatedObjectDoesNotExist:
        return None


MEMBER_HEADERS = [
    "Name",
    "Role",
    "Political group",
    "Authority",
    "Type of authority",
    "Organisation",
    "Meetings with attendance recorded",
    "Present",
    "Attendance rate (%)",
]


def member_headers(record: MembersAndAttendance) -> list[str]:
    """The columns, then one per published meeting of the year: '1 November 2017'."""
    return [*MEMBER_HEADERS, *(f"{meeting.date:%-d %B %Y}" for meeting in record.register.meetings)]


def member_rows(record: MembersAndAttendance) -> list[list[Cell]]:
    """One row per person on the board that year (`selectors.members_and_attendance`), with their
    attendance where the register counts it (members holding a seat); blank for the others."""
    return [_member_row(member, len(record.register.meetings)) for member in record.members]


def _member_row(member: BoardMember, meetings: int) -> list[Cell]:
    m, row = member.membership, member.attendance
    described = [member.person.full_name, *(_membership(m) if m else [row.role, row.group, "", "", ""])]
    if row is None:
        return [*described, None, None, None, *([""] * meetings)]
    counts = [row.meetings_recorded, row.meetings_present, row.rate]
    return [*described, *counts, *(_attended(cell) for cell in row.cells)]


def _membership(m) -> list[str]:
    """Role, political group, authority, its type, and the body an observer represents."""
    authority = m.authority
    return [
        m.get_role_display(),
        m.group.name if m.group else "",
        authority.name if authority else "",
        authority.get_authority_type_display() if authority else "",
        m.organisation,
    ]


def _attended(cell: RegisterCell) -> str:
    if cell.substitute:
        return f"{cell.label} (substitute: {cell.substitute.person.full_name})"
    return cell.label


ACTION_HEADERS = [
    "Meeting",
    "Item",
    "Action",
    "Action by",
    "Due",
    "Status",
    "Latest progress on",
    "Latest progress",
    "Earlier progress",
    "Note of the meeting",
]


def action_rows(actions: Iterable[Action], *, absolute: Absolute) -> list[list[Cell]]:
    """One row per action (from `selectors.board_actions`): who it is for, its status, and its
    progress, the latest first; earlier updates one a line, each with its date."""
    return [_action_row(action, absolute) for action in actions]


def _action_row(action: Action, absolute: Absolute) -> list[Cell]:
    item, meeting = action.entry.agenda_item, action.entry.minutes.meeting
    updates = list(action.progress.all())  # prefetched, newest first
    latest = updates[0] if updates else None
    note = reverse("meetings:minutes_detail", kwargs={"board_slug": meeting.board.slug, "date": meeting.date})
    return [
        meeting.date,
        f"{item.number}. {item.title}",
        action.text,
        action.owner_display,
        action.due_date,
        action.get_status_display(),
        latest.date if latest else None,
        latest.text if latest else "",
        "\n".join(f"{update.date.isoformat()}: {update.text}" for update in updates[1:]),
        absolute(note),
    ]
