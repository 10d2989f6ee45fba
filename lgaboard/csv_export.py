"""Downloads as CSV, one way for every app: UTF-8 with a byte order mark (without it Excel reads the
file in the computer's own code page, and "£" or "–" come out garbled), and no cell that a
spreadsheet program would run as a formula (OWASP "CSV injection"): text starting with one of
`FORMULA_STARTS` gets a leading ', which the MoU's upload removes again. Numbers stay numbers."""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse

# Spreadsheet programs run a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | Decimal | datetime.date | None


def csv_text(value: Cell) -> str:
    """One cell as CSV text: a Decimal without trailing zeros (110, not 110.00), a whole number as it
    is, a date as YYYY-MM-DD, nothing as blank, and text disarmed where it could run as a formula."""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = value or ""
    return f"'{text}" if text.lstrip("'").startswith(FORMULA_STARTS) else text


def to_csv(rows: Iterable[Sequence[Cell]], headers: Sequence[str]) -> bytes:
    """A table as CSV bytes, its headings first, every cell through `csv_text`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in [headers, *rows]:
        writer.writerow([csv_text(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets Excel read it as UTF-8


def csv_response(rows: Iterable[Sequence[Cell]], *, headers: Sequence[str], filename: str) -> HttpResponse:
    """A download of the table, saved as `filename`."""
    return HttpResponse(
        to_csv(rows, headers),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
