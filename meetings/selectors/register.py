"""The attendance register: a board-year's members down, its meetings across, present, apologies
or absent."""

from dataclasses import dataclass

from ..models import Attendance, BoardYear, Meeting, Person
from .visibility import meetings_visible_to


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
