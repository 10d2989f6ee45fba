"""A report from a Word document: the clerk uploads the .docx, sees the report as the pack will show
it with what could not be converted, and saves it into the report; nothing is saved before, and
nothing from a bad file. The documents are built here with python-docx, laid out as an LGA paper."""

import base64
import io
import re
import zipfile
from html import unescape

import docx
import pytest
from django.test import Client
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Inches

from meetings import report_import
from meetings.models import Meeting, Report
from tests import factories

pytestmark = pytest.mark.django_db

PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
PARAGRAPHS = "90"  # the numbering of the paper's paragraphs: 1., 1.1., then bullets


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def html(response) -> str:
    return " ".join(response.content.decode().split())


def upload_url(item) -> str:
    return f"/admin/meetings/report/from-word/{item.pk}/"


def save_url(item) -> str:
    return f"/admin/meetings/report/from-word/{item.pk}/save/"


# Word documents -----------------------------------------------------------------------------------


def paper_numbering(document) -> None:
    """A multilevel list as the papers' Word template has: 1., 1.1., then bullets."""
    levels = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{shown}"/></w:lvl>'
        for level, (fmt, shown) in enumerate([("decimal", "%1."), ("decimal", "%1.%2."), ("bullet", "•")])
    )
    numbering = document.part.numbering_part.element
    numbering.insert(
        0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{PARAGRAPHS}">{levels}</w:abstractNum>')
    )
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{PARAGRAPHS}"><w:abstractNumId w:val="{PARAGRAPHS}"/></w:num>'
        )
    )


def numbered(document, words: str, level: int = 0):
    paragraph = document.add_paragraph(words)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{PARAGRAPHS}"/></w:numPr>'
        )
    )
    return paragraph


def link(paragraph, url: str, words: str) -> None:
    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    paragraph._p.append(
        parse_xml(
            f'<w:hyperlink {nsdecls("w", "r")} r:id="{rid}"><w:r><w:t xml:space="preserve">{words}</w:t>'
            "</w:r></w:hyperlink>"
        )
    )


def picture(document, description: str) -> None:
    document.add_picture(io.BytesIO(PIXEL), width=Inches(1))
    document.inline_shapes[-1]._inline.docPr.set("descr", description)


def saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def lga_paper(*, contact: str = "Marion Testwright", next_steps: bool = True) -> bytes:
    """A paper as the 1 November 2017 pack lays one out, with a picture and a link that must go."""
    document = docx.Document()
    paper_numbering(document)
    document.add_heading("Priorities and work programme", 0)
    document.add_heading("Purpose of report", 2)
    document.add_paragraph("For discussion and direction.")
    document.add_heading("Summary", 2)
    summary = document.add_paragraph("This report invites members to agree the ")
    summary.add_run("Board priorities").bold = True
    summary.add_run(" for 2017/18.")
    document.add_heading("Recommendations", 2)
    document.add_paragraph("Improvement and Innovation Board members are asked to:")
    document.add_paragraph("Agree the Board priorities for 2017/18;", style="List Number")
    document.add_paragraph("Note progress of delivery to date.", style="List Number")
    document.add_heading("Action", 2)
    document.add_paragraph("As directed by members.")
    for label, value in [("Contact officer:", contact), ("Position:", "Improvement Adviser")]:
        line = document.add_paragraph()
        line.add_run(label).bold = True
        line.add_run(f"\t{value}")
    document.add_heading("Priorities and work programme", 1)  # the title again, above the body
    document.add_heading("Background", 2)
    numbered(document, "All LGA Boards are asked to consider their priorities for the coming year.")
    numbered(document, "The Business Plan has these areas of focus:")
    numbered(document, "Britain's exit from the EU;", 1)
    numbered(document, "Devolution and funding for local government.", 1)
    document.add_heading("Board priorities", 2)
    lead = numbered(document, "The core building blocks are described by ")
    link(lead, "https://www.local.gov.uk/", "the LGA")
    link(lead, "javascript:alert(document.cookie)", " and a trap")
    document.add_paragraph("Peer challenge", style="List Bullet")
    document.add_paragraph("Leadership development", style="List Bullet")
    seats = document.add_table(rows=3, cols=2)
    for row, cells in enumerate([("Political group", "Seats"), ("Labour", "9"), ("Conservative", "10")]):
        for column, value in enumerate(cells):
            seats.cell(row, column).text = value
    picture(document, "Chart of peer challenges by region")
    document.add_paragraph("Type <script>alert('x')</script> to see what happens.")
    document.add_heading("Implications for Wales", 2)
    numbered(document, "There are no implications for Wales.")
    document.add_heading("Financial Implications", 2)
    numbered(document, "There are no additional financial implications.")
    if next_steps:
        document.add_heading("Next steps", 2)
        numbered(document, "Officers will progress the work in the light of members' guidance.")
    return saved(document)


