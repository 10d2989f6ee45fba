"""Uploaded PDF annexes: what a clerk may upload, and what the portal refuses to store and publish.

The hostile files are built here with pypdf, as an attacker would build them: scripts run on
opening, links that launch programs, attachments, forms that send data, and pages that unpack to
far more than they weigh.
"""

import io
import re
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from weasyprint import HTML

from meetings.models import Annex
from meetings.pdf import render_pack_pdf
from meetings.selectors import agenda_pack_for
from meetings.validators import validate_pdf_upload
from tests import factories
from tests.meetings.test_admin import inline_management
from tests.meetings.test_models import pdf_bytes

pytestmark = pytest.mark.django_db


def name(value: str) -> NameObject:
    return NameObject(value)


def blank(pages: int = 1) -> PdfWriter:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    return writer


def upload(writer_or_bytes) -> SimpleUploadedFile:
    data = writer_or_bytes
    if isinstance(writer_or_bytes, PdfWriter):
        buffer = io.BytesIO()
        writer_or_bytes.write(buffer)
        data = buffer.getvalue()
    return SimpleUploadedFile("annex.pdf", data, content_type="application/pdf")


def action(kind: str, **entries) -> DictionaryObject:
    action = DictionaryObject({name("/Type"): name("/Action"), name("/S"): name(kind)})
    for key, value in entries.items():
        action[name(f"/{key}")] = value
    return action


def script(code: str = "app.alert('hello')") -> DictionaryObject:
    return action("/JavaScript", JS=TextStringObject(code))


def annotate(writer: PdfWriter, subtype: str, **entries) -> PdfWriter:
    annotation = DictionaryObject(
        {
            name("/Type"): name("/Annot"),
            name("/Subtype"): name(subtype),
            name("/Rect"): ArrayObject([FloatObject(50), FloatObject(50), FloatObject(200), FloatObject(80)]),
        }
    )
    for key, value in entries.items():
        annotation[name(f"/{key}")] = value
    writer.add_annotation(page_number=0, annotation=annotation)
    return writer


def add_named_script(writer: PdfWriter) -> PdfWriter:
    """A script in the document's /JavaScript name tree, run when it opens (what pypdf's deprecated
    add_js wrote)."""
    tree = DictionaryObject({name("/Names"): ArrayObject([TextStringObject("init"), script()])})
    if "/Names" not in writer._root_object:
        writer._root_object[name("/Names")] = DictionaryObject()
    writer._root_object["/Names"][name("/JavaScript")] = writer._add_object(tree)
    return writer


def with_js() -> PdfWriter:
    return add_named_script(blank())


def with_open_action() -> PdfWriter:
    writer = blank()
    writer._root_object[name("/OpenAction")] = writer._add_object(script())
    return writer


def with_page_actions() -> PdfWriter:
    writer = blank()
    writer.pages[0][name("/AA")] = DictionaryObject({name("/O"): script()})
    return writer


def with_attachment() -> PdfWriter:
    writer = blank()
    writer.add_attachment("payload.exe", b"MZ not really a program")
    return writer


def with_launch_link() -> PdfWriter:
    return annotate(blank(), "/Link", A=action("/Launch", F=TextStringObject("calc.exe")))


def with_submit_form() -> PdfWriter:
    return annotate(blank(), "/Link", A=action("/SubmitForm", F=TextStringObject("https://evil.invalid/")))


def with_import_data() -> PdfWriter:
    return annotate(blank(), "/Link", A=action("/ImportData", F=TextStringObject("data.fdf")))


def with_file_attachment_annotation() -> PdfWriter:
    return annotate(blank(), "/FileAttachment", Contents=TextStringObject("Open me"))


def with_rich_media() -> PdfWriter:
    return annotate(blank(), "/RichMedia", RichMediaContent=DictionaryObject())


def with_xfa() -> PdfWriter:
    writer = blank()
    writer._root_object[name("/AcroForm")] = DictionaryObject(
        {name("/Fields"): ArrayObject(), name("/XFA"): TextStringObject("<xdp:xdp/>")}
    )
    return writer


def with_script_behind_a_link() -> PdfWriter:
    """A harmless-looking web link whose chained /Next action is a script."""
    link = action("/URI", URI=TextStringObject("https://www.local.gov.uk/"), Next=script())
    return annotate(blank(), "/Link", A=link)


def with_script_link() -> PdfWriter:
    return annotate(blank(), "/Link", A=action("/URI", URI=TextStringObject(" JavaScript:app.alert(1)")))


def with_split_script_link() -> PdfWriter:
    """A tab inside the scheme: readers drop it and run the script."""
    return annotate(blank(), "/Link", A=action("/URI", URI=TextStringObject("\x01java\tscript:alert(1)")))


