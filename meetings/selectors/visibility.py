"""What a reader may see: the meetings visible to them, and the confidential items withheld from
them. Shared by the other read models."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from .. import permissions as access
from ..models import AgendaItem, Meeting

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


def withhold(item: AgendaItem, show_confidential: bool) -> None:
    """A confidential item the reader may not see keeps its title and reason but loses its report:
    `item.withheld` is set and `item.report` no longer exists, so no template can show it."""
    item.withheld = item.confidential and not show_confidential
    item.shown_confidential = item.confidential and show_confidential
    if item.withheld:
        item._state.fields_cache["report"] = None
