"""Importing a sheet, at once or in the background.

A sheet of up to LGABOARD_SHEET_ROWS_IN_REQUEST rows is checked and saved while the officer waits, as
it always was (a quarter's returns take well under a second). A longer one would keep the request
waiting for its checks, so `sheet_import_request` stores it in the private storage and asks a worker
(mou.tasks.import_sheet) to import it: `sheet_import_run` checks every row and saves all or nothing
through the same import as in the request, then records what became of it, and the file is deleted.
The officer watches the import's page, which refreshes itself until it is done.
"""

import logging

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from lgaboard.tasks import enqueue_with_transaction

from . import spreadsheets, year
from .models import Mou, SheetImport
from .spreadsheets import ImportRefused

logger = logging.getLogger(__name__)


def rows_below_headings(upload, kind: str) -> int:
    """How many rows a sheet has below its headings (reading it refuses a file too big, not a sheet,
    or holding formulas, at once); the upload is left ready to be read again."""
    headers = year.HEADERS if kind == SheetImport.Kind.DELIVERABLES else spreadsheets.HEADERS
    table = spreadsheets.read_table(upload, headers)
    upload.seek(0)
    return sum(1 for cells in table[1:] if any(cell.strip() for cell in cells))


def in_the_background(rows: int) -> bool:
    return rows > settings.LGABOARD_SHEET_ROWS_IN_REQUEST


def sheet_import_request(*, kind: str, mou: Mou, upload, by, quarter: int | None = None) -> SheetImport:
    """Keep the sheet and ask a worker to import it. Checked at once: the file itself (size, kind,
    formulas) and, for deliverables, that `by` may run the MoU and that it is a draft."""
    if kind == SheetImport.Kind.DELIVERABLES:
        year.check_may_import(mou=mou, by=by)
    rows = rows_below_headings(upload, kind)
    with transaction.atomic():
        record = SheetImport.objects.create(
            mou=mou, kind=kind, quarter=quarter, filename=upload.name[:255], rows=rows,
            requested_by=by, requested_at=timezone.now(),
        )  # fmt: skip
        extension = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
        record.file.save(f"{record.pk}{extension}", ContentFile(upload.read()), save=True)
        from . import tasks  # the task calls this module

        enqueue_with_transaction(tasks.import_sheet, record.pk)
    return record


def sheet_import_run(*, import_id: int) -> SheetImport:
    """The worker's part: import the kept sheet all or nothing, as the request would have, and record
    the outcome or every problem; the kept file is then deleted."""
    record = SheetImport.objects.select_related("mou", "requested_by").get(pk=import_id)
    if record.status != SheetImport.Status.QUEUED:
        return record  # already run (a task delivered twice), or given up as timed out
    record.status, record.started_at = SheetImport.Status.RUNNING, timezone.now()
    record.save(update_fields=["status", "started_at"])
    try:
        record.outcome = import_kept_sheet(record)
        record.status = SheetImport.Status.DONE
    except ImportRefused as refused:
        record.status, record.problems = SheetImport.Status.FAILED, refused.problems
    except PermissionDenied as refused:
        record.status, record.problems = SheetImport.Status.FAILED, [str(refused)]
    except Exception as error:
        logger.exception("%s failed", record)
        record.status = SheetImport.Status.FAILED
        record.problems = [
            f"The sheet could not be imported ({type(error).__name__}). Nothing was saved. Try again, and if "
            "it fails again, tell the portal's administrators."
        ]
    record.finished_at = timezone.now()
    record.file.delete(save=False)
    record.save(update_fields=["status", "outcome", "problems", "finished_at", "file"])
    return record


def import_kept_sheet(record: SheetImport) -> str:
    """What was imported, said as the import screen says it."""
    by, upload = record.requested_by, record.file
    if by is None:
        raise PermissionDenied("The account that asked for this import no longer exists.")
    if record.kind == SheetImport.Kind.RETURNS:
        saved = spreadsheets.import_quarter(mou=record.mou, quarter=record.quarter, upload=upload, by=by)
        return spreadsheets.describe_quarter_import(saved).capitalize()
    result = year.import_deliverables(mou=record.mou, upload=upload, by=by)
    done = year.describe_import(result)
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[record.mou],
        action_flag=CHANGE,
        change_message=f"Deliverables imported: {done}.",
    )
    return f"{done}."
