"""A damaged or outsized workbook is refused with a message, never a 500."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from mou import spreadsheets

pytestmark = pytest.mark.django_db


def workbook_bytes(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite_sheet(data: bytes, change) -> bytes:
    """The same workbook with its first sheet's XML changed by `change`."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = change(body)
            target.writestr(info, body)
    return out.getvalue()


def refused(data: bytes) -> list[str]:
    with pytest.raises(spreadsheets.ImportRefused) as error:
        spreadsheets.read_table(SimpleUploadedFile("q3.xlsx", data))
    return error.value.problems


@pytest.mark.parametrize(
    "change",
    [
        lambda xml: xml[: len(xml) // 2],  # cut short
        lambda xml: xml.replace(b"<v>", b"<v>abc", 1).replace(b't="n"', b"", 1),
        lambda xml: xml.replace(b'<c r="A2"', b'<c r="A2" t="d"', 1).replace(b"<v>", b"<v>notadate", 1),
    ],
    ids=["truncated", "text-in-a-number", "not-a-date"],
)
def test_a_damaged_sheet_is_refused_as_not_a_workbook(change):
    data = rewrite_sheet(workbook_bytes([spreadsheets.HEADERS, ["leads", "3", "", 41]]), change)
    assert refused(data) == [spreadsheets.NOT_A_WORKBOOK]


def test_a_sheet_claiming_every_column_is_read_only_as_far_as_the_limit():
    def claim_every_column(xml: bytes) -> bytes:
        assert b'ref="A1:K6"' in xml
        return xml.replace(b'ref="A1:K6"', b'ref="A1:XFD1000"')

    data = rewrite_sheet(workbook_bytes([spreadsheets.HEADERS, *[["leads"]] * 5]), claim_every_column)
    table = spreadsheets.read_table(SimpleUploadedFile("q3.xlsx", data))
    assert len(table) == 6
    assert all(len(row) <= spreadsheets.MAX_COLUMNS for row in table)