def with_file_link() -> PdfWriter:
    return annotate(blank(), "/Link", A=action("/URI", URI=TextStringObject("file:///C:/Windows/calc.exe")))


def with_3d_artwork() -> PdfWriter:
    return annotate(blank(), "/3D", **{"3DD": DictionaryObject()})


def hidden_in_an_object_stream() -> bytes:
    """A script run on opening, kept compressed in an object stream and with its type spelt in hex
    (#61 is "a"): nothing in the file's bytes says JavaScript."""
    hidden = b"<< /S /J#61vaScript /JS (app.alert\\(1\\)) >>"
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    }
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in objects.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    header = b"4 0 "
    packed = zlib.compress(header + hidden)
    offsets[5] = len(out)
    out += b"5 0 obj\n<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (
        len(header),
        len(packed),
    )
    out += packed + b"\nendstream\nendobj\n"
    rows = [b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff"]
    rows += [b"\x01" + offsets[n].to_bytes(4, "big") + b"\x00\x00" for n in (1, 2, 3)]
    rows.append(b"\x02" + (5).to_bytes(4, "big") + b"\x00\x00")  # object 4: first in stream 5
    rows.append(b"\x01" + offsets[5].to_bytes(4, "big") + b"\x00\x00")
    offsets[6] = len(out)
    rows.append(b"\x01" + offsets[6].to_bytes(4, "big") + b"\x00\x00")
    table = b"".join(rows)
    out += b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(table)
    out += table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[6]
    assert b"JavaScript" not in out
    return bytes(out)


def test_the_hand_built_object_stream_file_is_a_pdf_a_reader_opens():
    reader = PdfReader(io.BytesIO(hidden_in_an_object_stream()))
    assert len(reader.pages) == 1
    assert reader.trailer["/Root"]["/OpenAction"]["/S"] == "/JavaScript"


ACTIVE = [
    pytest.param(with_js, "JavaScript", "/JavaScript", id="document-level-javascript"),
    pytest.param(with_open_action, "JavaScript", "/OpenAction", id="script-run-on-opening"),
    pytest.param(with_page_actions, "actions run automatically", "/AA", id="script-run-on-viewing-a-page"),
    pytest.param(with_attachment, "embedded files", "/EmbeddedFiles", id="attached-file"),
    pytest.param(with_launch_link, "actions that open other files or programs", "/Launch", id="launch-link"),
    pytest.param(with_submit_form, "form actions that send or import data", "/SubmitForm", id="submit-form"),
    pytest.param(with_import_data, "form actions that send or import data", "/ImportData", id="import-data"),
    pytest.param(with_file_attachment_annotation, "embedded files", "/FileAttachment", id="attachment-note"),
    pytest.param(with_rich_media, "embedded media", "/RichMedia", id="rich-media"),
    pytest.param(with_xfa, "an XFA form", "/XFA", id="xfa-form"),
    pytest.param(with_script_behind_a_link, "JavaScript", "/JS", id="script-chained-behind-a-web-link"),
    pytest.param(with_script_link, "JavaScript", "/URI", id="javascript-web-address"),
    pytest.param(with_split_script_link, "JavaScript", "/URI", id="javascript-address-split-by-a-tab"),
    pytest.param(with_file_link, "actions that open other files or programs", "/URI", id="file-address"),
    pytest.param(with_3d_artwork, "embedded media", "/3D", id="3d-artwork"),
    pytest.param(hidden_in_an_object_stream, "JavaScript", "/OpenAction", id="hidden-in-an-object-stream"),
]


def refusal(build) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_pdf_upload(upload(build()))
    return caught.value.messages[0]


class TestActiveContentIsRefused:
    @pytest.mark.parametrize(("build", "kind", "found"), ACTIVE)
    def test_the_message_names_what_was_found(self, build, kind, found):
        message = refusal(build)
        assert message.startswith("This PDF contains ")
        assert kind in message.removeprefix("This PDF contains ").split(" (")[0]
        assert re.search(rf"\(.*{re.escape(found)}\b.*\)", message), message
        assert message.endswith("save it again without scripts, attachments or media, e.g. print it to PDF.")

    def test_a_script_on_opening_is_named_as_javascript_on_opening(self):
        assert refusal(with_open_action) == (
            "This PDF contains JavaScript (/JS, /JavaScript, /OpenAction); "
            "save it again without scripts, attachments or media, e.g. print it to PDF."
        )

    def test_each_kind_found_is_named_once(self):
        def everything():
            writer = add_named_script(with_attachment())
            return annotate(writer, "/Link", A=action("/Launch", F=TextStringObject("calc.exe")))

        message = refusal(everything)
        assert message.startswith(
            "This PDF contains JavaScript, actions that open other files or programs and embedded files ("
        )
        for found in ("/EmbeddedFiles", "/JS", "/JavaScript", "/Launch"):
            assert found in message

    def test_full_clean_refuses_it_on_the_pdf_field(self):
        report = factories.ReportFactory()
        annex = Annex(report=report, letter="A", title="Slides", pdf=upload(with_open_action()))
        with pytest.raises(ValidationError) as caught:
            annex.full_clean()
        assert "This PDF contains JavaScript" in caught.value.message_dict["pdf"][0]


def ordinary_weasyprint_paper() -> bytes:
    """A tagged PDF with a web link, an outline and a table of contents, as a word processor makes."""
    return HTML(
        string="<h1>Sector-led improvement</h1><p><a href='https://www.local.gov.uk/'>LGA</a></p>"
        "<p style='break-before: page'>Second page</p>"
    ).write_pdf(pdf_variant="pdf/ua-1")


def with_web_link() -> PdfWriter:
    return annotate(blank(), "/Link", A=action("/URI", URI=TextStringObject("https://www.local.gov.uk/")))


def opening_at_the_first_page() -> PdfWriter:
    """/OpenAction as a destination (open at page 1, fit the page) is not a script."""
    writer = blank(2)
    page = writer.pages[0].indirect_reference
    writer._root_object[name("/OpenAction")] = ArrayObject([page, name("/Fit")])
    return writer


class TestOrdinaryPdfsAreAccepted:
    @pytest.mark.parametrize(
        "build",
        [lambda: pdf_bytes(3), ordinary_weasyprint_paper, with_web_link, opening_at_the_first_page],
        ids=["blank-pages", "tagged-paper-with-a-link", "web-link", "opens-at-page-one"],
    )
    def test_accepted(self, build):
        validate_pdf_upload(upload(build()))


def report_form(report, pdf=None, **annex) -> dict:
    """The report's change form as the admin sends it, with one new annex (uploaded as a PDF, or
    with the fields given, e.g. letter="1.2", content="Text")."""
    fields = {"letter": "A", "title": "Slides", "on_agenda": "on", "content": "", "pdf": pdf, **annex}
    return {
        "item": report.item.pk,
        "edit_version": report.version,
        "title": "",
        "for_discussion": "on",
        "summary": report.summary,
        "body": report.body,
        **inline_management("recommendations", 0),
        **inline_management("contacts", 0),
        **inline_management("Deliverable_reports", 0),
        **inline_management("annexes", 1),
        **{f"annexes-0-{name}": value for name, value in fields.items() if value is not None},
    }


class TestTheClerkUploadingInTheAdmin:
    def test_an_ordinary_pdf_is_saved(self, staff_client):
        report = factories.ReportFactory()
        response = staff_client.post(
            f"/admin/meetings/report/{report.pk}/change/", report_form(report, upload(pdf_bytes(2)))
        )
        assert response.status_code == 302
        annex = Annex.objects.get(report=report)
        assert len(annex.pdf_page_numbers) == 2

    def test_a_pdf_with_a_script_is_refused_with_its_message_and_nothing_is_saved(self, staff_client):
        report = factories.ReportFactory()
        response = staff_client.post(
            f"/admin/meetings/report/{report.pk}/change/", report_form(report, upload(with_open_action()))
        )
        assert "This PDF contains JavaScript (/JS, /JavaScript, /OpenAction); save it again" in (
            response.content.decode()
        )
        assert not Annex.objects.filter(report=report).exists()

    def test_a_pdf_over_the_page_limit_is_refused_and_nothing_is_saved(self, staff_client, settings):
        settings.ANNEX_MAX_PAGES = 3
        report = factories.ReportFactory()
        response = staff_client.post(
            f"/admin/meetings/report/{report.pk}/change/", report_form(report, upload(pdf_bytes(4)))
        )
        assert "This PDF has 4 pages; an annex may have at most 3." in response.content.decode()
        assert not Annex.objects.filter(report=report).exists()


class TestPageLimit:
    def test_the_default_allows_300_pages(self):
        validate_pdf_upload(upload(pdf_bytes(300)))

    def test_301_pages_are_refused_by_default(self):
        with pytest.raises(ValidationError) as caught:
            validate_pdf_upload(upload(pdf_bytes(301)))
        assert caught.value.messages == [
            "This PDF has 301 pages; an annex may have at most 300. "
            "Split it into annexes of up to 300 pages each."
        ]

    def test_the_limit_is_a_setting_and_large_counts_are_written_with_commas(self, settings):
        settings.ANNEX_MAX_PAGES = 999
        with pytest.raises(
            ValidationError, match=r"This PDF has 1,000 pages; an annex may have at most 999\."
        ):
            validate_pdf_upload(upload(pdf_bytes(1000)))


def page_drawing(data: bytes) -> PdfWriter:
    """One page whose drawing instructions are `data`, stored FlateDecode-compressed."""
    writer = blank()
    stream = DecodedStreamObject()
    stream.set_data(data)
    writer.pages[0][name("/Contents")] = writer._add_object(stream.flate_encode())
    return writer


def page_with_image(data: bytes, width: int) -> PdfWriter:
    """One page showing a greyscale image whose pixels are `data`, FlateDecode-compressed."""
    writer = blank()
    image = DecodedStreamObject()
    image.set_data(data)
    image.update(
        {
            name("/Type"): name("/XObject"),
            name("/Subtype"): name("/Image"),
            name("/Width"): NumberObject(width),
            name("/Height"): NumberObject(len(data) // width),
            name("/ColorSpace"): name("/DeviceGray"),
            name("/BitsPerComponent"): NumberObject(8),
        }
    )
    page = writer.pages[0]
    resources = DictionaryObject(
        {name("/XObject"): DictionaryObject({name("/Im1"): writer._add_object(image.flate_encode())})}
    )
    page[name("/Resources")] = resources
    drawing = DecodedStreamObject()
    drawing.set_data(b"q 595 0 0 842 0 0 cm /Im1 Do Q")
    page[name("/Contents")] = writer._add_object(drawing)
    return writer


class TestDecompressionLimit:
    """A PDF may weigh little and unpack to gigabytes; the unpacked size is what costs."""

    MEGABYTE = 1024 * 1024

    def test_a_page_that_unpacks_past_the_limit_is_refused(self, settings):
        settings.ANNEX_MAX_DECODED_BYTES = self.MEGABYTE
        bomb = upload(page_drawing(b" " * (4 * self.MEGABYTE)))
        assert bomb.size < 20 * 1024  # it weighs a few kilobytes
        with pytest.raises(ValidationError) as caught:
            validate_pdf_upload(bomb)
        assert caught.value.messages == [
            "This PDF unpacks to more than 1.0\xa0MB, the most an annex may hold; save it again with "
            "smaller images or at a lower resolution, or split it into smaller annexes."
        ]

    def test_an_image_that_unpacks_past_the_limit_is_refused(self, settings):
        settings.ANNEX_MAX_DECODED_BYTES = self.MEGABYTE
        with pytest.raises(ValidationError, match=r"This PDF unpacks to more than 1\.0"):
            validate_pdf_upload(upload(page_with_image(bytes(2 * self.MEGABYTE), width=1024)))

    def test_the_same_pages_within_the_limit_are_accepted(self, settings):
        settings.ANNEX_MAX_DECODED_BYTES = 8 * self.MEGABYTE
        validate_pdf_upload(upload(page_drawing(b" " * (4 * self.MEGABYTE))))
        validate_pdf_upload(upload(page_with_image(bytes(2 * self.MEGABYTE), width=1024)))

    def test_the_default_limit_is_200_megabytes(self, settings):
        from lgaboard.settings import base

        assert base.ANNEX_MAX_DECODED_BYTES == 200 * self.MEGABYTE
        assert base.ANNEX_MAX_PAGES == 300


def test_an_annex_stored_before_the_checks_brings_no_script_into_the_pack():
    """An annex saved before uploads were checked keeps its pages in the pack, not its launch link.
    Its web link stays behind too: the pack shows the page as a picture, and a link the pack's
    structure tree does not hold fails PDF/UA (the annex's own PDF keeps it)."""
    writer = annotate(blank(), "/Link", A=action("/Launch", F=TextStringObject("calc.exe")))
    annotate(writer, "/Link", A=action("/URI", URI=TextStringObject("https://www.local.gov.uk/")))
    meeting = factories.MeetingFactory()
    report = factories.ReportFactory(item__meeting=meeting, item__number=1, item__title="Finance")
    Annex.objects.create(report=report, letter="A", title="Slides", pdf=upload(writer))

    pack = render_pack_pdf(agenda_pack_for(meeting))

    actions = [
        annotation.get_object()["/A"]
        for page in PdfReader(io.BytesIO(pack)).pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pack)).pages)
    assert "Annex A: Slides, page 1 of 1, as uploaded" in text  # its page is there
    assert not [a for a in actions if a["/S"] == "/Launch"]
    assert not [a for a in actions if a.get("/URI") == "https://www.local.gov.uk/"]