def docx_upload(data: bytes, name: str = "priorities.docx"):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


# Fixtures -----------------------------------------------------------------------------------------


@pytest.fixture
def contact():
    return factories.PersonFactory(
        title="", first_name="Marion", last_name="Testwright", position="Improvement Adviser"
    )


@pytest.fixture
def item(contact):
    """An item of a published meeting (served live: it has no stored revision), with no report yet."""
    return factories.AgendaItemFactory(number=3, title="Priorities and work programme")


def preview(staff_client, item, data=None):
    return staff_client.post(upload_url(item), {"document": docx_upload(data or lga_paper())})


def token_of(response) -> str:
    return re.search(r'name="preview" value="([^"]+)"', response.content.decode()).group(1)


# The preview --------------------------------------------------------------------------------------


def test_the_preview_shows_the_report_as_the_pack_will_and_saves_nothing(staff_client, item):
    response = preview(staff_client, item)
    page, markup = text(response), html(response)
    assert "Nothing is saved yet." in page
    assert "For discussion and direction." in page
    assert "This report invites members to agree the <strong>Board priorities</strong> for 2017/18." in markup
    assert (
        "Improvement and Innovation Board members are asked to:</p> "
        '<ol class="govuk-list govuk-list--number"><li value="1">Agree the Board priorities for 2017/18;</li>'
        '<li value="2">Note progress of delivery to date.</li></ol>' in markup
    )
    assert "Contact officer Marion Testwright Position Improvement Adviser" in page
    # The numbered paragraphs as an ordered list, running on after a heading, with sub-paragraphs.
    assert "<ol> <li>All LGA Boards are asked to consider their priorities" in markup
    assert '<span class="app-paragraphs__number">2.1. </span>Britain\'s exit from the EU;' in markup
    assert '<ol start="3"> <li>The core building blocks are described by' in markup
    assert "<ul> <li>Peer challenge</li> <li>Leadership development</li> </ul>" in markup
    # The table as a table, its first row the header.
    assert "<th>Political group</th> <th>Seats</th> </tr> </thead> <tbody> <tr> <td>Labour</td>" in markup
    assert 'Implications for Wales</h3> <ol start="4"> <li>There are no implications for Wales.' in markup
    assert 'Next steps</h3> <ol start="6"> <li>Officers will progress the work' in markup
    # What could not be converted: the picture (and where it was), the script link.
    assert (
        "A picture (“Chart of peer challenges by region”) in “Board priorities” was left out: reports "
        "do not keep pictures." in page
    )
    assert "A link to “javascript:alert(document.cookie)” was removed (its words are kept)" in page
    assert 'href="javascript' not in markup
    assert "<script>" not in markup
    assert "Type &lt;script&gt;alert('x')&lt;/script&gt; to see what happens." in markup
    assert "The item has no report yet: saving makes it." in page
    assert not Report.objects.filter(item=item).exists()


