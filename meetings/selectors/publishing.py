"""What a clerk checks before pressing Publish: the check list of the meeting's Publish page, and,
for a published meeting, what has changed since its last revision."""

from dataclasses import dataclass
from datetime import date

from .. import revisions
from ..models import AgendaItem, Annex, Meeting, Report, clear_days_between
from ..models.papers import NOTICE_CLEAR_DAYS


@dataclass(frozen=True)
class Check:
    """One line of the check list: `ok` True (done), False (publishing is refused until it is put
    right) or None (to know before publishing: it does not stop it)."""

    subject: str
    ok: bool | None
    detail: str


def publication_checks(meeting: Meeting, today: date) -> list[Check]:
    """Every check, in the order the clerk reads the pack: the venue, the agenda, each report's
    purpose, confidential items' category and reason, the notice the papers give if published
    today (England's bank holidays left out), and the generated annexes publishing will freeze."""
    checks = []
    if meeting.venue_id is None:
        checks.append(Check("Venue", False, "The meeting has no venue."))
    else:
        checks.append(Check("Venue", True, meeting.venue.one_line))
    items = list(AgendaItem.objects.filter(meeting=meeting).select_related("report").order_by("number"))
    if not items:
        checks.append(Check("Agenda", False, "The meeting has no agenda items."))
    else:
        checks.append(Check("Agenda", True, f"{len(items)} item{'s' if len(items) != 1 else ''}."))
    for item in items:
        if (report := _report_or_none(item)) is not None:
            purpose = "Its purpose is given." if report.has_purpose else None
            missing = f"The report for item {item.number} ({item.title}) has no purpose."
            checks.append(Check(f"Item {item.number}: report", bool(purpose), purpose or missing))
        if item.confidential:
            checks.append(confidential_check(item))
    checks.append(notice_check(meeting, today))
    generated = Annex.objects.filter(report__item__meeting=meeting, generated=True)
    for annex in generated.select_related("report__item").order_by("report__item__number", "letter"):
        frozen = "generated from the portal's data, frozen as it stands when the pack is published."
        checks.append(
            Check(f"Item {annex.report.item.number}: Annex {annex.letter}", None, f"{annex.title}: {frozen}")
        )
    return checks


def confidential_check(item: AgendaItem) -> Check:
    subject = f"Item {item.number}: not for publication"
    category = f"Category {item.exemption}: {item.get_exemption_display()}"
    if item.exemption_reason.strip():
        return Check(subject, True, f"{category}. Reason shown to the public: {item.exemption_reason}")
    return Check(
        subject, None, f"{category}. No reason is written for the public; only the category is shown."
    )


def notice_check(meeting: Meeting, today: date) -> Check:
    if meeting.date <= today:
        return Check(
            "Notice", None, "The meeting has taken place: the papers will say they were published after it."
        )
    clear = clear_days_between(today, meeting.date)
    days = f"{clear} clear working day{'s' if clear != 1 else ''}"
    if clear < NOTICE_CLEAR_DAYS:
        return Check(
            "Notice",
            None,
            f"Published today, the papers give {days} before the meeting (weekends and England's bank "
            f"holidays left out); the Local Government Act 1972 expects {NOTICE_CLEAR_DAYS}. They will "
            "be marked as published late.",
        )
    return Check("Notice", True, f"Published today, the papers give {days} before the meeting.")


def publication_problems(meeting: Meeting, today: date) -> list[str]:
    """What stops publishing, each said plainly."""
    return [check.detail for check in publication_checks(meeting, today) if check.ok is False]


def changes_to_publish(meeting: Meeting) -> list[str]:
    """What has changed since the pack's last revision, as the revision will list it; [] if nothing.
    The content other apps provide (generated annexes) is compared as frozen."""
    latest = meeting.revisions.order_by("-number").first()
    if latest is None:
        return []
    return revisions.describe_changes(latest.fingerprint, revisions.pack_fingerprint(meeting), meeting)


def _report_or_none(item: AgendaItem) -> Report | None:
    try:
        return item.report
    except Report.DoesNotExist:
        return None
