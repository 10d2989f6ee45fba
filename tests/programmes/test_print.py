"""The papers on paper: a live annex's figures are dated once, quietly, not under a banner above each
annex; the cover's status tag sits on its line; a table's header row never waits alone for its rows."""

import datetime
import io

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader
from weasyprint.formatting_structure.boxes import LineBox

from lgaboard.pdf import render_document
from lgaboard.templatetags.lgaboard import clock
from meetings.models import Meeting
from meetings.services import meeting_publish
from tests.factories import MeetingFactory
from tests.programmes.test_live_annexes import PACK, live_outputs_annex

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_published_papers_pdf_says_once_when_its_annex_figures_were_taken(staff_client, november_meeting):
    """The demo's papers were entered from print: when the figures were taken is not recorded."""
    pdf = text_of(staff_client.get(PACK + "items/4.pdf").content)
    taken = "were taken from the portal when the papers were published (the time was not recorded)."
    assert f"Figures in Annex A to item 4 {taken}" in pdf
    assert pdf.count("Figures in Annex") == 1
    assert "Frozen figures." not in pdf
    # On screen each annex still says so itself.
    assert "Frozen figures." in staff_client.get(PACK + "items/4/").content.decode()


def test_a_pack_published_here_says_when_its_figures_were_taken(staff_client, november_meeting):
    draft = MeetingFactory(board_year=november_meeting.board_year, status=Meeting.Status.DRAFT)
    live = live_outputs_annex(draft)
    meeting_publish(meeting=draft)
    live.refresh_from_db()
    frozen_at = timezone.localtime(live.frozen_at)
    pdf = text_of(
        staff_client.get(f"{draft.get_absolute_url()}items/{live.annex.report.item.number}.pdf").content
    )
    assert f"were taken from the portal at {clock(frozen_at)} on {frozen_at:%-d %B %Y}." in pdf


def test_a_draft_papers_pdf_says_its_figures_are_as_printed(staff_client, november_meeting):
    draft = MeetingFactory(board_year=november_meeting.board_year, status=Meeting.Status.DRAFT)
    live_outputs_annex(draft)
    before = timezone.localdate()
    pdf = text_of(staff_client.get(f"{draft.get_absolute_url()}items/4.pdf").content)
    days = {before, timezone.localdate()}  # printed the day it was asked for (midnight may pass)
    assert "Figures in Annex A to item 4 are as they stood when this paper was printed, at " in pdf
    assert any(f"on {day:%-d %B %Y}." in pdf for day in days)
    assert "Live figures." not in pdf


def status_tag_and_its_line(meeting: Meeting) -> tuple:
    """The cover's status tag as WeasyPrint lays it out on paper, and the line box it sits in."""
    html = render_to_string("meetings/_meeting_meta.html", {"meeting": meeting})
    page = (
        '<html lang="en"><head><link rel="stylesheet" href="/static/css/lgaboard.css"></head>'
        f'<body><article class="app-pack"><header class="app-cover">{html}</header></article></body></html>'
    )

    def find(box, line=None):
        line = box if isinstance(box, LineBox) else line
        element = getattr(box, "element", None)
        if box.element_tag == "strong" and "govuk-tag" in element.get("class", ""):
            return box, line
        return next(filter(None, (find(child, line) for child in getattr(box, "children", []))), None)

    return find(render_document(page).pages[0]._page_box)


def test_the_after_the_meeting_tag_sits_on_its_line_on_paper(november_meeting):
    november_meeting.published_at = timezone.make_aware(datetime.datetime(2017, 11, 2, 10, 2))
    tag, line = status_tag_and_its_line(november_meeting)
    assert [child.text for child in tag.children] == ["After the meeting"]  # one line, not wrapped
    assert tag.border_height() <= line.height  # a box no taller than the text's line


def test_a_tables_header_row_is_not_left_alone_at_the_foot_of_a_page(staff_client):
    # Item 6's table of priorities starts near the foot of a page: it starts on the next page, whole.
    pages = PdfReader(io.BytesIO(staff_client.get(PACK + "items/6.pdf").content)).pages
    texts = [" ".join(page.extract_text().split()) for page in pages]
    with_header = [text for text in texts if "Priorities Work streams" in text]
    assert with_header
    rows = ("Make social care more resilient", "Enable the development", "Transforming Care")
    assert all(any(row in text for row in rows) for text in with_header)
