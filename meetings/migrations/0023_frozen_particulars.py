"""Each frozen item keeps its particulars as the public received them (publication.particulars),
and which agenda item and report it was, so that the open data API reads them rather than the live
rows (an edit reaches the API when it is published, as it reaches the public's page).

Revisions published before this recorded only each part's fingerprint. An item of a meeting's
latest revision gets particulars here only where its live rows still give the fingerprint that
revision stored for it (the item and its report; each of its annexes but those generated from the
data, which are left out): nothing about it has changed since, so the live rows are what the public
received. Any other item is left without particulars or agenda item, and the API leaves it out until
the clerk publishes the meeting's changes (which stores particulars). The fingerprint is worked out
here as meetings/revisions.py worked it out when this was written, from this migration's models, so
that later changes to the code do not change what this finds. Backward drops the fields.
"""

import hashlib
import json

import django.db.models.deletion
from django.db import migrations, models
from django.utils.text import slugify

# Report's fields as pack_fingerprint read them (its concrete fields but id, item and version).
REPORT_FIELDS = [
    "title", "for_information", "for_discussion", "for_decision", "for_direction", "purpose_text",
    "summary", "recommendations_intro", "action", "body", "implications_for_wales",
    "financial_implications", "next_steps",
]  # fmt: skip
PURPOSES = ["information", "discussion", "decision", "direction"]
PREVIOUS_MINUTES = "previous_minutes"


def _digest(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()


def _previous_minutes_digest(apps, meeting) -> str:
    Meeting = apps.get_model("meetings", "Meeting")
    previous = (
        Meeting.objects.filter(board_id=meeting.board_id, date__lt=meeting.date).order_by("-date").first()
    )
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


def _unchanged(apps, item, report, fingerprint: dict) -> bool:
    """The live item, its report and its annexes (but generated ones) give the stored fingerprint."""
    report_fields = []
    if report is not None:
        report_fields = [getattr(report, name) for name in REPORT_FIELDS]
        report_fields += [(r.number, r.text) for r in report.recommendations.all()]
        report_fields += [(c.person_id, c.order) for c in report.contacts.all()]
        for annex in report.annexes.filter(generated=False):
            part = _digest(annex.letter, annex.title, annex.content, annex.pdf.name, annex.on_agenda, None)
            if fingerprint.get(f"item-{item.number}-{annex.letter.lower()}") != part:
                return False
    if item.kind == PREVIOUS_MINUTES:
        report_fields.append(_previous_minutes_digest(apps, item.meeting))
    part = _digest(
        item.number, item.title, item.note, item.kind, item.confidential, item.exemption,
        item.exemption_reason, report_fields,
    )  # fmt: skip
    return fingerprint.get(f"item-{item.number}") == part


def _particulars(item, report) -> dict:
    """As publication.particulars gives them."""
    shown = None
    if report is not None:
        purposes = [name for name in PURPOSES if getattr(report, f"for_{name}")]
        label = ""
        if purposes:
            joined = purposes[0] if len(purposes) == 1 else f"{', '.join(purposes[:-1])} and {purposes[-1]}"
            label = f"For {joined}."
        annexes = report.annexes.filter(generated=False).order_by("letter")
        shown = {
            "id": report.pk,
            "title": report.title or item.title,
            "purposes": purposes,
            "purpose_label": label,
            "contacts": list(report.contacts.order_by("order").values_list("person_id", flat=True)),
            "annexes": [
                {
                    "id": a.pk,
                    "letter": a.letter,
                    "title": a.title,
                    "pdf": bool(a.pdf) and slugify(a.letter) == a.letter.lower(),
                }
                for a in annexes
            ],
        }
    return {
        "number": item.number,
        "title": item.title,
        "kind": item.kind,
        "note": item.note,
        "confidential": item.confidential,
        "exemption_reason": item.exemption_reason if item.confidential else "",
        "report": shown,
    }


def particulars_where_unchanged(apps, schema_editor):
    db = schema_editor.connection.alias
    PackRevision = apps.get_model("meetings", "PackRevision")
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    Report = apps.get_model("meetings", "Report")
    latest = {}
    for revision in PackRevision.objects.using(db).order_by("meeting_id", "number"):
        latest[revision.meeting_id] = revision
    for revision in latest.values():
        for frozen in revision.items.filter(agenda_item__isnull=True):
            item = AgendaItem.objects.using(db).filter(meeting_id=revision.meeting_id, number=frozen.number)
            item = item.select_related("meeting").first()
            if item is None:
                continue
            report = Report.objects.using(db).filter(item=item).first()
            if not _unchanged(apps, item, report, revision.fingerprint):
                continue
            frozen.agenda_item = item
            frozen.report = None if item.confidential else report
            frozen.particulars = _particulars(item, frozen.report)
            frozen.save(update_fields=["agenda_item", "report", "particulars"])


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0022_public_subscriptions"),
    ]

    operations = [
        migrations.AddField(
            model_name="frozenitem",
            name="agenda_item",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="frozen",
                to="meetings.agendaitem",
            ),
        ),
        migrations.AddField(
            model_name="frozenitem",
            name="particulars",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="The item's title, note, report's title, purposes, contacts and annexes as published.",
            ),
        ),
        migrations.AddField(
            model_name="frozenitem",
            name="report",
            field=models.ForeignKey(
                blank=True,
                help_text="The item's report, where the public could read it.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="meetings.report",
            ),
        ),
        migrations.RunPython(particulars_where_unchanged, migrations.RunPython.noop),
    ]
