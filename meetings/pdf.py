"""PDF board papers, rendered by WeasyPrint from the same templates as the HTML pages.

A renderer is a function that returns bytes; the view only serves them.
"""

import io

from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject

from lgaboard.pdf import render_document, write_pdf

from .selectors import AgendaPack
from .validators import is_active_annotation


def range_anchors(pack: AgendaPack) -> list[str]:
    """The anchors the agenda gives pages for, in order: each item, then its listed annexes."""
    anchors = []
    for item in pack.items:
        anchors.append(item.anchor)
        report = getattr(item, "report", None)
        if report is not None:
            anchors.extend(annex.anchor for _, annex in report.agenda_annexes)
    return anchors


def anchor_pages(document) -> dict[str, int]:
    """Each anchor in the rendered document → the (1-based) page it first appears on."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for name in page.anchors:
            pages.setdefault(name, number)
    return pages


def page_ranges(document, anchors: list[str], end_anchor: str | None) -> dict[str, str]:
    """'item-3' → '7 - 14': from the page its title is on to the page before the next entry."""
    first_page = anchor_pages(document)
    starts = [(a, first_page[a]) for a in anchors if a in first_page]
    last = first_page.get(end_anchor, len(document.pages) + 1) - 1 if end_anchor else len(document.pages)
    ranges = {}
    for index, (anchor, start) in enumerate(starts):
        end = starts[index + 1][1] - 1 if index + 1 < len(starts) else last
        end = max(start, end)
        # No-break spaces keep "7 - 14" on one line of the agenda's Page column.
        ranges[anchor] = str(start) if end == start else f"{start}\u00a0-\u00a0{end}"
    return ranges


def render_pack_pdf(pack: AgendaPack) -> bytes:
    """The whole agenda pack as one PDF whose agenda gives each item's real page range.

    Ranges are read from the rendered document and the pack rendered again with them, until
    they no longer move (the column they fill can itself move pages).
    """
    anchors = range_anchors(pack)
    end_anchor = "next-meeting" if pack.next_meeting else ("location" if pack.meeting.venue else None)
    ranges: dict[str, str] = {}
    for _ in range(4):
        html = render_to_string(
            "meetings/meeting_detail.html",
            {
                "pack": pack,
                "meeting": pack.meeting,
                "page_ranges": ranges,
                "pdf": True,
                "pdf_header": [pack.meeting.board_name, f"{pack.meeting.date:%-d %B %Y}"],
            },
        )
        document = render_document(html)
        found = page_ranges(document, anchors, end_anchor)
        if found == ranges:
            break
        ranges = found
    return merge_pdf_annexes(write_pdf(document), document, pack)


def merge_pdf_annexes(data: bytes, document, pack: AgendaPack) -> bytes:
    """Lay each page of an uploaded PDF annex onto the page reserved for it, under our header and
    footer, so its pages are counted in the ranges and numbered like the rest."""
    reserved = anchor_pages(document)
    annexes = [
        annex
        for item in pack.items
        if getattr(item, "report", None) is not None
        for annex in item.report.annexes.all()
        if annex.pdf
    ]
    if not annexes:
        return data
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for annex in annexes:
        with annex.pdf.open("rb") as handle:
            uploaded = PdfReader(io.BytesIO(handle.read()))
        for number, page in enumerate(uploaded.pages, start=1):
            target = reserved.get(f"{annex.anchor}-page-{number}")
            if target is not None:
                writer.pages[target - 1].merge_page(without_active_annotations(page))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def without_active_annotations(page):
    """The page with its links but none of what would run, open or send: merging carries a page's
    annotations into the pack, and an annex stored before uploads were checked may hold such."""
    if "/Annots" in page:
        kept = [ref for ref in page["/Annots"] if not is_active_annotation(ref.get_object())]
        page[NameObject("/Annots")] = ArrayObject(kept)
    return page
