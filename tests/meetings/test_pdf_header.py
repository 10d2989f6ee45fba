"""The running header of a PDF paper: names are text inside a CSS string, whatever they contain."""

import io
import re

import pytest
from pypdf import PdfReader

from lgaboard.templatetags.lgaboard import css_string
from tests import factories


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Improvement and Innovation Board", '"Improvement and Innovation Board"'),
        ("\r", '"\\d "'),
        ("\f", '"\\c "'),
        ("\n", '"\\a "'),
        ("\t", '"\\9 "'),
        ("\x1b", '"\\1b "'),
        ("\x7f", '"\\7f "'),
        ("\x00", '"\ufffd"'),
        ('"', '"\\22 "'),
        ("\\", '"\\5c "'),
        ("</style>", '"\\3c /style>"'),
        ("Children’s & Young People’s Board", '"Children’s & Young People’s Board"'),
        ('a"\r} b', '"a\\22 \\d } b"'),
        # an escape's closing space is part of the escape, so the text's own space follows it
        ("\\ x", '"\\5c  x"'),
    ],
)
def test_css_string_escapes_what_would_end_the_string(text, written):
    assert css_string(text) == written


def test_css_string_leaves_no_character_that_ends_a_string_or_the_style_element():
    every = "".join(chr(code) for code in range(0x80))
    body = css_string(every)[1:-1]
    assert not re.search(r'["\x00-\x1f\x7f<]', body)
    assert not re.search(r"\\(?![0-9a-f]{1,6} )", body)


@pytest.mark.django_db
def test_a_board_name_cannot_write_its_own_header_into_the_pdf(client):
    name = 'Evil Board"\r} @page { @top-right { content: "PWNED" } }'
    board = factories.BoardFactory(name=name, slug="evil-board")
    meeting = factories.MeetingFactory(board_year__board=board)
    body = "\n\n".join(["A paragraph of the report, long enough to fill a line of the page."] * 80)
    item = factories.ReportFactory(
        item__meeting=meeting, item__number=1, item__title="Finance", body=body
    ).item

    response = client.get(f"{item.get_absolute_url().rstrip('/')}.pdf")

    pages = [
        re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(response.content)).pages
    ]
    assert len(pages) > 1  # the first page has no running header
    for page in pages[1:]:
        # the header shows the name as it is written, then the date and the item
        shown = re.escape('} @page { @top-right { content: "PWNED" } }')
        assert re.search(rf'Evil Board" ?{shown} {meeting.date:%-d %B %Y} Item 1', page), page
        # and PWNED appears only inside the name: it is no header of its own
        assert page.count("PWNED") == 1
