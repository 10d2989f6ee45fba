"""Reads the pages share. Each selector decides its own queries, so a page's query count is fixed."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from lgaboard import permissions as access
from lgaboard.years import start_year_from_slug

from .models import (
    Action,
    AgendaItem,
    Annex,
    Attendance,
    Board,
    BoardFormerName,
    BoardYear,
    Decision,
    Declaration,
    DiscussionPoint,
    Meeting,
    Membership,
    MinuteEntry,
    Minutes,
    Person,
    PoliticalGroup,
    Recommendation,
    ReportContact,
)

# The reader assumed when none is given: the public.
ANONYMOUS = AnonymousUser()


def meetings_visible_to(user) -> QuerySet[Meeting]:
    """Meetings a user may read: the public sees published meetings; members also the drafts
    released to them; staff see every draft."""
    meetings = Meeting.objects.select_related("board", "board_year", "venue").prefetch_related(
        "board__former_names"
    )
    visible = access.visible_meetings_filter(user)
    return meetings if visible is None else meetings.filter(visible)


def board_by_slug(slug: str) -> tuple[Board, bool]:
    """The board at this address, and whether the address is a former name's (to redirect)."""
    board = Board.objects.filter(slug=slug).first()
    if board:
        return board, False
    former = get_object_or_404(BoardFormerName.objects.select_related("board"), slug=slug)
    return former.board, True


@dataclass
class GroupMembership:
    """One political group's part of a board's membership for a year."""

    group: PoliticalGroup | None
    members: list[Membership] = field(default_factory=list)
    substitutes: list[Membership] = field(default_factory=list)
    seats_held: int = 0
    seats_allocated: int | None = None

    @property
    def seat_difference(self) -> int:
        return self.seats_held - (self.seats_allocated or 0)

    @property
    def matches_terms_of_reference(self) -> bool:
        return self.seats_allocated is not None and self.seat_difference == 0


@dataclass
class BoardMembership:
    """A board-year's membership grouped as the papers print it, with computed seats."""

    board_year: BoardYear
    groups: list[GroupMembership]
    observers: list[Membership]

    @property
    def seats_held(self) -> int:
        return sum(group.seats_held for group in self.groups)

    @property
    def seats_allocated(self) -> int:
        return sum(group.seats_allocated or 0 for group in self.groups)

    @property
    def differences(self) -> list[GroupMembership]:
        return [group for group in self.groups if not group.matches_terms_of_reference]

    @property
    def quorum(self) -> int:
        return self.board_year.quorum_for(self.seats_held)


def board_membership(board_year: BoardYear) -> BoardMembership:
    """Members, substitutes and observers per group; seats counted from memberships, never typed.

    Groups appear if they hold a membership or a seat in the terms of reference, so a group the
    terms of reference expect but the membership lacks still shows, with its difference.
    """
    memberships = list(
        board_year.memberships.select_related("person", "group", "authority").order_by(
            "group__order", "order", "person__last_name"
        )
    )
    allocations = {a.group_id: a.seats for a in board_year.seats.select_related("group")}
    by_group: dict[int, GroupMembership] = {}
    observers = []
    for membership in memberships:
        if membership.group is None:
            observers.append(membership)
            continue
        entry = by_group.setdefault(membership.group_id, GroupMembership(group=membership.group))
        bucket = entry.substitutes if membership.role == Membership.Role.SUBSTITUTE else entry.members
        bucket.append(membership)
        entry.seats_held += membership.holds_seat
    for group in PoliticalGroup.objects.filter(pk__in=allocations.keys() - by_group.keys()):
        by_group[group.pk] = GroupMembership(group=group)
    for group_id, entry in by_group.items():
        entry.seats_allocated = allocations.get(group_id)
    groups = sorted(by_group.values(), key=lambda g: (g.group.order, g.group.name))
    return BoardMembership(board_year=board_year, groups=groups, observers=observers)


def current_board_year(board: Board) -> BoardYear | None:
    return board.years.order_by("-start_year").first()


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
            # "live": the data behind a generated annex (programmes.LiveAnnex), if any.
            Prefetch("report__annexes", queryset=Annex.objects.select_related("live").order_by("letter")),
        )
        .order_by("number")
    )
    items = list(items)
    show_confidential = access.can_read_confidential(user, meeting)
    for item in items:
        item.meeting = meeting  # already loaded: item and annex addresses need no further queries
        withhold(item, show_confidential)
    return items


