"""The agenda pack laid out in parts (meetings.pack_sections), each part kept under a fingerprint of
what it is made from: joined, it reads as the pack laid out in one pass (text on every page, the
agenda's page ranges, bookmarks, links), passes the PDF/UA-1 checkers, and a revision lays out
again only the parts that changed."""

import io
import re

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader
from weasyprint import HTML

from meetings import pack_sections
from meetings.models import Annex, Meeting
from meetings.pack_sections import render_pack_pdf_incremental
from meetings.pdf import render_pack_pdf
from meetings.selectors import agenda_pack_for
from tests import factories
from tests.pdf_checks import count_pixels, is_ink, outloud_findings, page_image, pdfua_findings


class MemoryCache(dict):
    def set(self, name, data):
        self[name] = data


def read(pdf: bytes) -> dict:
    """What a reader's software reads: each page's text, the bookmarks (level, title, page) and the
    links (page, where to: an address, or the page a named destination is on)."""
    reader = PdfReader(io.BytesIO(pdf))
    return {
        "pages": [re.sub(r"\s+", " ", page.extract_text()).strip() for page in reader.pages],
        "bookmarks": list(bookmarks(reader, reader.outline, 0)),
        "links": links(reader),
    }


def bookmarks(reader, entries, level):
    for entry in entries:
        if isinstance(entry, list):
            yield from bookmarks(reader, entry, level + 1)
        else:
            yield level, entry.title, reader.get_destination_page_number(entry)


def links(reader) -> list:
    found = []
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if "/Dest" in annotation:
                name = str(annotation["/Dest"])
                found.append(
                    (number, name, reader.get_destination_page_number(reader.named_destinations[name]))
                )
            else:
                found.append((number, str(annotation["/A"]["/URI"]), None))
    return found


def agenda(read_pdf: dict) -> str:
    return next(text for text in read_pdf["pages"] if "Item Page" in text)


def assert_reads_the_same(pdf: bytes, expected: bytes) -> None:
    got, wanted = read(pdf), read(expected)
    assert len(got["pages"]) == len(wanted["pages"])
    assert agenda(got) == agenda(wanted)  # the page ranges
    for number, (text, expected_text) in enumerate(zip(got["pages"], wanted["pages"], strict=True), start=1):
        assert text == expected_text, f"page {number}"
    assert got["bookmarks"] == wanted["bookmarks"]
    assert got["links"] == wanted["links"]


# The 1 November 2017 pack --------------------------------------------------------------------


@pytest.fixture(scope="module")
def november_in_parts(django_db_setup, django_db_blocker) -> bytes:
    with django_db_blocker.unblock():
        meeting = Meeting.objects.get(board__slug="improvement-and-innovation-board", date="2017-11-01")
        return render_pack_pdf_incremental(agenda_pack_for(meeting), MemoryCache())


def test_the_pack_in_parts_reads_as_the_pack_laid_out_in_one_pass(november_in_parts, november_pack_pdf):
    assert_reads_the_same(november_in_parts, november_pack_pdf)
    pages = read(november_in_parts)["pages"]
    assert f"Page 21 of {len(pages)}" in pages[20]
    assert "Improvement and Innovation Board 1 November 2017" in pages[20]
    assert "Improvement and Innovation Board 1 November" not in pages[0]  # the cover has no header


def test_the_joined_pack_passes_the_pdf_ua_checkers(november_in_parts):
    assert outloud_findings(november_in_parts, "error") == []
    assert [line for line in pdfua_findings(november_in_parts) if "ERROR" in line or "WARN" in line] == []


def test_the_joined_structure_tree_is_one_tree_over_the_joined_pages(november_in_parts):
    """One /Document whose kids are the parts' pages' elements; every element's page is a page of
    the file; every page's and link's parent tree entry points back at what is on it."""
    with pikepdf.open(io.BytesIO(november_in_parts)) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        root = pdf.Root.StructTreeRoot
        nums = root.ParentTree.Nums
        tree = {int(key): value for key, value in zip(nums[::2], nums[1::2], strict=True)}
        assert len(tree) == len(nums) // 2
        (document,) = [root.K] if isinstance(root.K, pikepdf.Dictionary) else list(root.K)
        assert document.S == "/Document"
        stack = [document]
        while stack:
            element = stack.pop()
            kids = element.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
            for kid in kids:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    assert kid.P.objgen == element.objgen
                    assert "/Pg" not in kid or kid.Pg.objgen in pages
                    stack.append(kid)
        for number, page in enumerate(pdf.pages):
            for owner in tree[int(page.obj.StructParents)]:
                if isinstance(owner, pikepdf.Dictionary) and "/Pg" in owner:
                    assert pages[owner.Pg.objgen] == number
            for annotation in page.obj.get("/Annots", []):
                owner = tree[int(annotation.StructParent)]
                kids = owner.K if isinstance(owner.K, pikepdf.Array) else [owner.K]
                assert any(
                    kid.get("/Obj") is not None and kid.Obj.objgen == annotation.objgen for kid in kids
                )


def test_the_furniture_is_printed_in_the_margins(november_in_parts):
    """Drawn over each page, the furniture hides nothing of it."""
    cover = page_image(november_in_parts, page=1, dpi=50)
    assert count_pixels(cover, is_ink, (0.05, 0.08, 0.95, 0.5)) > 2000  # the cover's words
    assert count_pixels(cover, is_ink, (0.3, 0.94, 0.7, 0.99)) > 20  # "Page 1 of N"
    assert count_pixels(cover, is_ink, (0.5, 0.0, 1.0, 19 / 297)) == 0  # no running header on the cover
    page = page_image(november_in_parts, page=21, dpi=50)
    assert count_pixels(page, is_ink, (0.3, 0.94, 0.7, 0.99)) > 20
    assert count_pixels(page, is_ink, (0.5, 0.0, 1.0, 19 / 297)) > 20  # the running header
    assert count_pixels(page, is_ink, (0.05, 0.08, 0.95, 0.9)) > 2000  # the page's words
    assert count_pixels(page, is_ink, (0.0, 0.9, 1.0, 0.935)) == 0  # a clear margin above the number


