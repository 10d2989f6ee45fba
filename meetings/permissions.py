"""Who reads which meetings and confidential items: clerks everything, members their boards' (the
roles themselves are in lgaboard/permissions.py)."""

from django.db.models import Q

from lgaboard.permissions import reads_everything

from .models import Membership, Person

__all__ = [
    "board_year_ids_of_member",
    "can_read_confidential",
    "confidential_filter",
    "person_id_of",
    "reads_everything",
    "visible_meetings_filter",
]


def person_id_of(user) -> int | None:
    """The Person a login belongs to, if any (cached on the user for the request)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_lgaboard_person_id"):
        user._lgaboard_person_id = Person.objects.filter(user=user).values_list("pk", flat=True).first()
    return user._lgaboard_person_id


def board_year_ids_of_member(user) -> set[int]:
    """The board-years in which this login's person holds a membership (any role)."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_lgaboard_member_years"):
        years = Membership.objects.filter(person__user=user).values_list("board_year_id", flat=True)
        user._lgaboard_member_years = set(years)
    return user._lgaboard_member_years


def visible_meetings_filter(user) -> Q | None:
    """Meetings this user may read: None means all (clerks); else published, plus drafts released
    to members for the member's own board-years."""
    if reads_everything(user):
        return None
    published = Q(status="published")
    years = board_year_ids_of_member(user)
    if not years:
        return published
    return published | Q(released_to_members=True, board_year_id__in=years)


def can_read_confidential(user, meeting) -> bool:
    """Clerks and the members of the meeting's board-year read its confidential items."""
    if not user.is_authenticated:
        return False
    return reads_everything(user) or meeting.board_year_id in board_year_ids_of_member(user)


def confidential_filter(user, item_path: str) -> Q:
    """A filter keeping only rows whose agenda item this user may read. `item_path` leads from the
    rows to their AgendaItem, e.g. "entry__agenda_item"."""
    if reads_everything(user):
        return Q()
    public = Q(**{f"{item_path}__confidential": False})
    years = board_year_ids_of_member(user)
    if not years:
        return public
    return public | Q(**{f"{item_path}__meeting__board_year_id__in": years})