def withhold(item: AgendaItem, show_confidential: bool) -> None:
    """A confidential item the reader may not see keeps its title and reason but loses its report:
    `item.withheld` is set and `item.report` no longer exists, so no template can show it."""
    item.withheld = item.confidential and not show_confidential
    item.shown_confidential = item.confidential and show_confidential
    if item.withheld:
        item._state.fields_cache["report"] = None


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


@dataclass
class Quorum:
    """Whether a meeting was quorate under its board-year's rule, and why."""

    present: int
    required: int | None
    groups_present: list[str]
    min_groups: int
    unknown_groups: list[str]

    @property
    def known(self) -> bool:
        return self.required is not None and not self.unknown_groups

    @property
    def quorate(self) -> bool:
        return self.known and self.present >= self.required and len(self.groups_present) >= self.min_groups

    @property
    def explanation(self) -> str:
        if self.required is None:
            return "The membership for this year is not recorded, so the quorum cannot be worked out."
        groups = len(self.groups_present)
        counted = f"{self.present} member{'s' if self.present != 1 else ''} present of {self.required} needed"
        spread = f"{groups} political group{'s' if groups != 1 else ''} of {self.min_groups} needed"
        if self.unknown_groups:
            return f"{counted}; the political group of {', '.join(self.unknown_groups)} is not recorded."
        verdict = "Quorate" if self.quorate else "Not quorate"
        return f"{verdict}: {counted}, from {spread}."


def quorum_for(meeting: Meeting, attendance) -> Quorum:
    """Apply the board-year's quorum rule to who was present (members and substitutes)."""
    board_year = meeting.board_year
    memberships = {m.person_id: m for m in board_year.memberships.select_related("group")}
    seats = sum(1 for m in memberships.values() if m.holds_seat)
    voting = [a for a in attendance if a.sat_present]
    groups, unknown = set(), []
    for record in voting:
        membership = memberships.get(record.person_id) or memberships.get(record.substitute_for_id)
        if membership and membership.group:
            groups.add(membership.group.name)
        else:
            unknown.append(record.person.full_name)
    return Quorum(
        present=len(voting),
        required=board_year.quorum_for(seats) if seats else None,
        groups_present=sorted(groups),
        min_groups=board_year.quorum_min_groups,
        unknown_groups=unknown,
    )


@dataclass
class MinutesRecord:
    """A meeting's note: entries by agenda item, declarations, attendance and the quorum."""

    minutes: Minutes
    items: list[tuple[AgendaItem, list[MinuteEntry]]]
    declarations: list[Declaration]
    attendance: dict[str, list[Attendance]]
    quorum: Quorum

    @property
    def appendix_lists(self) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
        """Apologies, guests and officers as (caption, name column, detail column, rows)."""
        a = self.attendance
        return [
            (
                "Apologies",
                "Councillor",
                "Authority",
                [(r.person.full_name, r.authority or "") for r in a["apologies"]],
            ),
            (
                "In attendance",
                "Name",
                "Organisation",
                [(r.person.full_name, r.organisation) for r in a["guests"]],
            ),
            ("Officers", "Name", "Position", [(r.person.full_name, r.position) for r in a["officers"]]),
        ]

    @property
    def actions(self) -> list[tuple[AgendaItem, Action]]:
        return [(item, action) for item, entries in self.items for e in entries for action in e.actions.all()]


def minutes_record(minutes: Minutes, user=ANONYMOUS) -> MinutesRecord:
    """Everything the note shows this user, in a fixed number of queries; what it records of a
    confidential item is left out for those who may not read it."""
    entries = (
        minutes.entries.select_related("agenda_item", "introduced_by")
        .prefetch_related(
            Prefetch("discussionpoints", queryset=DiscussionPoint.objects.order_by("number")),
            Prefetch("decisions", queryset=Decision.objects.order_by("number")),
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("owner")
                .prefetch_related("progress")
                .order_by("number"),
            ),
        )
        .order_by("agenda_item__number", "order")
    )
    show_confidential = access.can_read_confidential(user, minutes.meeting)
    by_item: dict[int, tuple[AgendaItem, list[MinuteEntry]]] = {}
    for entry in entries:
        item, kept = by_item.setdefault(entry.agenda_item_id, (entry.agenda_item, []))
        withhold(item, show_confidential)
        if not item.withheld:
            kept.append(entry)
    attendance = list(minutes.attendance.select_related("person", "authority", "substitute_for"))
    grouped = {
        "present": [a for a in attendance if a.sat_present],
        "apologies": [a for a in attendance if a.status == "apologies"],
        "guests": [a for a in attendance if a.category == "guest" and a.status == "present"],
        "officers": [a for a in attendance if a.category == "officer" and a.status == "present"],
    }
    return MinutesRecord(
        minutes=minutes,
        items=list(by_item.values()),
        declarations=list(minutes.declarations.select_related("person", "agenda_item")),
        attendance=grouped,
        quorum=quorum_for(minutes.meeting, attendance),
    )


