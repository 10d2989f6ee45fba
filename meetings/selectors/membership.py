"""A board's membership for a year as the papers print it (members, substitutes and observers per
group, with seats counted), and finding a board and its year by address."""

from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404

from lgaboard.fingerprints import fingerprint
from lgaboard.years import start_year_from_slug

from ..models import Board, BoardFormerName, BoardYear, Membership, PoliticalGroup


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
    def fingerprint(self) -> str:
        """Everything it shows (the year, each membership with its person, group and authority, the
        seats), to keep its rendering under (`{% cache %}`)."""
        return fingerprint(self)

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
    """The board's latest year. The board keeps all its years, newest first, for its page to list
    (`board.years.all`) without asking again."""
    prefetch_related_objects([board], "years")
    return next(iter(board.years.all()), None)


def board_year_by_slug(board: Board, slug: str) -> BoardYear:
    """'2017-18' → the board's 2017/18 year, or 404."""
    return get_object_or_404(BoardYear, board=board, start_year=start_year_from_slug(slug))
