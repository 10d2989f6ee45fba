"""Writes for the MoU, each in one transaction, validating everything before saving anything."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Value

from lgaboard.permissions import officer_scope
from lgaboard.versioning import StaleEdit
from meetings.permissions import person_id_of

from .forms import QuarterEntryForm
from .models import Deliverable, Mou, QuarterlyReturn, ReturnEvent, Theme
from .search import search_refresh_mou
from .selectors import DeliverableProgress

# -- the quarter entry screen ---------------------------------------------------------------------
LOCKED = "This return is approved and locked; an approver must reopen it to change it."
NOT_YOURS = "You do not lead this deliverable: its lead officer or an approver enters its return."


@dataclass
class EntryRow:
    """A deliverable's row on the quarter entry screen: a form if the user may change its return, else
    the return as text (`why_read_only` says why); its figures to date are the rules' (selectors)."""

    deliverable: Deliverable
    form: QuarterEntryForm
    progress: DeliverableProgress
    why_read_only: str = ""
    problem: str = ""  # why a read-only row refused what was posted for it

    @property
    def editable(self) -> bool:
        return not self.why_read_only

    @property
    def record(self) -> QuarterlyReturn:
        return self.form.instance

    @property
    def earlier_quarters(self) -> list[tuple[int, QuarterlyReturn | None]]:
        return [(q, record) for q, record in self.progress.quarters if q < self.progress.up_to_quarter]

    @property
    def reason_open(self) -> bool:
        """Show the correction reason open: it holds one, or the figure typed went down."""
        form = self.form
        if "correction_reason" not in form.fields:
            return False
        return bool(form["correction_reason"].value()) or form.figure_went_down

    @property
    def error_links(self) -> list[tuple[str, str]]:
        """(the id to link to, the message) for the error summary, in the order of the page: the row's
        own problems (linking to the row), then each field's first (linking to its label, message
        and input), as GOV.UK shows one message a field."""
        row, card = f"Deliverable {self.deliverable.reference}", f"d{self.deliverable.pk}"
        links = [(card, f"{row}: {self.problem}")] if self.problem else []
        if not (self.editable and self.form.is_bound):
            return links
        links += [(card, f"{row}: {error}") for error in self.form.non_field_errors()]
        for field in self.form:
            if field.errors and not field.is_hidden:
                about = f"{row}, {field.label[:1].lower()}{field.label[1:]}"  # "Deliverable 3, figure for Q3"
                links.append((f"{field.auto_id}-field", f"{about}: {field.errors[0]}"))
        return links


def quarter_entry_default_show(user) -> str:
    """Officers see the deliverables they lead ("mine"); approvers and others see the whole theme."""
    return "all" if officer_scope(user, "lead_officer", approvers_see_all=True) is None else "mine"


def quarter_entry_themes(*, mou: Mou, user) -> list[Theme]:
    """The MoU's themes in order, each with `size` (its deliverables) and `led` (those the user leads)."""
    person = person_id_of(user)
    led = Count("deliverables", filter=Q(deliverables__lead_officer_id=person)) if person else Value(0)
    return list(mou.themes.annotate(size=Count("deliverables"), led=led).order_by("order"))


def quarter_entry_theme(themes: list[Theme], *, key: str | None, show: str) -> Theme | None:
    """The theme asked for; else, showing her own, the first theme she leads deliverables in; else
    the first theme."""
    chosen = next((theme for theme in themes if theme.key == key), None)
    if chosen is None and show == "mine":
        chosen = next((theme for theme in themes if theme.led), None)
    return chosen or (themes[0] if themes else None)


def quarter_entry_forms(*, theme: Theme, quarter: int, user, data=None, only_led=False) -> list[EntryRow]:
    """A row per deliverable of the theme for the quarter (with `only_led`, those the user leads), each
    with its return if there is one, in a fixed number of queries however many rows. A row the user
    may not change (a deliverable an officer does not lead, an approved return) is read-only."""
    deliverables = theme.deliverables.select_related("lead_officer").prefetch_related("returns")
    if only_led:
        person = person_id_of(user)
        deliverables = deliverables.filter(lead_officer_id=person) if person else deliverables.none()
    return [_entry_row(deliverable, quarter, data, user) for deliverable in deliverables.order_by("order")]