def minutes_of(meeting: Meeting, user=ANONYMOUS) -> MinutesRecord | None:
    minutes = Minutes.objects.filter(meeting=meeting).select_related("meeting__board_year").first()
    return minutes_record(minutes, user) if minutes else None


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


@dataclass
class RegisterCell:
    meeting: Meeting
    status: str  # present, apologies, absent, not_recorded
    substitute: Attendance | None = None

    LABELS = {
        "present": "Present",
        "apologies": "Apologies",
        "absent": "Absent",
        "not_recorded": "Not recorded",
    }

    @property
    def label(self) -> str:
        return self.LABELS[self.status]


@dataclass
class RegisterRow:
    person: Person
    role: str
    group: str
    cells: list[RegisterCell]

    @property
    def meetings_recorded(self) -> int:
        return sum(1 for cell in self.cells if cell.status != "not_recorded")

    @property
    def meetings_present(self) -> int:
        return sum(1 for cell in self.cells if cell.status == "present")

    @property
    def rate(self) -> int | None:
        """Attendance rate in whole per cent (half up), over meetings whose attendance is recorded."""
        if not self.meetings_recorded:
            return None
        return (200 * self.meetings_present + self.meetings_recorded) // (2 * self.meetings_recorded)


@dataclass
class AttendanceRegister:
    board_year: BoardYear
    meetings: list[Meeting]
    rows: list[RegisterRow]


def _register_people(board_year: BoardYear, records: list[Attendance]) -> list[tuple[Person, str, str]]:
    """Members holding a seat that year, then anyone recorded as a member who has no membership."""
    people = [
        (m.person, m.get_role_display(), m.group.name if m.group else "")
        for m in board_year.memberships.select_related("person", "group").order_by(
            "group__order", "order", "person__last_name"
        )
        if m.holds_seat
    ]
    known = {person.pk for person, _, _ in people}
    for record in records:
        if record.category == "member" and record.person_id not in known:
            known.add(record.person_id)
            people.append((record.person, record.get_role_display() or "Member", ""))
    return people


def attendance_register(user, board_year: BoardYear) -> AttendanceRegister:
    """Members down, meetings across: present, apologies or absent, substitutes against the member."""
    meetings = list(
        meetings_visible_to(user).filter(board_year=board_year).select_related("minutes").order_by("date")
    )
    records = list(
        Attendance.objects.filter(minutes__meeting__in=meetings)
        .select_related("person", "substitute_for", "minutes")
        .order_by("minutes__meeting__date", "order")
    )
    recorded = {r.minutes.meeting_id for r in records}
    by_cell = {(r.minutes.meeting_id, r.person_id): r for r in records}
    substitutes = {(r.minutes.meeting_id, r.substitute_for_id): r for r in records if r.substitute_for_id}
    rows = []
    for person, role, group in _register_people(board_year, records):
        cells = []
        for meeting in meetings:
            record = by_cell.get((meeting.pk, person.pk))
            if meeting.pk not in recorded:
                status = "not_recorded"
            elif record is None or not record.sits:
                status = "absent"
            else:
                status = record.status
            cells.append(RegisterCell(meeting, status, substitutes.get((meeting.pk, person.pk))))
        rows.append(RegisterRow(person=person, role=role, group=group, cells=cells))
    return AttendanceRegister(board_year=board_year, meetings=meetings, rows=rows)


def board_year_by_slug(board: Board, slug: str) -> BoardYear:
    """'2017-18' → the board's 2017/18 year, or 404."""
    return get_object_or_404(BoardYear, board=board, start_year=start_year_from_slug(slug))


def board_actions(user, board: Board) -> QuerySet[Action]:
    """Every action of a board's visible meetings, with what the table shows joined in."""
    meetings = meetings_visible_to(user).filter(board=board)
    return (
        Action.objects.filter(entry__minutes__meeting__in=meetings)
        .filter(access.confidential_filter(user, "entry__agenda_item"))
        .select_related("owner", "entry__agenda_item", "entry__minutes__meeting__board")
        .prefetch_related("progress")
        .order_by("-entry__minutes__meeting__date", "entry__agenda_item__number", "number")
    )
