"""Every kind of PDF paper the portal prints, looked at as its reader would: page 1 as pixels, and
what a PDF/UA-1 checker finds, checked rather than assumed.

Two checkers that run without Java: outloud (91 rules: PDF/UA-1 and Matterhorn, WCAG 2.2, and checks
a validator cannot make) must report no error; pdfua (the machine-checkable subset of PDF/UA-1)
must report no error and no warning. veraPDF cannot be installed here.
"""

import io

import pikepdf
import pytest

from tests.pdf_checks import (
    count_pixels,
    is_ink,
    outloud_findings,
    page_image,
    pdfua_findings,
    tallest_dark_block,
)

BOARD = "/boards/improvement-and-innovation-board"
PAPERS = {
    "item": f"{BOARD}/2017-11-01/items/3.pdf",
    "minutes": f"{BOARD}/2017-07-11/minutes.pdf",
    "register": f"{BOARD}/attendance/2017-18.pdf",
    "quarterly report": "/mou/2017-18/q2.pdf",
    "update": "/mou/2017-18/update.pdf",
}


def paper(client, name) -> bytes:
    response = client.get(PAPERS[name])
    assert response["Content-Type"] == "application/pdf"
    return response.content


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAPERS)
def test_each_paper_passes_the_pdf_ua_checkers(client, name):
    pdf = paper(client, name)
    assert outloud_findings(pdf, "error") == []
    assert [line for line in pdfua_findings(pdf) if "ERROR" in line or "WARN" in line] == []


def test_the_agenda_pack_passes_the_pdf_ua_checkers(november_pack_pdf):
    assert outloud_findings(november_pack_pdf, "error") == []
    assert [line for line in pdfua_findings(november_pack_pdf) if "ERROR" in line or "WARN" in line] == []


@pytest.mark.django_db
def test_running_headers_and_page_numbers_are_pagination_artifacts(client):
    """A screen reader reads the paper, not "Page 2 of 9" and the board's name on every page."""
    pdf = paper(client, "minutes")
    assert not [line for line in outloud_findings(pdf, "warning") if line.startswith("PAG-001")]
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            content = page.obj.Contents.read_bytes()
            assert content.count(b"/Artifact <</Type /Pagination>> BDC") >= 1


@pytest.mark.django_db
def test_header_cells_say_whether_they_head_a_column_or_a_row(client):
    """The register: a header row of meeting dates (columns), and each member's name heads a row."""
    pdf = paper(client, "register")
    scopes = {}
    with pikepdf.open(io.BytesIO(pdf)) as document:
        stack = [document.Root.StructTreeRoot]
        while stack:
            element = stack.pop()
            if not isinstance(element, pikepdf.Dictionary):
                continue
            if element.get("/S") == pikepdf.Name.TH:
                scope = str(element.A.Scope)
                scopes[scope] = scopes.get(scope, 0) + 1
            kids = element.get("/K")
            stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else [])
    assert scopes.get("/Column", 0) > 0
    assert scopes.get("/Row", 0) > 0
    assert set(scopes) == {"/Column", "/Row"}


@pytest.mark.django_db
def test_links_print_as_they_show(client):
    pdf = paper(client, "item")
    with pikepdf.open(io.BytesIO(pdf)) as document:
        links = [a for page in document.pages for a in page.obj.get("/Annots", []) if a.Subtype == "/Link"]
        assert links
        assert all(int(link.F) & 4 for link in links)


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAPERS)
def test_page_one_of_each_paper_reads_as_printed(client, name):
    """Text on the page, no black block where colour or a chart should be, the page number in the
    bottom margin and nothing of the page's text over it."""
    image = page_image(paper(client, name), page=1, dpi=50)
    assert count_pixels(image, is_ink, (0.05, 0.08, 0.95, 0.5)) > 2000  # the paper's first words
    assert tallest_dark_block(image) <= 3  # a rule under a heading, never a blacked-out bar
    footer_band = (0.3, 0.94, 0.7, 0.99)
    assert count_pixels(image, is_ink, footer_band) > 20  # "Page 1 of N"
    assert count_pixels(image, is_ink, (0.0, 0.9, 1.0, 0.935)) == 0  # a clear margin above it


def test_page_one_of_the_pack_reads_as_printed(november_pack_pdf):
    image = page_image(november_pack_pdf, page=1, dpi=50)
    assert count_pixels(image, is_ink, (0.05, 0.08, 0.95, 0.5)) > 2000
    assert tallest_dark_block(image) <= 3
    assert count_pixels(image, is_ink, (0.3, 0.94, 0.7, 0.99)) > 20


def test_the_pdf_renderer_reads_stylesheets_collected_under_hashed_names(tmp_path, settings):
    """In production the page links `css/lgaboard.<hash>.css` (the manifest storage), which only
    STATIC_ROOT holds: the PDF must still get its stylesheet, or it prints unstyled."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    from lgaboard.pdf import BASE_URL, StaticFilesFetcher

    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "lgaboard.0123abcd.css").write_text("body { color: #0b0c0c }")
    settings.STATIC_ROOT = tmp_path
    staticfiles_storage._wrapped = empty_storage()
    try:
        response = StaticFilesFetcher().fetch(f"{BASE_URL}static/css/lgaboard.0123abcd.css")
        assert response.read() == b"body { color: #0b0c0c }"
    finally:
        staticfiles_storage._wrapped = empty_storage()


def empty_storage():
    from django.utils.functional import empty

    return empty
