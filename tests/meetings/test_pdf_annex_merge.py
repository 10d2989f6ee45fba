"""An uploaded PDF annex in the pack and in its item's PDF: each of its pages is drawn, whole and in
its own shape, inside the content box of the page reserved for it, under a line naming it, so the
pack's running header and page number sit in margins the annex does not use. Looked at as pixels.

One annex of four pages is uploaded to item 5 of the 1 November 2017 meeting, every page of it
coloured to its edges with its own footer on the bottom edge: a portrait page, a landscape page
(tagged, as a PDF/UA file's pages are), a portrait page turned by /Rotate and one cropped to its
top half by a /CropBox.
"""

import functools
import io
import re

import pikepdf
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from PIL import ImageChops
from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject
from weasyprint import HTML

from lgaboard.storage import read_bytes
from meetings.models import Annex, Meeting
from meetings.publication import publish_revision
from tests.pdf_checks import count_pixels, is_dark, is_ink, near, outloud_findings, page_image

ORANGE = (0xF4, 0x77, 0x38)
GREEN = (0x00, 0x70, 0x3C)
BLUE = (0x1D, 0x70, 0xB8)
CAPTION = "Annex C: Board slides, page {} of 4, as uploaded"
ITEM_PDF = "/boards/improvement-and-innovation-board/2017-11-01/items/5.pdf"

# The pack's A4 page as fractions of it: 20 mm margins top and bottom, 18 mm at the sides (the
# header and the page number sit in the top and bottom ones). Bands stop 1 mm short of the content
# box, so the edge of a picture drawn to it, smoothed over a pixel, is not counted as crossing.
TOP_MARGIN = (0, 0, 1, 19 / 297)
BOTTOM_MARGIN = (0, 278 / 297, 1, 1)
LEFT_MARGIN = (0, 0, 17 / 210, 1)
RIGHT_MARGIN = (193 / 210, 0, 1, 1)
MARGINS = {"top": TOP_MARGIN, "bottom": BOTTOM_MARGIN, "left": LEFT_MARGIN, "right": RIGHT_MARGIN}


def annex_page(size: str, colour: str, **write) -> bytes:
    """A page coloured to its edges: a blue block at its top left, a sentence, its own footer."""
    html = f"""<html lang="en"><head><title>Board slides</title><style>
      @page {{ size: {size}; margin: 0; background: {colour}; }}
      body {{ margin: 0; font: 14pt "DejaVu Sans", sans-serif; }}
      .block {{ position: absolute; top: 30mm; left: 20mm; width: 60mm; height: 30mm; background: #1d70b8; }}
      .footer {{ position: absolute; bottom: 1mm; left: 0; right: 0; text-align: center; }}
    </style></head><body><div class="block"></div>
    <p style="margin: 80mm 20mm 0">The annex's own words, a sentence a reader would want to hear.</p>
    <p class="footer">Annex footer</p></body></html>"""
    return HTML(string=html).write_pdf(**write)


