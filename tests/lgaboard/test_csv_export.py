"""The core's CSV: numbers stay numbers, dates read YYYY-MM-DD, and no text can run as a formula."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from lgaboard.csv_export import csv_response, csv_text, to_csv


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("110.00"), "110"),
        (Decimal("7900000.00"), "7900000"),  # not 7.9E+6
        (Decimal("2.50"), "2.5"),
        (28, "28"),
        (0, "0"),
        (None, ""),
        (datetime.date(2017, 11, 1), "2017-11-01"),
        ("31 peer challenges", "31 peer challenges"),
        ('=HYPERLINK("https://example.org","x")', '\'=HYPERLINK("https://example.org","x")'),
        ("+44 20 7664 3000", "'+44 20 7664 3000"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("'=1", "''=1"),  # already quoted: quoted again, so the upload's unquoting gives it back
    ],
)
def test_each_cell(value, text):
    assert csv_text(value) == text


def test_a_table_reads_back_as_utf8_with_its_headings():
    body = to_csv([["Cllr Judi Billing MBE", Decimal("31.00"), "=1+1"]], ["Name", "Figure", "Note"])
    assert body.startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(body.decode("utf-8-sig")))) == [
        ["Name", "Figure", "Note"],
        ["Cllr Judi Billing MBE", "31", "'=1+1"],
    ]


def test_the_response_is_an_attachment_named_as_asked():
    response = csv_response([["£10m – a grant"]], headers=["Grant"], filename="grant.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="grant.csv"'
    assert response.content.decode("utf-8-sig").splitlines()[1] == "£10m – a grant"