def test_saving_fills_every_section_and_the_public_read_them(staff_client, item, contact):
    response = staff_client.post(
        save_url(item),
        {"preview": token_of(preview(staff_client, item)), "purposes": ["discussion", "direction"]},
    )
    report = Report.objects.get(item=item)
    # Back to the agenda, where the next item's report is one click away.
    assert response["Location"] == f"/admin/meetings/meeting/{item.meeting_id}/change/#items-group"
    assert (report.for_discussion, report.for_direction, report.for_decision) == (True, True, False)
    assert report.title == ""  # the item's own title
    assert report.recommendations_intro == "Improvement and Innovation Board members are asked to:"
    assert [r.text for r in report.recommendations.all()] == [
        "Agree the Board priorities for 2017/18;",
        "Note progress of delivery to date.",
    ]
    assert [c.person for c in report.contacts.all()] == [contact]
    assert report.body.startswith("## Background\n\n1. All LGA Boards")
    assert report.next_steps == "6. Officers will progress the work in the light of members' guidance."

    public = Client().get(item.get_absolute_url())
    page, markup = text(public), html(public)
    assert "Purpose For discussion and direction. Summary This report invites members" in page
    assert "Recommendations Improvement and Innovation Board members are asked to: Agree the Board" in page
    assert '<span class="app-paragraphs__number">2.2. </span>Devolution and funding' in markup
    assert 'aria-label="Table: Board priorities"' in markup
    assert "<th>Political group</th>" in markup
    assert '<a href="https://www.local.gov.uk/" rel="noopener noreferrer">the LGA</a> and a trap' in markup
    assert "javascript" not in markup
    assert "Type <script>alert('x')</script> to see what happens." in page
    assert "Financial implications There are no additional financial implications." in page
    assert '<ol start="5"> <li>There are no additional financial implications.' in markup
    assert "Chart of peer challenges" not in page


def test_an_existing_report_is_replaced_and_the_preview_says_what_it_loses(staff_client):
    report = factories.ReportFactory(next_steps="Write to the minister.", item__title="Priorities")
    factories.RecommendationFactory(report=report, number=1, text="Note the report.")
    document = lga_paper(next_steps=False, contact="Nobody Known")
    page = text(preview(staff_client, report.item, document))
    assert "Next steps is in the report now but not in the document: saving empties it." in page
    assert "The report's 1 recommendation will be replaced by the document's 2." in page
    assert "Contact officer “Nobody Known” is not among the portal's people" in page
    assert "The report's contact officers stay as they are." in page
    assert Report.objects.get(pk=report.pk).next_steps == "Write to the minister."

    response = staff_client.post(
        save_url(report.item),
        {"preview": token_of(preview(staff_client, report.item, document)), "purposes": ["discussion"]},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.next_steps == ""
    assert report.title == "Priorities and work programme"  # differs from the item's title
    assert report.recommendations.count() == 2
    assert report.version == 2


def test_a_purpose_is_needed_to_save(staff_client, item):
    document = docx.Document()
    document.add_heading("Background", 2)
    document.add_paragraph("Only a body.")
    page = text(preview(staff_client, item, saved(document)))
    assert "No section headings were recognised" not in page  # "Background" is one
    response = staff_client.post(
        save_url(item), {"preview": token_of(preview(staff_client, item, saved(document)))}
    )
    assert "There is a problem Give the report's purpose: tick at least one, or write it out." in text(
        response
    )
    assert not Report.objects.filter(item=item).exists()


# Bad files ----------------------------------------------------------------------------------------


def empty_document() -> bytes:
    return saved(docx.Document())


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        ("report.doc", b"\xd0\xcf\x11\xe0 an old Word file", "“report.doc” is not a Word document (.docx)."),
        ("report.docx", b"PK\x03\x04 not really a zip", "“report.docx” could not be read as a Word document"),
        (
            "notes.docx",
            b"just some text",
            "“notes.docx” could not be read as a Word document: it may be damaged",
        ),
        ("sheet.docx", "xl/workbook.xml", "“sheet.docx” could not be read as a Word document"),
        ("broken.docx", "word/document.xml", "“broken.docx” could not be read as a Word document"),
        ("empty.docx", None, "“empty.docx” has no text to fill the report with."),
    ],
)
def test_a_bad_file_is_refused_saying_why_and_nothing_is_saved(staff_client, item, name, data, said):
    if isinstance(data, str):  # a zip holding only this part, which is not XML
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as parts:
            parts.writestr(data, "<w:document this is not XML")
        data = archive.getvalue()
    response = staff_client.post(upload_url(item), {"document": docx_upload(data or empty_document(), name)})
    page = text(response)
    assert f"There is a problem {said}" in page
    assert 'aria-invalid="true"' in response.content.decode()
    assert "Save into the report" not in page
    assert not Report.objects.filter(item=item).exists()


