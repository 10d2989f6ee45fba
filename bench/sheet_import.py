"""Benchmark: importing a long sheet of quarterly returns, in the request against in the background.

Run by hand after `make demo` (it reads the demo database and changes nothing in it: everything is
made and imported inside a transaction that is rolled back):
    .venv/bin/python bench/sheet_import.py [rows, default 999: with its headings, the most a sheet may have]
A draft MoU of `rows` additive deliverables is made, and a CSV with a figure, words and a traffic
light for each, as an officer uploads it. Prints the wall and CPU time of the import as the request
made it before (spreadsheets.import_quarter: every row checked, all saved), of the request's part
now (the file read and kept, the task queued: sheet_imports.sheet_import_request), and of the
worker's part (sheet_imports.sheet_import_run).
"""

import csv
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lgaboard.settings.dev")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import override_settings  # noqa: E402

from mou import sheet_imports, spreadsheets  # noqa: E402
from mou.models import Deliverable, Mou, SheetImport, Theme  # noqa: E402


class RolledBack(Exception):
    pass


def timed(label, work):
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    print(f"{label}: {time.perf_counter() - wall:.2f} s wall, {time.process_time() - cpu:.2f} s CPU")
    return result


def sheet(mou: Mou, rows: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(spreadsheets.HEADERS)
    for number in range(1, rows + 1):
        row = [
            "bench",
            str(number),
            "at least 10 councils",
            "7",
            "",
            "",
            f"{number} councils supported",
            "green",
        ]
        writer.writerow([*row, "", "", ""])
    return buffer.getvalue().encode()


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("q1-returns.csv", content, content_type="text/csv")


def main(rows: int) -> None:
    by = get_user_model().objects.get(username="approver")  # may enter any return
    try:
        with transaction.atomic():
            mou = Mou.objects.create(start_year=2099, title="Benchmark", draft=True)
            theme = Theme.objects.create(mou=mou, key="bench", order=1, title="Benchmark")
            Deliverable.objects.bulk_create(
                Deliverable(
                    theme=theme, reference=str(n), order=n, commitment="Support councils.", target=10,
                    comparator="at_least", unit="councils", rule="additive",
                )
                for n in range(1, rows + 1)
            )  # fmt: skip
            content = sheet(mou, rows)
            print(f"{rows} rows, {len(content) / 1024:.0f} KiB")
            with transaction.atomic():
                saved = timed(
                    "in the request, as before (checked and saved)",
                    lambda: spreadsheets.import_quarter(mou=mou, quarter=1, upload=upload(content), by=by),
                )
                assert saved == rows, saved
                transaction.set_rollback(True)
            queue = {
                "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}
            }
            with override_settings(TASKS=queue):

                def request_part():
                    sheet_upload = upload(content)
                    rows_read = sheet_imports.rows_below_headings(sheet_upload, SheetImport.Kind.RETURNS)
                    return sheet_imports.sheet_import_request(
                        kind=SheetImport.Kind.RETURNS, mou=mou, quarter=1, upload=sheet_upload, by=by,
                        rows=rows_read,
                    )  # fmt: skip

                record = timed("the request's part now (read, kept, queued)", request_part)
            record = timed("the worker's part", lambda: sheet_imports.sheet_import_run(import_id=record.pk))
            print(f"worker: {record.status}, {record.outcome or record.problems[:3]}")
            raise RolledBack
    except RolledBack:
        pass


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else spreadsheets.MAX_ROWS - 1)  # and the headings