def _entry_row(deliverable: Deliverable, quarter: int, data, user) -> EntryRow:
    returns = {record.quarter: record for record in deliverable.returns.all()}
    record = returns.get(quarter) or QuarterlyReturn(deliverable=deliverable, quarter=quarter)
    if not user.has_perm("mou.change_quarterlyreturn", record):
        why = NOT_YOURS
    elif record.is_locked:
        why = LOCKED
    else:
        why = ""
    prefix = f"d{deliverable.pk}"
    # A read-only row is shown as text, so nothing is posted for it; if something is (it was editable
    # when the screen was opened, or the post is forged), it is bound so that a change is refused.
    posted = data is not None and (not why or any(key.startswith(f"{prefix}-") for key in data))
    earlier = [r for q, r in sorted(returns.items()) if q < quarter and r.figure is not None]
    form = QuarterEntryForm(
        data if posted else None, instance=record, prefix=prefix, earlier=earlier[-1] if earlier else None
    )
    return EntryRow(deliverable, form, DeliverableProgress(deliverable, returns, quarter), why)


@transaction.atomic
def quarter_entry_save(*, rows: list[EntryRow], by) -> int:
    """Save a theme's quarter only if every row is valid: all or nothing. Returns the returns saved.
    If anything is wrong nothing is saved and a ValidationError names each problem ("Deliverable 3,
    figure for Q3: …"); each problem is also on its row (`form.errors`, `problem`) for the page."""
    forms = [row.form for row in rows if row.editable]
    # Validate every row (not all() over a generator, which stops at the first bad row and would
    # leave the rows after it without their messages).
    results = [form.is_valid() for form in forms]
    refused = [row for row in rows if not row.editable and row.form.is_bound and row.form.has_changed()]
    for row in refused:
        row.problem = f"{row.why_read_only} What was typed for it has not been saved."
    if refused or not all(results):
        raise _entry_refused(rows)
    saved = 0
    for form in forms:
        if form.instance.pk is None and not form.has_anything():
            continue  # an untouched blank row is not a return
        if form.instance.pk is not None and not form.has_changed():
            continue  # an unchanged return is left as it is
        record = form.save(commit=False)
        record.entered_by = by
        try:
            record.save()
        except StaleEdit as stale:  # saved by someone else between the check and now: undo them all
            form.add_error(None, stale)
            raise _entry_refused(rows) from stale
        saved += 1
    return saved


def _entry_refused(rows: list[EntryRow]) -> ValidationError:
    return ValidationError([message for row in rows for _, message in row.error_links])


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
    approved = _sign_off(quarterly_return, QuarterlyReturn.Status.APPROVED, ReturnEvent.Kind.APPROVED, by)
    search_refresh_mou(approved.deliverable.theme.mou)
    return approved


@transaction.atomic
def return_reopen(*, quarterly_return: QuarterlyReturn, by, reason: str) -> QuarterlyReturn:
    """Reopen an approved return for correction, recording who and why."""
    if quarterly_return.status != QuarterlyReturn.Status.APPROVED:
        raise ValidationError("Only an approved return can be reopened.")
    if not reason.strip():
        raise ValidationError("Say why the approved return is being reopened.")
    reopened = _sign_off(
        quarterly_return, QuarterlyReturn.Status.DRAFT, ReturnEvent.Kind.REOPENED, by, reason
    )
    search_refresh_mou(reopened.deliverable.theme.mou)
    return reopened


def _sign_off(quarterly_return, status, kind, by, reason="") -> QuarterlyReturn:
    quarterly_return.status = status
    quarterly_return.save(update_fields=["status"], sign_off=True)
    ReturnEvent.objects.create(quarterly_return=quarterly_return, kind=kind, by=by, reason=reason)
    return quarterly_return
