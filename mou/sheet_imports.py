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


def queued_if_long(*, kind: str, mou: Mou, upload, by, quarter: int | None = None) -> SheetImport | None:
    """A long sheet kept and queued for the worker (`sheet_import_request`); None for a short one,
    left for the request to import. Either way the file is read first, and refused at once if it
    is not a sheet one could import (ImportRefused)."""
    rows = rows_below_headings(upload, kind)
    if not in_the_background(rows):
        return None
    return sheet_import_request(kind=kind, mou=mou, upload=upload, by=by, rows=rows, quarter=quarter)


def sheet_import_request(
    *, kind: str, mou: Mou, upload, by, rows: int, quarter: int | None = None
) -> SheetImport:
    """Keep the sheet (already read: `rows_below_headings`) and ask a worker to import it. Checked
    at once, besides the file itself: for deliverables, that `by` may run the MoU and that it is a
    draft. The worker checks again who `by` is when it runs (`import_kept_sheet`)."""
    if kind == SheetImport.Kind.DELIVERABLES:
        year.check_may_import(mou=mou, by=by)
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


class TookTooLong(Exception):
    pass


def sheet_import_run(*, import_id: int) -> SheetImport:
    """The worker's part: import the kept sheet all or nothing, as the request would have, and record
    the outcome in the same transaction; or, refused, every problem. The kept file is then deleted.

    An import is claimed once (a task delivered twice runs once), and never after its page has said
    it took too long (SheetImport.TIMEOUT): one still waiting then is not started, and one still
    running then saves nothing, so that the officer, told to upload the file again, does not have
    it imported twice."""
    now = timezone.now()
    claimed = SheetImport.objects.filter(
        pk=import_id, status=SheetImport.Status.QUEUED, requested_at__gt=now - SheetImport.TIMEOUT
    ).update(status=SheetImport.Status.RUNNING, started_at=now)
    record = SheetImport.objects.select_related("mou", "requested_by").get(pk=import_id)
    if not claimed:
        if record.status == SheetImport.Status.QUEUED:  # waited past its time: its page says so
            finish(record, problems=[TOO_LONG])
        return record
    try:
        with transaction.atomic():
            outcome = import_kept_sheet(record)
            locked = SheetImport.objects.select_for_update().get(pk=record.pk)
            if timezone.now() - locked.started_at > SheetImport.TIMEOUT:
                raise TookTooLong
            finish(record, outcome=outcome)
    except ImportRefused as refused:
        finish(record, problems=refused.problems)
    except PermissionDenied as refused:
        finish(record, problems=[str(refused)])
    except TookTooLong:
        finish(record, problems=[TOO_LONG])
    except Exception as error:
        logger.exception("%s failed", record)
        finish(
            record,
            problems=[
                f"The sheet could not be imported ({type(error).__name__}). Nothing was saved. Try again, "
                "and if it fails again, tell the portal's administrators."
            ],
        )
    return record


TOO_LONG = "It took too long, and was stopped before anything was saved. Upload the file again."


def finish(record: SheetImport, *, outcome: str = "", problems: list[str] | None = None) -> None:
    """Record what became of the import (imported, or every problem) and delete the kept file."""
    record.status = SheetImport.Status.FAILED if problems else SheetImport.Status.DONE
    record.outcome, record.problems, record.finished_at = outcome, problems or [], timezone.now()
    if record.file:
        record.file.delete(save=False)
    record.save(update_fields=["status", "outcome", "problems", "finished_at", "file"])


def import_kept_sheet(record: SheetImport) -> str:
    """Import the kept sheet as its uploader, checked again now (an account closed, or no longer
    staff or allowed to enter returns, since the upload imports nothing). Returns what was
    imported, said as the import screen says it."""
    by, upload = record.requested_by, record.file
    if by is None or not (by.is_active and by.is_staff):
        raise PermissionDenied(
            "The account that uploaded this sheet can no longer import it. Nothing was saved."
        )
    if record.kind == SheetImport.Kind.RETURNS:
        if not by.has_perm("mou.change_quarterlyreturn"):
            raise PermissionDenied("The account that uploaded this sheet may no longer enter returns.")
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
