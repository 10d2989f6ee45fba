"""What the public received: the particulars of agenda items as frozen with their meeting's latest
published revision, for pages outside the pack that name its papers (a deliverable's thread)."""

from django.db.models import OuterRef, Subquery

from ..models import FrozenItem, PackRevision


def published_items(item_ids) -> dict[int, FrozenItem]:
    """Each agenda item's frozen item in its meeting's latest published revision, by the agenda
    item's id; none for an item added since, or frozen before particulars were kept and changed
    since. Its `particulars` give the number, title, confidentiality and report title as published.
    One query."""
    latest = PackRevision.objects.filter(meeting=OuterRef("revision__meeting")).order_by("-number")
    frozen = (
        FrozenItem.objects.filter(
            agenda_item_id__in=list(item_ids), revision=Subquery(latest.values("pk")[:1])
        )
        .exclude(particulars={})
        .select_related("revision")
    )
    return {item.agenda_item_id: item for item in frozen}
