"""What the public received: the items frozen with each meeting's latest published revision, with
their particulars, for what names a pack's papers outside the pack (a deliverable's thread, the
open data API)."""

from django.db.models import Exists, OuterRef, QuerySet

from ..models import FrozenItem, PackRevision


def frozen_items() -> QuerySet[FrozenItem]:
    """The items of each meeting's latest revision that name their agenda item: an item frozen
    before particulars were kept, and changed since, has none and names none (migration 0023)."""
    later = PackRevision.objects.filter(
        meeting=OuterRef("revision__meeting"), number__gt=OuterRef("revision__number")
    )
    return FrozenItem.objects.filter(agenda_item__isnull=False).exclude(Exists(later))


def published_items(item_ids) -> dict[int, FrozenItem]:
    """Each agenda item's frozen item in its meeting's latest revision, by the agenda item's id (none
    for an item added since). Its `particulars` give the number, title, confidentiality and report
    title as published. One query."""
    frozen = frozen_items().filter(agenda_item_id__in=list(item_ids)).exclude(particulars={})
    return {item.agenda_item_id: item for item in frozen}
