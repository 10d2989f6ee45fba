"""A quarter's returns as CSV or XLSX in the same columns, and back again.

The import validates every row with the same form officers use on screen, lists every bad row with
its reason, and saves nothing unless all rows are good. It compares each row with what is stored and
saves only the returns that differ, so a download uploaded back untouched changes nothing. Text in
a download can never run as a formula, and formulas in an upload are refused, not read as blank.
The public's download holds approved returns only ("Not yet reported" otherwise); staff download
every return, drafts too, and either uploads back as no change.
"""

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from lgaboard import csv_export
from lgaboard.csv_export import FORMULA_STARTS, csv_text

from .forms import CONTROL_CHARACTERS, TEXT_LIMIT, QuarterlyReturnForm
from .models import Deliverable, Mou, QuarterlyReturn
from .permissions import sees_unapproved_returns
from .selectors import visible_returns

COLUMNS = [
    ("theme", "Theme"),
    ("reference", "Deliverable"),
    ("target", "Target"),
    ("figure", "Figure"),
    ("not_applicable", "n/a"),
    ("milestone_met", "Milestone met"),
    ("narrative", "What have we delivered"),
    ("rag", "Traffic light"),
    ("commentary", "Commentary/forecast"),
    ("correction_reason", "Correction reason"),
    ("highlight", "Highlight"),
]
HEADERS = [label for _, label in COLUMNS]
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
UNKNOWN = {"", "unknown"}

# An upload beyond these is refused with the reason, before it can tie up the server. A quarter has
# one row per deliverable (well under a hundred) in the columns above.
MB = 1024 * 1024
MAX_UPLOAD_BYTES = 5 * MB
MAX_UNZIPPED_BYTES = 25 * MB  # what an .xlsx (a zip) may unpack to
MAX_ROWS = 1_000
MAX_COLUMNS = 30
READ_COLUMNS = 256  # how far along a row a workbook is read, to find anything beyond MAX_COLUMNS
UPLOAD_LIMITS = (
    f"A file may be up to {MAX_UPLOAD_BYTES // MB} MB with {MAX_ROWS:,} rows and {MAX_COLUMNS} columns, "
    f"and each text up to {TEXT_LIMIT:,} characters. Type values, not formulas."
)
NOT_A_WORKBOOK = "The file could not be read as an Excel workbook."
# What the public's download says of a return it may not show (a draft or submitted one, or none).
NOT_YET_REPORTED = "Not yet reported"


def export_rows(mou: Mou, quarter: int, *, user=None) -> list[list[str | Decimal | None]]:
    """One row per deliverable, its return for the quarter filled in where `user` may read one.
    Signed-in staff get every return, drafts too, so what an officer downloads uploads back as it
    is. The public (no user) get approved returns only; any other row is blank but for "Not yet
    reported" as its narrative, which the import reads as no change, never as a narrative."""
    gap = QuarterlyReturn() if sees_unapproved_returns(user) else QuarterlyReturn(narrative=NOT_YET_REPORTED)
    deliverables = (
        Deliverable.objects.filter(theme__mou=mou)
        .select_related("theme")
        .prefetch_related(Prefetch("returns", queryset=visible_returns(user)))
        .order_by("theme__order", "order")
    )
    rows = []
    for d in deliverables:
        r = next((x for x in d.returns.all() if x.quarter == quarter), None) or gap
        met = "" if r.milestone_met is None else ("yes" if r.milestone_met else "no")
        rows.append([
            d.theme.key, d.reference, d.target_label, r.figure, "yes" if r.not_applicable else "",
            met, r.narrative, r.rag, r.commentary, r.correction_reason, r.highlight,
        ])  # fmt: skip
    return rows