def test_a_file_too_big_is_refused(staff_client, item):
    big = docx_upload(b"PK" + b"\0" * report_import.MAX_BYTES, "big.docx")
    page = text(staff_client.post(upload_url(item), {"document": big}))
    assert "“big.docx” is 10.0 MB; a document may be at most 10 MB." in page
    assert not Report.objects.filter(item=item).exists()


def test_no_file_is_asked_for(staff_client, item):
    assert "Choose the report's Word document (.docx)." in text(staff_client.post(upload_url(item), {}))


# The save -----------------------------------------------------------------------------------------


def test_a_preview_altered_or_from_another_item_is_refused(staff_client, item):
    token = token_of(preview(staff_client, item))
    other = factories.AgendaItemFactory(meeting=item.meeting, number=4)
    response = staff_client.post(save_url(other), {"preview": token, "purposes": ["discussion"]})
    assert "That preview is not yours, or not of this item: upload the document again." in text(response)
    altered = staff_client.post(save_url(item), {"preview": token[:-3] + "abc", "purposes": ["discussion"]})
    assert "The preview has expired or could not be read back" in text(altered)
    assert not Report.objects.filter(item__in=[item, other]).exists()


def test_a_report_saved_since_the_preview_is_not_overwritten(staff_client):
    report = factories.ReportFactory(summary="Before.")
    token = token_of(preview(staff_client, report.item))
    report.summary = "Someone else's change."
    report.save()
    response = staff_client.post(save_url(report.item), {"preview": token, "purposes": ["discussion"]})
    assert "Someone else saved this since you opened it" in text(response)
    assert Report.objects.get(pk=report.pk).summary == "Someone else's change."


def test_permission_is_asked_on_the_save(staff_client, item, django_user_model):
    token = token_of(preview(staff_client, item))
    form = {"preview": token, "purposes": ["discussion"]}
    officer = Client()
    officer.force_login(django_user_model.objects.create_user("staff-without-perms", is_staff=True))
    assert officer.post(save_url(item), form).status_code == 403
    assert officer.post(upload_url(item), {"document": docx_upload(lga_paper())}).status_code == 403
    member = Client()
    member.force_login(django_user_model.objects.create_user("not-staff"))
    assert member.post(save_url(item), form)["Location"].startswith("/admin/login/")
    assert Client().post(save_url(item), form)["Location"].startswith("/admin/login/")
    assert not Report.objects.filter(item=item).exists()


def test_the_clerk_who_may_change_reports_but_not_add_them_fills_only_existing_ones(item, django_user_model):
    from django.contrib.auth.models import Permission

    clerk = django_user_model.objects.create_user("changes-only", is_staff=True)
    clerk.user_permissions.set(Permission.objects.filter(codename__in=["change_report", "view_report"]))
    client = Client()
    client.force_login(clerk)
    assert client.get(upload_url(item)).status_code == 403
    report = factories.ReportFactory()
    assert "Fill from a Word document" in text(client.get(upload_url(report.item)))


def test_unknown_items_are_404(staff_client):
    for item_id in ("999999999", str(2**70)):
        assert staff_client.get(f"/admin/meetings/report/from-word/{item_id}/").status_code == 404
        assert staff_client.post(f"/admin/meetings/report/from-word/{item_id}/save/").status_code == 404


def test_the_report_and_the_item_pages_offer_it(staff_client, item):
    item_page = staff_client.get(f"/admin/meetings/agendaitem/{item.pk}/change/").content.decode()
    assert f'href="{upload_url(item)}">Fill from a Word document…</a>' in item_page
    report = factories.ReportFactory()
    report_page = staff_client.get(f"/admin/meetings/report/{report.pk}/change/").content.decode()
    assert f'href="{upload_url(report.item)}">Fill from a Word document…</a>' in report_page
    upload = text(staff_client.get(upload_url(report.item)))
    assert "Fill item" in upload
    assert "Saving replaces the report's text and recommendations with the document's." in upload


def test_a_published_meetings_report_is_filled_and_published_as_a_revision(staff_client, item):
    assert item.meeting.status == Meeting.Status.PUBLISHED
    page = text(preview(staff_client, item))
    assert "is published: once saved, the public see the change when you publish the changes" in page
