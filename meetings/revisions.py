"""What changed between revisions of a published pack (publication.py freezes and stores them).

What changed is found by fingerprinting each part of the pack (the meeting's details, each item and
its report, each annex) and comparing with the revision before."""

import hashlib
import json

from . import annex_content, selectors
from .models import AgendaItem, Meeting


def _digest(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()


def pack_fingerprint(meeting: Meeting) -> dict[str, str]:
    """A hash per part of the pack: 'meeting', 'item-3', 'item-3-a'…"""
    parts = {
        "meeting": _digest(
            meeting.date, meeting.start_time, meeting.venue_id, meeting.addressed_to, meeting.copied_to,
            meeting.refreshments, meeting.group_meetings_start, meeting.group_meetings_end,
        )
    }  # fmt: skip
    items = (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("report")
        .prefetch_related(
            "report__recommendations",
            "report__contacts",
            "report__annexes",
            *(f"report__annexes__{name}" for name in annex_content.related()),
        )
    )
    for item in items:
        report = getattr(item, "report", None)
        report_fields = []
        if report is not None:
            report_fields = [
                getattr(report, field.attname)
                for field in report._meta.concrete_fields
                if field.name not in ("id", "item", "version")
            ]
            report_fields += [(r.number, r.text) for r in report.recommendations.all()]
            report_fields += [(c.person_id, c.order) for c in report.contacts.all()]
            for annex in report.annexes.all():
                parts[f"{item.anchor}-{annex.letter.lower()}"] = _digest(
                    annex.letter, annex.title, annex.content, annex.pdf.name, annex.on_agenda,
                    annex_content.annex_fingerprint(annex),
                )  # fmt: skip
        if item.kind == AgendaItem.Kind.PREVIOUS_MINUTES:
            report_fields.append(previous_minutes_digest(meeting))
        parts[item.anchor] = _digest(
            item.number, item.title, item.note, item.kind, item.confidential, item.exemption,
            item.exemption_reason, report_fields,
        )  # fmt: skip
    return parts


def previous_minutes_digest(meeting: Meeting) -> str:
    """The note of the previous meeting as the pack reprints it, with its actions' progress."""
    previous = selectors.previous_meeting(meeting)
    minutes = getattr(previous, "minutes", None) if previous else None
    if minutes is None:
        return ""
    entries = minutes.entries.prefetch_related("discussionpoints", "decisions", "actions__progress")
    return _digest(
        minutes.status,
        [
            (
                e.agenda_item_id, e.heading, e.narrative,
                [p.text for p in e.discussionpoints.all()],
                [(d.text, d.outcome) for d in e.decisions.all()],
                [(a.text, a.status, [(str(p.date), p.text) for p in a.progress.all()])
                 for a in e.actions.all()],
            )
            for e in entries
        ],
        list(minutes.attendance.values_list("person_id", "category", "status")),
    )  # fmt: skip


def describe_changes(before: dict[str, str], after: dict[str, str], meeting: Meeting) -> list[str]:
    """'Item 4 (Productivity programme): changed', 'Item 4, annex A: added'… in pack order."""
    titles = dict(AgendaItem.objects.filter(meeting=meeting).values_list("number", "title"))

    def label(key: str) -> str:
        if key == "meeting":
            return "The meeting's details"
        number, _, letter = key.removeprefix("item-").partition("-")
        item = f"Item {number}" + (
            f" ({titles[int(number)]})" if int(number) in titles and not letter else ""
        )
        return f"{item}, annex {letter.upper()}" if letter else item

    def order(key: str):
        if key == "meeting":
            return (0, 0, "")
        number, _, letter = key.removeprefix("item-").partition("-")
        return (1, int(number), letter)

    changes = []
    for key in sorted(set(before) | set(after), key=order):
        if key not in before:
            changes.append(f"{label(key)}: added")
        elif key not in after:
            changes.append(f"{label(key)}: removed")
        elif before[key] != after[key]:
            changes.append(f"{label(key)}: changed")
    return changes