def uploaded_annex() -> bytes:
    writer = PdfWriter()
    for data in (
        annex_page("A4", "#f47738"),
        annex_page("A4 landscape", "#00703c", pdf_variant="pdf/ua-1"),
        annex_page("A4", "#f47738"),
        annex_page("A4", "#f47738"),
    ):
        writer.append(PdfReader(io.BytesIO(data)))
    writer.pages[2].rotate(90)
    writer.pages[3].cropbox = RectangleObject((0, 842 / 2, 595, 842))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def papers(django_db_setup, django_db_blocker):
    """The pack as published with the annex, and item 5's PDF as the public (frozen at publication)
    and a clerk (live) download it; rendered once for the module, the database then rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        meeting = Meeting.objects.get(board__slug="improvement-and-innovation-board", date="2017-11-01")
        report = meeting.items.get(number=5).report
        Annex.objects.create(
            report=report, letter="C", title="Board slides", pdf=SimpleUploadedFile("s.pdf", uploaded_annex())
        )
        pack = read_bytes(publish_revision(meeting).pdf_file)
        public = Client().get(ITEM_PDF).content
        clerk = Client()
        clerk.force_login(get_user_model().objects.create_superuser("clerk-annex-merge"))
        live = clerk.get(ITEM_PDF).content
        transaction.set_rollback(True)
    return {"pack": pack, "public item": public, "clerk's item": live}


@functools.cache
def texts(pdf: bytes) -> tuple[str, ...]:
    return tuple(re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages)


def reserved_page(pdf: bytes, number: int) -> int:
    """The (1-based) page that shows page `number` of the annex."""
    return next(i for i, text in enumerate(texts(pdf), start=1) if CAPTION.format(number) in text)


def colour_box(image, colour) -> tuple[int, int, int, int]:
    """The smallest box holding every pixel of `colour`: left, top, right, bottom."""
    bands = [
        band.point(lambda value, target=target: 255 if abs(value - target) <= 30 else 0)
        for band, target in zip(image.split(), colour, strict=True)
    ]
    return ImageChops.multiply(ImageChops.multiply(bands[0], bands[1]), bands[2]).getbbox()


def shape(box) -> float:
    left, top, right, bottom = box
    return (right - left) / (bottom - top)


@pytest.mark.parametrize("paper", ["pack", "public item", "clerk's item"])
@pytest.mark.parametrize(("number", "colour"), [(1, ORANGE), (2, GREEN), (3, ORANGE), (4, ORANGE)])
def test_the_annex_page_keeps_inside_the_content_box(papers, paper, number, colour):
    image = page_image(papers[paper], reserved_page(papers[paper], number), dpi=50)
    inside = count_pixels(image, lambda p: near(p, colour, 30), (20 / 210, 30 / 297, 190 / 210, 270 / 297))
    assert inside > 10_000, "the annex page is drawn"
    for side, band in MARGINS.items():
        assert count_pixels(image, lambda p: near(p, colour, 30), band) == 0, (
            f"annex colour in the {side} margin"
        )


@pytest.mark.parametrize("paper", ["pack", "public item", "clerk's item"])
def test_one_header_and_one_footer_are_ours(papers, paper):
    pages = texts(papers[paper])
    for number in range(1, 5):
        at = reserved_page(papers[paper], number)
        text = pages[at - 1]
        assert len(re.findall(r"Page \d+ of \d+", text)) == 1
        assert f"Page {at} of {len(pages)}" in text
        assert text.count("Annex footer") == 1  # the annex's own, drawn small inside the box
        image = page_image(papers[paper], at, dpi=50)
        assert count_pixels(image, is_ink, BOTTOM_MARGIN) > 20, "our page number is printed"
        assert count_pixels(image, is_ink, TOP_MARGIN) > 20, "our running header is printed"


def test_each_page_keeps_its_shape_and_way_up(papers):
    pack = papers["pack"]
    portrait, landscape, turned, cropped = (
        page_image(pack, reserved_page(pack, n), dpi=50) for n in range(1, 5)
    )
    # the whole page is shown, down to its own footer on its bottom edge
    for image, colour in ((portrait, ORANGE), (landscape, GREEN)):
        left, top, right, bottom = colour_box(image, colour)
        width, height = image.size
        edge = (left / width, (bottom - 0.05 * (bottom - top)) / height, right / width, bottom / height)
        assert count_pixels(image, is_dark, edge) > 5, "the annex's footer is drawn"
    assert shape(colour_box(portrait, ORANGE)) == pytest.approx(210 / 297, abs=0.03)
    assert shape(colour_box(landscape, GREEN)) == pytest.approx(297 / 210, abs=0.03)
    assert shape(colour_box(cropped, ORANGE)) == pytest.approx(210 / 148.5, abs=0.03)
    # /Rotate 90 turns the page a quarter clockwise: its top (the blue block) is now on the right.
    assert shape(colour_box(turned, ORANGE)) == pytest.approx(297 / 210, abs=0.03)
    left, top, right, bottom = colour_box(turned, ORANGE)
    block_left, _, _, block_bottom = colour_box(turned, BLUE)
    assert block_left > (left + right) / 2
    assert block_bottom < (top + bottom) / 2
    # the crop box shows the page's top half (the shape above), the block in its upper part
    left, top, right, bottom = colour_box(cropped, ORANGE)
    assert colour_box(cropped, BLUE)[1] < (top + bottom) / 2


def test_the_agenda_counts_the_annex_pages(papers):
    pages = texts(papers["pack"])
    heading = next(i for i, text in enumerate(pages, start=1) if "The 4 pages of this annex follow" in text)
    assert reserved_page(papers["pack"], 1) == heading + 1
    assert reserved_page(papers["pack"], 4) == heading + 4
    agenda = next(text for text in pages if "Item Page" in text)
    assert f"a) Annex C: Board slides {heading} - {heading + 4}" in agenda


def test_the_annex_page_is_a_figure_named_for_the_annex(papers):
    """The uploaded page is drawn inside the /Figure sequence WeasyPrint tagged for the placeholder
    (its alternative text names the annex page), and nothing of the upload's own tags or links
    comes with it: they would point into a structure tree that is not the pack's."""
    pdf = pikepdf.open(io.BytesIO(papers["pack"]))
    for number in range(1, 5):
        page = pdf.pages[reserved_page(papers["pack"], number) - 1]
        drawn = [
            (operands[0], marks) for operands, operator, marks in marked_operations(page) if operator == "Do"
        ]
        # The pack's page furniture (header, page number) is drawn over the page as an artifact.
        assert all(marks and marks[0][0] == "/Artifact" for _, marks in drawn[1:])
        drawn = [(name, marks) for name, marks in drawn if not (marks and marks[0][0] == "/Artifact")]
        assert len(drawn) == 1
        name, marks = drawn[0]
        form = page.Resources.XObject[name]
        assert form.Subtype == "/Form"
        tag, mcid = marks[-1]
        assert tag == "/Figure"
        owner = pdf.Root.StructTreeRoot.ParentTree.Nums[2 * int(page.StructParents) + 1][mcid]
        assert owner.S == "/Figure"
        assert str(owner.Alt).startswith(f"Page {number} of Annex C as uploaded")
        assert not {str(op) for _, op in pikepdf.parse_content_stream(form)} & {"BDC", "BMC", "EMC"}
        assert "/Annots" not in page


def marked_operations(page):
    """Each operation of the page's content, with the marked-content sequences (tag, MCID) it is in."""
    stack = []
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name in ("BDC", "BMC"):
            properties = operands[1] if name == "BDC" else None
            mcid = properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
            stack.append((str(operands[0]), None if mcid is None else int(mcid)))
        elif name == "EMC":
            stack.pop()
        yield operands, name, list(stack)


def test_no_pdf_ua_error_on_the_merged_pages(papers):
    """Errors elsewhere in the pack are not this file's to find."""
    merged = {reserved_page(papers["pack"], n) for n in range(1, 5)}
    findings = outloud_findings(papers["pack"])
    on_merged = [line for line in findings if any(f" p.{n}:" in line for n in merged)]
    assert on_merged == []
