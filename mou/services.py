"""Writes for the MoU, each in one transaction, validating everything before saving anything."""

from django.db import transaction

from .forms import QuarterlyReturnForm
from .models import Deliverable, QuarterlyReturn, Theme


def quarter_entry_forms(
    *, theme: Theme, quarter: int, data=None
) -> list[tuple[Deliverable, QuarterlyReturnForm]]:
    """A form per deliverable of the theme for the quarter, bound to its return if there is one."""
    deliverables = list(theme.deliverables.order_by("order").prefetch_related("returns"))
    rows = []
    for deliverable in deliverables:
        existing = next((r for r in deliverable.returns.all() if r.quarter == quarter), None)
        instance = existing or QuarterlyReturn(deliverable=deliverable, quarter=quarter)
        rows.append((deliverable, QuarterlyReturnForm(data, instance=instance, prefix=f"d{deliverable.pk}")))
    return rows


@transaction.atomic
def quarter_entry_save(*, rows: list[tuple[Deliverable, QuarterlyReturnForm]], by) -> int:
    """Save a theme's quarter only if every row is valid: all or nothing. Returns rows saved."""
    if not all(form.is_valid() for _, form in rows):
        return -1
    saved = 0
    for _, form in rows:
        if form.instance.pk is None and not form.has_anything():
            continue  # an untouched blank row is not a return
        record = form.save(commit=False)
        record.entered_by = by
        record.save()
        saved += 1
    return saved
