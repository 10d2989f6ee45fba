"""A quarter's returns as CSV or XLSX in the same columns, and back again.

The import validates every row with the same form officers use on screen, lists every bad row with
its reason, and saves nothing unless all rows are good.
"""

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from openpyxl import Workbook, load_workbook

from .forms import QuarterlyReturnForm
from .models import Deliverable, Mou, QuarterlyReturn

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
]
HEADERS = [label for _, label in COLUMNS]
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


def export_rows(mou: Mou, quarter: int) -> list[list[str]]:
    """One row per deliverable, its return for the quarter filled in where there is one."""
    deliverables = (
        Deliverable.objects.filter(theme__mou=mou)
        .select_related("theme")
        .prefetch_related("returns")
        .order_by("theme__order", "order")
    )
    rows = []
    for d in deliverables:
        r = next((x for x in d.returns.all() if x.quarter == quarter), None) or QuarterlyReturn()
        met = "" if r.milestone_met is None else ("yes" if r.milestone_met else "no")
        figure = "" if r.figure is None else f"{r.figure.normalize():f}"
        rows.append([
            d.theme.key, d.reference, d.target_label, figure, "yes" if r.not_applicable else "",
            met, r.narrative, r.rag, r.commentary, r.correction_reason,
        ])  # fmt: skip
    return rows


def to_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets Excel read it as UTF-8


def to_xlsx(rows: list[list[str]], title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class ImportRefused(Exception):
    """The file has bad rows: nothing was saved."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def read_table(upload) -> list[list[str]]:
    """Rows of a CSV or XLSX upload as strings, header row included."""
    name = upload.name.lower()
    data = upload.read()
    if name.endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
            raise ImportRefused(["The file could not be read as an Excel workbook."]) from error
        return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    if name.endswith(".csv"):
        try:
            return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        except UnicodeDecodeError as error:
            raise ImportRefused(["The CSV file is not UTF-8 text."]) from error
    raise ImportRefused(["Upload the quarter as a .csv or .xlsx file, in the columns of the download."])


@dataclass
class ParsedRow:
    line: int
    deliverable: Deliverable
    form: QuarterlyReturnForm


def _form_data(values: dict[str, str]) -> dict[str, str]:
    data = {k: values.get(k, "").strip() for k in ("figure", "narrative", "commentary", "correction_reason")}
    data["rag"] = values.get("rag", "").strip().lower()
    if values.get("not_applicable", "").strip().lower() in YES:
        data["not_applicable"] = "on"
    met = values.get("milestone_met", "").strip().lower()
    data["milestone_met"] = "true" if met in YES else "false" if met in NO else "unknown"
    return data


def parse_rows(mou: Mou, quarter: int, table: list[list[str]], user=None) -> list[ParsedRow]:
    """Check the header and every row; raise ImportRefused listing every problem found."""
    if not table or [cell.strip() for cell in table[0][: len(HEADERS)]] != HEADERS:
        raise ImportRefused([f"The first row must be the column headings: {', '.join(HEADERS)}."])
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
        deliverable = deliverables.get(key)
        if deliverable is None:
            problems.append(
                f"Row {line}: there is no deliverable {key[1] or '(blank)'} in theme {key[0] or '(blank)'}."
            )
            continue
        if key in seen:
            problems.append(f"Row {line}: deliverable {key[1]} of {key[0]} appears twice.")
            continue
        seen.add(key)
        existing = next((r for r in deliverable.returns.all() if r.quarter == quarter), None)
        instance = existing or QuarterlyReturn(deliverable=deliverable, quarter=quarter)
        form = QuarterlyReturnForm(_form_data(values), instance=instance)
        problems.extend(row_problems(line, key, form, user))
        parsed.append(ParsedRow(line, deliverable, form))
    if problems:
        raise ImportRefused(problems)
    return parsed


def row_problems(line: int, key: tuple[str, str], form: QuarterlyReturnForm, user) -> list[str]:
    """Why one row of an upload cannot be saved: not the user's to change, locked, or invalid."""
    instance = form.instance
    if form.has_changed() and user is not None and not user.has_perm("mou.change_quarterlyreturn", instance):
        return [
            f"Row {line}: you do not lead deliverable {key[1]} of {key[0]}; its lead officer or an "
            "approver enters its return."
        ]
    if instance.is_locked and form.has_changed():
        return [f"Row {line}: the return for {key[1]} is approved and locked; reopen it first."]
    if form.is_valid():
        return []
    return [
        f"Row {line} ({key[1]}, {'row' if field == '__all__' else form.fields[field].label.lower()}): {error}"
        for field, errors in form.errors.items()
        for error in errors
    ]


@transaction.atomic
def import_quarter(*, mou: Mou, quarter: int, upload, by) -> int:
    """Import a quarter from an edited download: every row checked first, then all saved or none."""
    rows = parse_rows(mou, quarter, read_table(upload), user=by)
    saved = 0
    for row in rows:
        if row.form.instance.pk is None and not row.form.has_anything():
            continue
        record = row.form.save(commit=False)
        record.entered_by = by
        record.save()
        saved += 1
    return saved