def export_cell(value: str | Decimal | None, sheet=None):
    """One cell of a download: for a CSV (no sheet) its text, for a workbook's sheet a cell. A figure
    stays a number. Text can never run as a formula: in a CSV a leading ' disarms it (the core's
    `csv_text`, undone on upload), in a workbook the cell is typed as a string."""
    if sheet is None:
        return csv_text(value)
    if isinstance(value, Decimal):
        number = value.normalize()
        return WriteOnlyCell(sheet, int(number) if number == number.to_integral_value() else float(number))
    text = value or ""
    cell = WriteOnlyCell(sheet, CONTROL_CHARACTERS.sub("", text) or None)  # a workbook cannot hold them
    if cell.value is not None:
        cell.data_type = "s"  # openpyxl would make "=…" a formula
    return cell


def to_csv(rows: list[list[str | Decimal | None]], headers: list[str] = HEADERS) -> bytes:
    """A sheet (the quarter's returns, or another's `headers`) as CSV (UTF-8 with a BOM, no formulas)."""
    return csv_export.to_csv(rows, headers)


def to_xlsx(rows: list[list[str | Decimal | None]], title: str, headers: list[str] = HEADERS) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for row in [headers, *rows]:
        sheet.append([export_cell(value, sheet) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class ImportRefused(Exception):
    """The file has bad rows: nothing was saved."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def read_table(upload, headers: list[str] = HEADERS) -> list[list[str]]:
    """Rows of a CSV or XLSX upload as text, header row included. A file too big, unreadable or
    holding formulas is refused with the reason, naming the row (and column, from `headers`)."""
    name = upload.name.lower()
    if not name.endswith((".csv", ".xlsx")):
        raise ImportRefused(["Upload the quarter as a .csv or .xlsx file, in the columns of the download."])
    if upload.size > MAX_UPLOAD_BYTES:
        raise ImportRefused([
            f"The file is {upload.size / MB:.1f} MB; the largest accepted is {MAX_UPLOAD_BYTES // MB} MB, "
            "far more than a quarter's returns need. Upload the quarter's rows only."
        ])  # fmt: skip
    data = upload.read()
    return _xlsx_table(data, headers) if name.endswith(".xlsx") else _csv_table(data)


def _csv_table(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(["The CSV file is not UTF-8 text."]) from error
    table = []
    try:
        return _collect(
            ([_unprotect(cell) for cell in cells] for cells in csv.reader(io.StringIO(text))), table
        )
    except csv.Error as error:
        raise ImportRefused([f"Row {len(table) + 1}: {_csv_problem(error)}"]) from error


def _csv_problem(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return (
            f"a cell is far longer than any return needs (a text may have up to {TEXT_LIMIT:,} "
            "characters), so the file was not read."
        )
    return f"the CSV file could not be read ({error})."


def _unprotect(text: str) -> str:
    """Undo the ' the download puts before text a spreadsheet would run as a formula."""
    return text[1:] if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS) else text


def _xlsx_table(data: bytes, headers: list[str]) -> list[list[str]]:
    _check_unzipped_size(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True)  # not data_only: formulas show
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportRefused([NOT_A_WORKBOOK]) from error
    formulas = []
    try:
        # Bounded: a sheet claiming 16,384 columns or a million rows is not read cell by cell (only as
        # far as old Excel's 256 columns, enough to find something beyond the download's). Read-only
        # workbooks parse the sheet lazily, so a damaged sheet fails here, not in load_workbook().
        rows = workbook.active.iter_rows(max_row=MAX_ROWS + 2, max_col=READ_COLUMNS)
        table = _collect((_xlsx_row(line, row, formulas, headers) for line, row in enumerate(rows, 1)), [])
    except ImportRefused:
        raise
    except Exception as error:  # a damaged sheet: openpyxl raises many kinds
        raise ImportRefused([NOT_A_WORKBOOK]) from error
    finally:
        workbook.close()
    if formulas:
        raise ImportRefused(formulas)
    return table


def _check_unzipped_size(data: bytes) -> None:
    try:
        size = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except zipfile.BadZipFile as error:
        raise ImportRefused([NOT_A_WORKBOOK]) from error
    if size > MAX_UNZIPPED_BYTES:
        raise ImportRefused([
            f"The workbook unpacks to {size / MB:.0f} MB; the most accepted is "
            f"{MAX_UNZIPPED_BYTES // MB} MB, far more than a quarter's returns need. "
            "Upload the quarter's rows only."
        ])  # fmt: skip


def _xlsx_row(line: int, cells, formulas: list[str], headers: list[str]) -> list[str]:
    """A workbook row as text; a formula is noted as a problem (its result may not be in the file)."""
    row = []
    for index, cell in enumerate(cells):
        if cell.data_type == "f":
            formula = str(getattr(cell.value, "text", cell.value))  # an array formula keeps it in .text
            formula = formula if len(formula) <= 60 else f"{formula[:59]}…"
            formulas.append(
                f"Row {line}, column {_column_name(index, headers)}: this cell holds a formula ({formula}); "
                "type the value instead."
            )
        row.append(_cell_text(cell.value))
    return row


def _column_name(index: int, headers: list[str]) -> str:
    return headers[index] if index < len(headers) else get_column_letter(index + 1)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 31, not 31.0
    return str(value)


def _collect(rows: Iterable[list[str]], table: list[list[str]]) -> list[list[str]]:
    """Append rows to the table, refusing a file beyond the row and column limits."""
    for cells in rows:
        if any(cell.strip() for cell in cells[MAX_COLUMNS:]):
            raise ImportRefused([
                f"Row {len(table) + 1}: there is something beyond column {MAX_COLUMNS}; keep to the "
                "columns of the download."
            ])  # fmt: skip
        if len(table) >= MAX_ROWS:
            raise ImportRefused([
                f"The file has more than {MAX_ROWS:,} rows; a quarter has one row per deliverable. "
                "Delete the rows below the returns (they may look empty) and upload it again."
            ])  # fmt: skip
        table.append(cells[:MAX_COLUMNS])
    return table


@dataclass
class ParsedRow:
    line: int
    deliverable: Deliverable
    form: QuarterlyReturnForm


def _word(values: dict[str, str], key: str) -> str:
    return values.get(key, "").strip().lower()


def _form_data(values: dict[str, str]) -> dict[str, str]:
    data = {k: values.get(k, "") for k in ("narrative", "commentary", "correction_reason", "highlight")}
    data["figure"] = values.get("figure", "").strip()
    data["rag"] = _word(values, "rag")
    if _word(values, "not_applicable") in YES:
        data["not_applicable"] = "on"
    met = _word(values, "milestone_met")
    data["milestone_met"] = "true" if met in YES else "false" if met in NO else "unknown"
    return data


def _word_problems(line: int, key: tuple[str, str], values: dict[str, str]) -> list[str]:
    """The yes/no columns take only words the import understands; a typo is not read as blank."""
    problems = []
    if _word(values, "not_applicable") not in YES | NO | {""}:
        problems.append(f"Row {line} ({key[1]}, n/a): write yes, or leave it blank.")
    if _word(values, "milestone_met") not in YES | NO | UNKNOWN:
        problems.append(f"Row {line} ({key[1]}, milestone met): write yes or no, or leave it blank.")
    return problems


def check_headings(table: list[list[str]], headers: list[str] = HEADERS) -> None:
    """The first row must be the download's column headings (a sheet's own `headers`)."""
    if not table or [cell.strip() for cell in table[0][: len(headers)]] != headers:
        raise ImportRefused([f"The first row must be the column headings: {', '.join(headers)}."])


def _key_problem(line: int, key: tuple[str, str], deliverables: dict, seen: set) -> str | None:
    if key not in deliverables:
        return f"Row {line}: there is no deliverable {key[1] or '(blank)'} in theme {key[0] or '(blank)'}."
    if key in seen:
        return f"Row {line}: deliverable {key[1]} of {key[0]} appears twice."
    return None


def parse_rows(mou: Mou, quarter: int, table: list[list[str]], user=None) -> list[ParsedRow]:
    """Check the header and every row; raise ImportRefused listing every problem found. Returns the
    rows that differ from what is stored: a row the same as stored is no change, so it is neither
    checked against the user's rights or a lock, nor saved."""
    check_headings(table)
    deliverables = {
        (d.theme.key, d.reference): d
        for d in Deliverable.objects.filter(theme__mou=mou)
        .select_related("theme")
        .prefetch_related("returns")
    }
    parsed, problems, seen = [], [], set()
    for line, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = dict(zip([key for key, _ in COLUMNS], cells, strict=False))
        key = (values.get("theme", "").strip(), values.get("reference", "").strip())
        problem = _key_problem(line, key, deliverables, seen)
        if problem:
            problems.append(problem)
            continue
        seen.add(key)
        if _not_yet_reported(values):
            continue  # as the public download gave it: the return it could not show stays as stored
        problems.extend(_word_problems(line, key, values))
        row = _parsed_row(line, deliverables[key], quarter, values)
        if row.form.has_changed():
            problems.extend(row_problems(line, key, row.form, user))
            parsed.append(row)
    if problems:
        raise ImportRefused(problems)
    return parsed


def _not_yet_reported(values: dict[str, str]) -> bool:
    """The row is the public download's "Not yet reported" and nothing else."""
    entered = [values.get(key, "").strip() for key, _ in COLUMNS[3:] if key != "narrative"]
    return values.get("narrative", "").strip() == NOT_YET_REPORTED and not any(entered)


def _parsed_row(line: int, deliverable: Deliverable, quarter: int, values: dict[str, str]) -> ParsedRow:
    existing = next((r for r in deliverable.returns.all() if r.quarter == quarter), None)
    instance = existing or QuarterlyReturn(deliverable=deliverable, quarter=quarter)
    return ParsedRow(line, deliverable, QuarterlyReturnForm(_form_data(values), instance=instance))


def row_problems(line: int, key: tuple[str, str], form: QuarterlyReturnForm, user) -> list[str]:
    """Why a row that changes a return cannot be saved: not the user's to change, locked, or invalid."""
    instance = form.instance
    if user is not None and not user.has_perm("mou.change_quarterlyreturn", instance):
        return [
            f"Row {line}: you do not lead deliverable {key[1]} of {key[0]}; its lead officer or an "
            "approver enters its return."
        ]
    if instance.is_locked:
        return [f"Row {line}: the return for {key[1]} is approved and locked; reopen it first."]
    if form.data.get("narrative", "").strip() == NOT_YET_REPORTED != instance.narrative.strip():
        return [
            f"Row {line} ({key[1]}, what have we delivered): “{NOT_YET_REPORTED}” is what the public "
            "download shows for a return not yet approved; write what was delivered instead, or "
            "download the quarter signed in, which gives the returns as entered."
        ]
    if form.is_valid():
        return []
    return [
        f"Row {line} ({key[1]}, {'row' if field == '__all__' else form.fields[field].label.lower()}): {error}"
        for field, errors in form.errors.items()
        for error in errors
    ]


def describe_quarter_import(saved: int) -> str:
    """'2 returns imported.', '1 return imported.', or that nothing changed."""
    if not saved:
        return "no changes; 0 returns imported."
    return f"{saved} return{'s' if saved != 1 else ''} imported."


@transaction.atomic
def import_quarter(*, mou: Mou, quarter: int, upload, by) -> int:
    """Import a quarter from an edited download: every row checked first, then all saved or none.
    Only the returns that differ from what is stored are saved; returns how many were."""
    rows = parse_rows(mou, quarter, read_table(upload), user=by)
    for row in rows:
        record = row.form.save(commit=False)
        record.entered_by = by
        try:
            record.save()
        except ValidationError as error:  # saved, or approved, by someone else since it was read
            raise ImportRefused([f"Row {row.line}: {' '.join(error.messages)}"]) from error
    return len(rows)
