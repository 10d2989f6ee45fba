"""The note of a meeting as a reader sees it: entries by item, declarations, attendance and the
quorum; and a board's actions."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from .. import permissions as access
from ..models import (
    Action,
    AgendaItem,
    Attendance,
    Board,
    Decision,
    Declaration,
    DiscussionPoint,
    Meeting,
    MinuteEntry,
    Minutes,
)
from .visibility import ANONYMOUS, meetings_visible_to, withhold


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
