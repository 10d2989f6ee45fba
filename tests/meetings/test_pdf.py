"""The agenda pack as a PDF, parsed the way a reader's software reads it."""

import io
import itertools
import re

import pytest
from pypdf import PdfReader

from meetings.pdf import render_pack_pdf
from meetings.selectors import agenda_pack_for

# Item 1 (welcome, apologies) has no paper: as on the printed agenda, it has no page.
TITLES = {
    "item-2": "2. Membership and terms of reference for 2017/18",
    "item-3": "3. Priorities and work programme",
    "item-3-a": "Annex A: Sector-led Improvement",
    "item-3-b": "Annex B: Extract of Memorandum of Understanding",
    "item-4": "4. Productivity programme",
    "item-5": "5. Highlighting Leadership offer: 2017/18 update",
    "item-6": "6. Sector-led Improvement for Care and Health",
    "item-6-a": "Annex A: Sector-led Improvement for Care and Health PowerPoint",
    "item-7": "7. Data and transparency programme",
    "item-8": "8. Progressing next year's Innovation Zone",
    "item-9": "9. LGA Boards' improvement activity",
    "item-10": "10. Note of the Previous Meeting",
}


@pytest.fixture(scope="module")
def pack_pdf(november_pack_pdf):
    return PdfReader(io.BytesIO(november_pack_pdf))


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace("’", "'")


@pytest.fixture(scope="module")
def pages(pack_pdf):
    return [flat(page.extract_text()) for page in pack_pdf.pages]


@pytest.fixture(scope="module")
def agenda_ranges(pages):
    """The Page column of the printed agenda: title → (first, last)."""
    agenda = next(text for text in pages if "Item Page" in text)
    ranges = {}
    for anchor, title in TITLES.items():
        match = re.search(
            re.escape(title) + r".*?(\d+)(?:\s-\s(\d+))?(?= \d+\. | [ab]\) | Date of next|$)", agenda
        )
        assert match, f"{title} has no page in the agenda"
        first = int(match.group(1))
        ranges[anchor] = (first, int(match.group(2) or first))
    return ranges


def test_every_title_is_on_the_page_the_agenda_gives_for_it(pages, agenda_ranges):
    for anchor, (first, _) in agenda_ranges.items():
        assert flat(TITLES[anchor]).split(": ", 1)[-1] in pages[first - 1], anchor


def test_an_item_without_a_paper_has_no_page(pages):
    agenda = next(text for text in pages if "Item Page" in text)
    assert "1. Welcome, apologies and declarations of interest 2. Membership" in agenda


def test_the_pack_is_laid_out_once(november_pack_render, agenda_ranges):
    """The agenda's page ranges come from the same layout as the pack (CSS target counters): the
    pack is not laid out a second time to find them."""
    _, layouts = november_pack_render
    assert layouts == 1
    assert agenda_ranges["item-3"] == (17, 24)


def test_the_ranges_cover_the_papers_without_gaps_or_overlaps(agenda_ranges):
    ordered = list(agenda_ranges.values())
    for (_, last), (next_first, _) in itertools.pairwise(ordered):
        assert next_first == last + 1
    assert all(first <= last for first, last in ordered)


def test_one_bookmark_per_item_with_annexes_nested(pack_pdf):
    outline = pack_pdf.outline
    titles = [entry.title for entry in outline if not isinstance(entry, list)]
    for title in TITLES.values():
        if "Annex" not in title:
            assert title in titles, title
    item3 = titles.index("3. Priorities and work programme")
    nested = outline[
        outline.index(next(e for e in outline if not isinstance(e, list) and e.title == titles[item3])) + 1
    ]
    assert [entry.title for entry in nested] == [
        "Annex A: Sector-led Improvement",
        "Annex B: Extract of Memorandum of Understanding",
    ]


def test_title_language_and_tags(pack_pdf):
    assert pack_pdf.metadata.title.startswith(
        "Improvement and Innovation Board, 1 November 2017: agenda pack"
    )
    root = pack_pdf.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root


def test_running_header_and_page_numbers(pages):
    assert "Improvement and Innovation Board 1 November 2017" in pages[20]
    assert f"Page 21 of {len(pages)}" in pages[20]


