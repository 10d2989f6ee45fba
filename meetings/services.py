"""Writes that span objects. Each runs in one transaction and validates everything first."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import (
    NOTICE_CLEAR_DAYS,
    Action,
    ActionProgress,
    AgendaItem,
    Meeting,
    Minutes,
    MinutesCorrection,
    MinutesPart,
    Report,
    clear_days_between,
)
from .publication import publish_revision, thaw_annex_content


def late_publication_warning(meeting: Meeting) -> str:
    """What the clerk is told when a meeting is published with less than five clear days' notice."""
    if meeting.published_after_meeting:
        return f"{meeting} took place before today: the pack says its papers were published afterwards."
    if not meeting.published_late:
        return ""
    days = meeting.notice_clear_days
    return (
        f"{meeting} was published with {days} clear working day{'s' if days != 1 else ''} before the "
        f"meeting; the Local Government Act 1972 expects the agenda {NOTICE_CLEAR_DAYS} clear days "
        "before. The late publication is recorded and shown on the pack."
    )


def meeting_publication_problems(meeting: Meeting) -> list[str]:
    """Everything that stops a meeting being published, each said plainly."""
    problems = []
    if meeting.venue_id is None:
        problems.append("The meeting has no venue.")
    items = AgendaItem.objects.filter(meeting=meeting).select_related("report").order_by("number")
    if not items:
        problems.append("The meeting has no agenda items.")
    for item in items:
        report = _report_or_none(item)
        if report is not None and not report.has_purpose:
            problems.append(f"The report for item {item.number} ({item.title}) has no purpose.")
    return problems


def _report_or_none(item: AgendaItem) -> Report | None:
    try:
        return item.report
    except Report.DoesNotExist:
        return None


@transaction.atomic
def meeting_publish(*, meeting: Meeting, by=None) -> Meeting:
    """Publish a meeting's papers, recording when; refuses, naming every gap, if anything is missing.

    A meeting is published once: its record of publication (when, by whom, the clear days' notice
    given) never changes afterwards, so a late publication cannot be made to look on time. Changes
    after publication are published as revisions (`meeting_publish_changes`).

    In order: check → record the publication → freeze, render and store the pack as the public
    will receive it (publication.publish_revision: a new revision if it was published before)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_publishable(meeting)
    record_publication(meeting, by=by)
    publish_revision(meeting, by=by)
    return meeting


def check_publishable(meeting: Meeting) -> None:
    """Refuse, naming every gap, a meeting that is already published or is missing anything."""
    if meeting.is_published:
        raise ValidationError(
            f"{meeting} is already published. Publish later changes as a revision (“Publish the "
            "changes to the selected packs as a revision”); the record of its publication stays as it is."
        )
    problems = meeting_publication_problems(meeting)
    if problems:
        raise ValidationError(problems)


def record_publication(meeting: Meeting, *, by=None) -> None:
    """The meeting is published; the first time, when, by whom and with what notice is recorded."""
    meeting.status = Meeting.Status.PUBLISHED
    if meeting.published_at is None:  # first publication (a pack taken back to draft keeps its record)
        meeting.published_at = timezone.now()
        meeting.published_by = by
        # Late publication is allowed, but recorded (and the clerk is warned, and readers are told).
        meeting.notice_clear_days = clear_days_between(timezone.localdate(meeting.published_at), meeting.date)
    meeting.save(update_fields=["status", "published_at", "published_by", "notice_clear_days"])


@transaction.atomic
def meeting_unpublish(*, meeting: Meeting) -> Meeting:
    """Take a published meeting back to draft: the public no longer see it, its generated annexes
    show live figures again (frozen afresh when it is published again). Its record of publication
    and its revisions are kept."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_published:
        raise ValidationError(f"{meeting} is not published.")
    meeting.status = Meeting.Status.DRAFT
    meeting.save(update_fields=["status"])
    thaw_annex_content(meeting)
    return meeting


@transaction.atomic
def meeting_publish_changes(*, meeting: Meeting, by=None):
    """Publish the changes made to a published pack as a new revision, saying what changed.

    The meeting's row is locked until the revision is stored, so two clerks publishing at once
    take turns: the second finds nothing left to publish, and is told so."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_published:
        raise ValidationError("Only a published meeting's pack has revisions; publish it first.")
    revision = publish_revision(meeting, by=by)
    if revision is None:
        raise ValidationError("Nothing in the pack has changed since it was last published.")
    return revision


@transaction.atomic
def minutes_approve(*, minutes: Minutes, at_meeting: Meeting, by=None) -> Minutes:
    """Mark minutes agreed as a correct record by a later meeting of the same board; they lock."""
    if at_meeting.board_id != minutes.meeting.board_id or at_meeting.date <= minutes.meeting.date:
        raise ValidationError("Minutes are approved by a later meeting of the same board.")
    if minutes.is_approved:
        raise ValidationError("These minutes are already approved.")
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at_meeting = at_meeting
    minutes.approved_at = timezone.now()
    minutes.save(update_fields=["status", "approved_at_meeting", "approved_at"])
    return minutes


@transaction.atomic
def minutes_correct(*, part: MinutesPart, changes: dict, reason: str, by) -> MinutesCorrection:
    """Change approved minutes by a recorded correction: who, when, why, and from what to what."""
    if not reason.strip():
        raise ValidationError("Give the reason for correcting approved minutes.")
    described = []
    for field, new in changes.items():
        old = getattr(part, field)
        described.append(f"{part._meta.get_field(field).verbose_name}: “{old}” → “{new}”")
        setattr(part, field, new)
    part.full_clean()
    part.save(allow_correction=True)
    return MinutesCorrection.objects.create(
        minutes=part.minutes_for_lock(), made_by=by, reason=reason, change=f"{part}: " + "; ".join(described)
    )


@transaction.atomic
def action_add_progress(*, action: Action, date, text: str, by=None) -> ActionProgress:
    """Record a dated progress update on an action (checked before saving)."""
    progress = ActionProgress(action=action, date=date, text=text, entered_by=by)
    progress.full_clean()
    progress.save()
    return progress