# A small pack, edited ------------------------------------------------------------------------

PARAGRAPH = "A paragraph of the report, long enough to fill a line or two of the printed page, and then some."


@pytest.fixture
def small_pack(db, django_user_model):
    """Four items: one without a paper, a report with an annex, a confidential report with an
    uploaded PDF annex of two pages, and a last report; read by a clerk (who sees the
    confidential item, marked on every page)."""
    meeting = factories.MeetingFactory()
    factories.AgendaItemFactory(meeting=meeting, number=1, title="Welcome")
    finance = factories.ReportFactory(
        item__meeting=meeting, item__number=2, item__title="Finance", body="\n\n".join([PARAGRAPH] * 12)
    )
    factories.AnnexFactory(report=finance, letter="A", title="Budget", content="\n\n".join([PARAGRAPH] * 30))
    secret = factories.ReportFactory(
        item__meeting=meeting,
        item__number=3,
        item__title="Contracts",
        item__confidential=True,
        item__exemption="3",
    )
    upload = HTML(string="<p>UPLOADED FIRST</p><p style='break-before: page'>UPLOADED SECOND</p>").write_pdf()
    Annex.objects.create(
        report=secret, letter="A", title="Slides", on_agenda=True, pdf=SimpleUploadedFile("s.pdf", upload)
    )
    factories.ReportFactory(item__meeting=meeting, item__number=4, item__title="Workforce")
    clerk = django_user_model.objects.create_superuser("clerk-parts")
    return lambda: agenda_pack_for(Meeting.objects.get(pk=meeting.pk), clerk)


@pytest.fixture
def laid_out(monkeypatch) -> list[str]:
    """The parts laid out, by name, in order."""
    names = []
    render_part = pack_sections.render_part

    def counting(name, *args, **kwargs):
        names.append(name)
        return render_part(name, *args, **kwargs)

    monkeypatch.setattr(pack_sections, "render_part", counting)
    return names


def edit_finance(pack_of, body: str) -> None:
    report = pack_of().items[1].report
    report.body = body
    report.save(update_fields=["body"])


def test_a_revision_lays_out_the_edited_item_the_agenda_and_the_furniture_again(small_pack, laid_out):
    cache = MemoryCache()
    first = render_pack_pdf_incremental(small_pack(), cache)
    # no next meeting and no directions: no back part
    assert laid_out == ["front", "item-1", "item-2", "item-3", "item-4", "agenda", "furniture"]
    assert_reads_the_same(first, render_pack_pdf(small_pack()))

    edit_finance(small_pack, "\n\n".join([PARAGRAPH] * 40))  # two pages more: every later page moves
    laid_out.clear()
    revised = render_pack_pdf_incremental(small_pack(), cache)

    assert laid_out == ["item-2", "agenda", "furniture"]
    assert len(read(revised)["pages"]) > len(read(first)["pages"])
    cold = render_pack_pdf_incremental(small_pack(), MemoryCache())
    assert revised == cold  # the same bytes as the pack laid out in parts from nothing
    one_pass = render_pack_pdf(small_pack())
    assert_reads_the_same(revised, one_pass)
    pages = read(revised)["pages"]
    confidential = [n for n, text in enumerate(pages) if "CONFIDENTIAL: NOT FOR PUBLICATION" in text]
    first, after = (
        next(n for n, text in enumerate(pages) if text.startswith(title)) for title in ("3. ", "4. ")
    )
    assert confidential == list(range(first, after))  # every page of the confidential item, and only those
    # (the factory's board has no members: its empty membership table trips a checker either way)
    assert outloud_findings(revised, "error") == outloud_findings(one_pass, "error")


def test_an_edit_that_moves_no_page_lays_out_only_its_item(small_pack, laid_out):
    cache = MemoryCache()
    render_pack_pdf_incremental(small_pack(), cache)
    edit_finance(small_pack, "\n\n".join([PARAGRAPH] * 11 + ["A paragraph changed."]))
    laid_out.clear()

    revised = render_pack_pdf_incremental(small_pack(), cache)

    assert laid_out == ["item-2"]
    assert "A paragraph changed." in " ".join(read(revised)["pages"])
    assert_reads_the_same(revised, render_pack_pdf(small_pack()))


def test_nothing_changed_lays_out_nothing(small_pack, laid_out):
    cache = MemoryCache()
    first = render_pack_pdf_incremental(small_pack(), cache)
    laid_out.clear()
    assert render_pack_pdf_incremental(small_pack(), cache) == first
    assert laid_out == []


def test_parts_are_kept_in_storage(small_pack, tmp_path):
    from django.core.files.storage import FileSystemStorage

    cache = pack_sections.StorageCache(FileSystemStorage(location=tmp_path))
    first = render_pack_pdf_incremental(small_pack(), cache)
    stored = sorted(path.name for path in (tmp_path / "pack-sections").iterdir())
    assert (
        len([name for name in stored if name.endswith(".pdf")]) == 7
    )  # front, four items, agenda, furniture
    assert render_pack_pdf_incremental(small_pack(), cache) == first
