"""Published packs are frozen. Publication stores the pack's page and PDF as the public receives
them (revision 1); a change after publication is published as a new revision, recording what changed.

What changed is found by fingerprinting each part of the pack (the meeting's details, each item and
its report, each annex) and comparing with the revision before."""

import hashlib
import json

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from .models import AgendaItem, FrozenItem, Meeting, PackRevision


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
        .prefetch_related("report__recommendations", "report__contacts", "report__annexes__live")
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
                live = getattr(annex, "live", None)
                parts[f"{item.anchor}-{annex.letter.lower()}"] = _digest(
                    annex.letter, annex.title, annex.content, annex.pdf.name, annex.on_agenda,
                    live.frozen_html if live is not None else None,
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
    from .selectors import previous_meeting

    previous = previous_meeting(meeting)
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


def _public_request(url: str):
    request = RequestFactory().get(url)
    request.user = AnonymousUser()
    return request


def render_public_pack(meeting: Meeting) -> tuple[str, bytes]:
    """The pack's page and PDF exactly as a member of the public receives them now."""
    from . import pdf, selectors, views

    kwargs = {"board_slug": meeting.board.slug, "date": meeting.date}
    page = views.MeetingDetailView.as_view(live=True)(_public_request(meeting.get_absolute_url()), **kwargs)
    page.render()
    document = pdf.render_pack_pdf(selectors.agenda_pack_for(meeting, AnonymousUser()))
    return page.content.decode(), document


def freeze_items(revision: PackRevision) -> None:
    """Each item's page, and the page its PDF is made from, as the public receives them now."""
    from . import views

    meeting = revision.meeting
    kwargs = {"board_slug": meeting.board.slug, "date": meeting.date}
    frozen = []
    for number in meeting.items.values_list("number", flat=True):
        view = views.AgendaItemDetailView(live=True)
        view.setup(_public_request(meeting.get_absolute_url()), **kwargs, number=number)
        view.board = meeting.board  # what dispatch() would have resolved from the address
        context = view.get_context_data(**view.kwargs)
        page = view.render_to_response(context)
        page.render()
        pdf_html = render_to_string(view.template_name, {**context, "pdf": True}, request=view.request)
        frozen.append(
            FrozenItem(revision=revision, number=number, html=page.content.decode(), pdf_html=pdf_html)
        )
    FrozenItem.objects.bulk_create(frozen)


def publish_revision(meeting: Meeting, by=None) -> PackRevision | None:
    """Freeze the pack as it stands: revision 1 at publication, then one per published change.
    Returns None when nothing has changed since the last revision."""
    latest = meeting.revisions.order_by("-number").first()
    fingerprint = pack_fingerprint(meeting)
    if latest is not None and latest.fingerprint == fingerprint:
        return None
    changes = describe_changes(latest.fingerprint, fingerprint, meeting) if latest else []
    number = latest.number + 1 if latest else 1
    revision = PackRevision(
        meeting=meeting,
        number=number,
        published_at=timezone.now(),
        published_by=by,
        changes=changes,
        fingerprint=fingerprint,
        html="",
        pdf=b"",
    )
    # The page lists this revision too, so it is saved before the page is rendered. The callers
    # lock the meeting's row; where the database cannot (SQLite), the unique number catches a race.
    try:
        with transaction.atomic():
            revision.save()
    except IntegrityError as error:
        raise ValidationError(
            f"Another revision of {meeting} was published at the same moment as yours. Nothing of "
            "yours was published: look at the latest revision, then publish again if anything is left."
        ) from error
    revision.html, revision.pdf = render_public_pack(meeting)
    revision.save(update_fields=["html", "pdf"])
    freeze_items(revision)
    return revision
