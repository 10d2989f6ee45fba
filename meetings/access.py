"""Who may read what: the one place the portal decides access to meetings and confidential items.

Views, selectors and templates ask these functions; none decides on its own."""

from django.db.models import Q

from .models import Meeting, Membership


def board_year_ids_of_member(user) -> set[int]:
    """The board-years in which this login's person holds a membership (any role)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_lgaboard_member_years", None)
    if cached is None:
        cached = set(Membership.objects.filter(person__user=user).values_list("board_year_id", flat=True))
        user._lgaboard_member_years = cached
    return cached


def can_read_confidential(user, meeting: Meeting) -> bool:
    """Staff (clerks) and the members of the meeting's board-year read its confidential items."""
    if not user.is_authenticated:
        return False
    return user.is_staff or meeting.board_year_id in board_year_ids_of_member(user)


def confidential_filter(user, item_path: str) -> Q:
    """A filter keeping only rows whose agenda item this user may read. `item_path` leads from the
    rows to their AgendaItem, e.g. "entry__agenda_item"."""
    if user.is_authenticated and user.is_staff:
        return Q()
    public = Q(**{f"{item_path}__confidential": False})
    years = board_year_ids_of_member(user)
    if not years:
        return public
    return public | Q(**{f"{item_path}__meeting__board_year_id__in": years})
