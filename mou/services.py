"""Writes for the MoU, each in one transaction, validating everything before saving anything."""

from django.core.exceptions import ValidationError
from django.db import transaction

from lgaboard.versioning import StaleEdit

from .forms import QuarterlyReturnForm
from .models import Deliverable, QuarterlyReturn, ReturnEvent, Theme


def quarter_entry_forms(
    *, theme: Theme, quarter: int, data=None, user=None
) -> list[tuple[Deliverable, QuarterlyReturnForm]]:
    """A form per deliverable of the theme for the quarter, bound to its return if there is one.
    Rows the user may not change (an officer's for deliverables they do not lead) are read-only."""
    deliverables = list(theme.deliverables.order_by("order").prefetch_related("returns"))
    rows = []
    for deliverable in deliverables:
        existing = next((r for r in deliverable.returns.all() if r.quarter == quarter), None)
        instance = existing or QuarterlyReturn(deliverable=deliverable, quarter=quarter)
        form = QuarterlyReturnForm(data, instance=instance, prefix=f"d{deliverable.pk}")
        if user is not None and not user.has_perm("mou.change_quarterlyreturn", instance):
            form.read_only = True
            for field in form.fields.values():
                field.disabled = True  # the posted value is ignored: the stored one is kept
        rows.append((deliverable, form))
    return rows


@transaction.atomic
def quarter_entry_save(*, rows: list[tuple[Deliverable, QuarterlyReturnForm]], by) -> int:
    """Save a theme's quarter only if every row is valid: all or nothing. Returns rows saved."""
    # Validate every row (not all() over a generator, which stops at the first bad row and would
    # leave the rows after it without their messages).
    rows = [(deliverable, form) for deliverable, form in rows if not getattr(form, "read_only", False)]
    results = [form.is_valid() for _, form in rows]
    valid = all(results)
    locked = [form for _, form in rows if form.instance.is_locked and form.has_changed()]
    for form in locked:
        form.add_error(None, "This return is approved and locked; an approver must reopen it first.")
    if locked or not valid:
        return -1
    saved = 0
    for _, form in rows:
        if form.instance.pk is None and not form.has_anything():
            continue  # an untouched blank row is not a return
        if form.instance.pk is not None and not form.has_changed():
            continue  # an unchanged return is left as it is (and an approved one stays locked)
        record = form.save(commit=False)
        record.entered_by = by
        try:
            record.save()
        except StaleEdit as stale:  # saved by someone else between the check and now
            form.add_error(None, stale)
            transaction.set_rollback(True)
            return -1
        saved += 1
    return saved


@transaction.atomic
def return_submit(*, quarterly_return: QuarterlyReturn, by) -> QuarterlyReturn:
    """Submit a return for approval; it must pass every check first."""
    if quarterly_return.status != QuarterlyReturn.Status.DRAFT:
        raise ValidationError("Only a draft return can be submitted.")
    quarterly_return.full_clean()
    if not quarterly_return.rag:
        raise ValidationError("Give the traffic light before submitting the return.")
    return _sign_off(quarterly_return, QuarterlyReturn.Status.SUBMITTED, ReturnEvent.Kind.SUBMITTED, by)


@transaction.atomic
def return_approve(*, quarterly_return: QuarterlyReturn, by) -> QuarterlyReturn:
    """Approve a submitted return; it is then locked."""
    if quarterly_return.status != QuarterlyReturn.Status.SUBMITTED:
        raise ValidationError("Only a submitted return can be approved.")
    return _sign_off(quarterly_return, QuarterlyReturn.Status.APPROVED, ReturnEvent.Kind.APPROVED, by)


@transaction.atomic
def return_reopen(*, quarterly_return: QuarterlyReturn, by, reason: str) -> QuarterlyReturn:
    """Reopen an approved return for correction, recording who and why."""
    if quarterly_return.status != QuarterlyReturn.Status.APPROVED:
        raise ValidationError("Only an approved return can be reopened.")
    if not reason.strip():
        raise ValidationError("Say why the approved return is being reopened.")
    return _sign_off(quarterly_return, QuarterlyReturn.Status.DRAFT, ReturnEvent.Kind.REOPENED, by, reason)


def _sign_off(quarterly_return, status, kind, by, reason="") -> QuarterlyReturn:
    quarterly_return.status = status
    quarterly_return.save(update_fields=["status"], sign_off=True)
    ReturnEvent.objects.create(quarterly_return=quarterly_return, kind=kind, by=by, reason=reason)
    return quarterly_return