@pytest.mark.django_db
def test_the_pdf_downloads_with_a_meaningful_name(client):
    response = client.get("/boards/improvement-and-innovation-board/2017-11-01/pack.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert (
        'filename="improvement-and-innovation-board-2017-11-01-agenda-pack.pdf"'
        in response["Content-Disposition"]
    )
    assert response.getvalue().startswith(b"%PDF-")  # the published pack, streamed from storage


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "filename", "expected"),
    [
        (
            "/boards/improvement-and-innovation-board/2017-11-01/items/5.pdf",
            "improvement-and-innovation-board-2017-11-01-item-5.pdf",
            "Transfeminie",
        ),
        (
            "/boards/improvement-and-innovation-board/2017-07-11/minutes.pdf",
            "improvement-and-innovation-board-2017-07-11-minutes.pdf",
            "Officers to explore with BIT",
        ),
        (
            "/boards/improvement-and-innovation-board/attendance/2016-17.pdf",
            "improvement-and-innovation-board-attendance-2016-17.pdf",
            "Cllr William Nunn",
        ),
        ("/mou/2017-18/q2.pdf", "mou-2017-18-q2-progress-report.pdf", "at least 110 peer challenges"),
        (  # Annex A of the productivity report, built from the outputs and frozen at publication
            "/boards/improvement-and-innovation-board/2017-11-01/items/4.pdf",
            "improvement-and-innovation-board-2017-11-01-item-4.pdf",
            "Shared services Launched the 2017 Shared Services Map, demonstrating £643m in savings since "
            "2012 Green Para 5",
        ),
        (
            "/mou/2017-18/update.pdf",
            "sector-led-improvement-update-2017-18-q2.pdf",
            "We have, for example:",
        ),
    ],
)
def test_the_other_papers_download_as_tagged_pdfs(client, url, filename, expected):
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{filename}"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    assert expected in text
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert bool(reader.trailer["/Root"]["/MarkInfo"]["/Marked"])


@pytest.mark.django_db
def test_the_quarterly_report_pdf_is_landscape(client):
    reader = PdfReader(io.BytesIO(client.get("/mou/2017-18/q2.pdf").content))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/boards/improvement-and-innovation-board/2017-11-01/items/11.pdf",
        "/boards/improvement-and-innovation-board/2017-11-01/minutes.pdf",
        "/boards/improvement-and-innovation-board/attendance/2019-20.pdf",
        "/mou/2017-18/q5.pdf",
    ],
)
def test_unknown_papers_give_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_an_uploaded_pdf_annex_is_merged_counted_and_numbered():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from weasyprint import HTML

    from meetings.models import Annex
    from tests import factories

    upload = HTML(
        string="<p>MERGED ANNEX FIRST PAGE</p><p style='break-before: page'>MERGED ANNEX SECOND PAGE</p>"
    ).write_pdf()
    meeting = factories.MeetingFactory()
    first = factories.ReportFactory(item__meeting=meeting, item__number=1, item__title="Finance")
    Annex.objects.create(
        report=first, letter="A", title="Slides", on_agenda=True, pdf=SimpleUploadedFile("s.pdf", upload)
    )
    factories.ReportFactory(item__meeting=meeting, item__number=2, item__title="Workforce")

    reader = PdfReader(io.BytesIO(render_pack_pdf(agenda_pack_for(meeting))))
    pages = [flat(page.extract_text()) for page in reader.pages]
    first_page = next(i for i, text in enumerate(pages) if "MERGED ANNEX FIRST PAGE" in text)
    assert "MERGED ANNEX SECOND PAGE" in pages[first_page + 1]
    # numbered like the rest: our footer is on the merged pages
    assert f"Page {first_page + 1} of {len(pages)}" in pages[first_page]
    # the agenda counts them: the annex runs from its title page to its last merged page, and the
    # annex starts a page of its own after its item's report
    agenda = next(text for text in pages if "Item Page" in text)
    merged = first_page + 1  # 1-based
    assert (
        f"1. Finance {merged - 2} a) Annex A: Slides {merged - 1} - {merged + 1} 2. Workforce {merged + 2}"
        in agenda
    )
    assert "2. Workforce" in pages[merged + 1]
