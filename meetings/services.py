"""Writes that span objects. Each runs in one transaction and validates everything first."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import AgendaItem, Meeting, Report


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
    """Publish a meeting's papers, recording when; refuses, naming every gap, if anything is missing."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    problems = meeting_publication_problems(meeting)
    if problems:
        raise ValidationError(problems)
    meeting.status = Meeting.Status.PUBLISHED
    meeting.published_at = timezone.now()
    meeting.published_by = by
    meeting.save(update_fields=["status", "published_at", "published_by"])
    return meeting
