"""Publishing a pack: each page and PDF the public will receive, frozen as a revision.

`publish_revision` reads top to bottom: freeze the content other apps provide for the annexes →
compare with the last revision (nothing changed: nothing to publish) → render the pack's page and
PDF and each item's page and PDF as the public will receive them, with each item's particulars as
data (`particulars`: what the open data API gives) → store them as the new revision (the files in
the papers storage, named by their content: lgaboard/storage.py; the rows name them).
The services (services.meeting_publish, meeting_publish_changes) check the meeting and record its
publication first; a GET only ever serves what is stored here.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lgaboard.storage import read_bytes, save_content_addressed

from . import annex_content, rendering, revisions, selectors
from .models import AgendaItem, FrozenAnnex, FrozenItem, Meeting, PackRevision, Report
from .pdf import uploaded_annexes


@dataclass
class PublicAnnex:
    """An annex uploaded as a PDF to an item the public may read, read but not yet stored."""

    letter: str
    anchor: str
    pdf: bytes


@dataclass
class PublicItem:
    """One item's page, the page its PDF is made from and its uploaded annexes, rendered but not
    yet stored."""

    number: int
    html: str
    pdf_html: str
    annexes: list[PublicAnnex] = field(default_factory=list)
    agenda_item_id: int | None = None
    report_id: int | None = None  # where the public may read the report
    particulars: dict = field(default_factory=dict)


@dataclass
class PublicPapers:
    """Everything the public will receive of one revision, rendered but not yet stored."""

    pack_html: str
    pack_pdf: bytes
    items: list[PublicItem] = field(default_factory=list)


def publish_revision(meeting: Meeting, *, by=None, at=None, note: str = "") -> PackRevision | None:
    """Freeze the pack as it stands: revision 1 at publication, then one per published change.
    Returns None when nothing has changed since the last revision. The caller holds the meeting's
    row locked and has checked that it may be published. `at` is when, or None where the record does
    not say (papers entered from print)."""
    freeze_annex_content(meeting, at=at)
    revision = next_revision(meeting, by=by, at=at, note=note)
    if revision is None:
        return None
    papers = render_for_the_public(meeting, revision)
    store_revision(revision, papers)
    return revision


def freeze_annex_content(meeting: Meeting, *, at=None) -> None:
    """Step 1: content other apps provide for the annexes (live annexes' tables) is frozen as the
    public will receive it, so that the fingerprint and the pages below both see the frozen copy."""
    annex_content.freeze(meeting, at=at)


def thaw_annex_content(meeting: Meeting) -> None:
    """A pack taken back to draft (services.meeting_unpublish): its annexes show live content again,
    frozen afresh when it is published again. Its revisions are kept."""
    annex_content.thaw(meeting)


def next_revision(meeting: Meeting, *, by=None, at=None, note: str = "") -> PackRevision | None:
    """Step 2: the revision to publish (not yet saved), saying what changed; None if nothing has."""
    latest = meeting.revisions.order_by("-number").first()
    fingerprint = revisions.pack_fingerprint(meeting)
    if latest is not None and latest.fingerprint == fingerprint:
        return None
    return PackRevision(
        meeting=meeting,
        number=latest.number + 1 if latest else 1,
        published_at=at,
        note=note,
        published_by=by,
        changes=revisions.describe_changes(latest.fingerprint, fingerprint, meeting) if latest else [],
        fingerprint=fingerprint,
    )


def render_for_the_public(meeting: Meeting, revision: PackRevision) -> PublicPapers:
    """Step 3: the pack's page and PDF and each item's page and the page its PDF is made from, as a
    member of the public will receive them; the pack lists the revision they are published as."""
    public = selectors.ANONYMOUS
    meeting = selectors.meeting_for(public, meeting.board, meeting.date)  # as the public's page loads it
    meeting.revision_notes = [*meeting.revision_notes, revision]
    papers = PublicPapers(
        pack_html=rendering.render_pack_html(meeting, reader=public),
        pack_pdf=rendering.render_pack_pdf(meeting, reader=public),
    )
    for number in meeting.items.order_by("number").values_list("number", flat=True):
        item = selectors.agenda_item_for(meeting, number, public)  # read once for both pages
        shown = particulars(item)
        papers.items.append(
            PublicItem(
                number=number,
                html=rendering.item_page(meeting, item),
                # The item's PDF is made from this stored page when asked for (and never stored on
                # a GET): laying out every item again here would double the time Publish takes.
                pdf_html=rendering.item_page(meeting, item, for_pdf=True),
                # The files as they are now: an annex replaced or added later reaches the public
                # only when that change is published.
                annexes=[
                    PublicAnnex(letter=annex.letter, anchor=annex.anchor, pdf=read_bytes(annex.pdf))
                    for annex in uploaded_annexes([item])
                ],
                agenda_item_id=item.pk,
                report_id=shown["report"]["id"] if shown["report"] else None,
                particulars=shown,
            )
        )
    return papers


def particulars(item: AgendaItem) -> dict:
    """What the public's page of an item shows, as data (the open data API reads it from the frozen
    item, so that an edit reaches the API when it reaches the page): `item` as the public reader
    loads it (selectors.agenda_item_for), its report and annexes prefetched. A confidential item is
    its number, title and the reason shown; its report is never read, whatever was loaded."""
    report = None if item.confidential else getattr(item, "report", None)
    return {
        "number": item.number,
        "title": item.title,
        "kind": item.kind,
        "note": item.note,
        "confidential": item.confidential,
        "exemption_reason": item.exemption_reason if item.confidential else "",
        "report": None if report is None else _report_particulars(report),
    }


def _report_particulars(report: Report) -> dict:
    return {
        "id": report.pk,
        "title": report.display_title,
        "purposes": report.purposes,
        "purpose_label": report.purpose_label,
        "contacts": [contact.person_id for contact in report.contacts.all()],
        # `pdf`: an uploaded PDF with an address of its own (Annex.get_pdf_url).
        "annexes": [
            {"id": a.pk, "letter": a.letter, "title": a.title, "pdf": bool(a.get_pdf_url())}
            for a in report.annexes.all()
        ],
    }


def store_revision(revision: PackRevision, papers: PublicPapers) -> None:
    """Step 4: the files stored, then the revision and its items saved together, naming them. The
    callers lock the meeting's row; where the database cannot (SQLite), the unique revision number
    catches two clerks at once. Files are named by their content, so bytes already stored are not
    written again, and the files of a revision refused here are only files no row names."""
    revision.html_file = save_content_addressed(papers.pack_html.encode(), extension="html")
    revision.pdf_file = save_content_addressed(papers.pack_pdf, extension="pdf")
    items = [
        FrozenItem(
            number=item.number,
            html_file=save_content_addressed(item.html.encode(), extension="html"),
            pdf_html_file=save_content_addressed(item.pdf_html.encode(), extension="html"),
            agenda_item_id=item.agenda_item_id,
            report_id=item.report_id,
            particulars=item.particulars,
        )
        for item in papers.items
    ]
    annexes = [
        FrozenAnnex(
            item=frozen,  # its primary key is known once bulk_create has saved it
            letter=annex.letter,
            anchor=annex.anchor,
            pdf=save_content_addressed(annex.pdf, extension="pdf"),
        )
        for frozen, item in zip(items, papers.items, strict=True)
        for annex in item.annexes
    ]
    try:
        with transaction.atomic():
            revision.save()
    except IntegrityError as error:
        raise ValidationError(
            f"Another revision of {revision.meeting} was published at the same moment as yours. Nothing "
            "of yours was published: look at the latest revision, then publish again if anything is left."
        ) from error
    for item in items:
        item.revision = revision
    FrozenItem.objects.bulk_create(items)
    FrozenAnnex.objects.bulk_create(annexes)
