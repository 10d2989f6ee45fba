"""A sheet longer than LGABOARD_SHEET_ROWS_IN_REQUEST is imported by a worker (mou/sheet_imports.py):
the upload returns at once to the import's page, which refreshes itself until the worker has checked
every row and saved all or nothing, then says what was imported or lists every problem."""

import csv
import datetime
import io
import re
from html import unescape

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone

from mou import sheet_imports
from mou.admin import sheet_import_url
from mou.models import Deliverable, QuarterlyReturn, SheetImport
from tests.mou.test_spreadsheets import csv_rows
from tests.mou.test_year import BAD_ROW, GOOD_ROWS, current, draft, import_url, logins, sheet  # noqa: F401

pytestmark = pytest.mark.django_db

# A queue nobody works: the request's part alone, as on a server whose worker has not started yet.
QUEUED_ONLY = override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
)


@pytest.fixture(autouse=True)
def long_sheets(settings):
    """Any sheet of more than one row counts as long here."""
    settings.LGABOARD_SHEET_ROWS_IN_REQUEST = 1


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def post_quarter(client, mou, rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    file = SimpleUploadedFile("q3 returns.csv", buffer.getvalue().encode())
    return client.post(f"/admin/mou/mou/{mou.pk}/quarter/3/import/", {"file": file})


def edited_quarter(client, mou, *changes):
    rows = csv_rows(client.get("/mou/2030-31/q3-returns.csv").content)
    for line, values in changes:
        rows[line][3:8] = values
    return rows


def test_a_long_sheet_returns_at_once_to_its_page_which_says_what_the_worker_imported(
    staff_client, client, mou
):
    rows = edited_quarter(
        client, mou, (1, ["8", "", "", "8 delivered", "green"]), (2, ["50", "", "", "50 councils", "amber"])
    )
    response = post_quarter(staff_client, mou, rows)
    record = SheetImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/mou/mou/{mou.pk}/imports/{record.pk}/"
    page = text(staff_client.get(response["Location"]).content.decode())  # the worker ran (immediate backend)
    assert "Imported q3 returns.csv: 2 returns imported." in page
    assert "Go to the Q3 entry screen" in page
    assert 'http-equiv="refresh"' not in staff_client.get(response["Location"]).content.decode()
    saved = QuarterlyReturn.objects.get(deliverable__theme__mou=mou, deliverable__reference="3", quarter=3)
    assert saved.figure == 50
    assert (record.rows, record.status, record.requested_by.username) == (3, "done", "clerk-test")
    assert not record.file  # the kept file is deleted once imported
    assert not default_storage.listdir("sheet-imports")[1]


def test_a_long_sheet_with_a_bad_row_saves_nothing_and_its_page_lists_every_problem(
    staff_client, client, mou
):
    rows = edited_quarter(
        client, mou, (1, ["8", "", "", "8 delivered", "green"]), (2, ["-5", "", "", "", "purple"])
    )
    response = post_quarter(staff_client, mou, rows)
    page = text(staff_client.get(response["Location"]).content.decode())
    assert "Nothing imported" in page
    assert "q3 returns.csv: nothing was saved. Correct these 4 problems and upload the file again" in page
    assert "Row 3 (3, figure): A figure cannot be negative." in page
    assert (
        "Row 3 (3, traffic light): Select a valid choice. purple is not one of the available choices." in page
    )
    assert "Upload a corrected file" in page
    assert not QuarterlyReturn.objects.filter(deliverable__theme__mou=mou, quarter=3).exists()


def test_a_long_file_that_is_not_a_sheet_is_refused_at_once_and_nothing_is_kept(staff_client, mou):
    not_utf8 = "\n".join(["Theme,Deliverable"] + ["peer,1"] * 5).encode("utf-16")
    file = SimpleUploadedFile("q3 returns.csv", not_utf8)
    response = staff_client.post(f"/admin/mou/mou/{mou.pk}/quarter/3/import/", {"file": file})
    page = text(response.content.decode())
    assert response.status_code == 200
    assert "Nothing was imported" in page
    assert "The CSV file is not UTF-8 text." in page
    assert not SheetImport.objects.exists()


@QUEUED_ONLY
def test_while_it_waits_its_page_refreshes_itself_and_can_be_kept_still(staff_client, client, mou):
    rows = edited_quarter(
        client, mou, (1, ["8", "", "", "8 delivered", "green"]), (2, ["50", "", "", "50 councils", "amber"])
    )
    location = post_quarter(staff_client, mou, rows)["Location"]
    html = staff_client.get(location).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "Importing… q3 returns.csv (3 rows) is waiting for a worker to check it" in text(html)
    assert "Stop refreshing" in html
    still = staff_client.get(location + "?refresh=off").content.decode()
    assert 'http-equiv="refresh"' not in still
    assert "This page does not refresh itself." in text(still)
    assert not QuarterlyReturn.objects.filter(deliverable__theme__mou=mou, quarter=3).exists()

    record = SheetImport.objects.get()
    assert default_storage.exists(record.file.name)
    sheet_imports.sheet_import_run(import_id=record.pk)  # the worker
    assert "2 returns imported." in text(staff_client.get(location).content.decode())
    again = sheet_imports.sheet_import_run(import_id=record.pk)  # a task delivered twice
    assert again.status == "done"


@QUEUED_ONLY
def test_only_the_one_who_uploaded_it_sees_its_page(staff_client, client, mou, django_user_model):
    rows = edited_quarter(
        client, mou, (1, ["8", "", "", "8 delivered", "green"]), (2, ["50", "", "", "50 councils", "amber"])
    )
    location = post_quarter(staff_client, mou, rows)["Location"]
    other = Client()
    other.force_login(django_user_model.objects.create_user("other-officer", is_staff=True))
    assert other.get(location).status_code == 404
    assert Client().get(location).status_code == 302  # to sign in
    record = SheetImport.objects.get()
    assert staff_client.get(f"/admin/mou/mou/{mou.pk + 1}/imports/{record.pk}/").status_code == 404
    assert staff_client.get(f"/admin/mou/mou/{mou.pk}/imports/{2**63}/").status_code == 404


def test_a_long_deliverables_sheet_is_imported_by_a_worker(logins, draft):  # noqa: F811
    approver = logins["approver"]
    before = Deliverable.objects.filter(theme__mou=draft).count()
    response = approver.post(import_url(draft), {"file": sheet(*GOOD_ROWS, BAD_ROW)})
    page = text(approver.get(response["Location"]).content.decode())
    assert "Row 4 (23, row): An additive or cumulative deliverable needs a target and a comparator." in page
    assert Deliverable.objects.filter(theme__mou=draft).count() == before

    corrected = BAD_ROW.replace(",,,,councillors", ",,50,at least,councillors")
    response = approver.post(import_url(draft), {"file": sheet(*GOOD_ROWS, corrected)})
    page = text(approver.get(response["Location"]).content.decode())
    assert "deliverables.csv: 3 deliverables added, 0 updated, 1 themes added." in page
    assert Deliverable.objects.filter(theme__mou=draft).count() == before + 3


def queued(client, staff_client, mou) -> SheetImport:
    rows = edited_quarter(
        client, mou, (1, ["8", "", "", "8 delivered", "green"]), (2, ["50", "", "", "50 councils", "amber"])
    )
    with QUEUED_ONLY:
        post_quarter(staff_client, mou, rows)
    return SheetImport.objects.get()


def test_an_import_past_its_time_is_never_started_and_its_page_says_so(staff_client, client, mou):
    record = queued(client, staff_client, mou)
    SheetImport.objects.filter(pk=record.pk).update(requested_at=timezone.now() - SheetImport.TIMEOUT)
    page = text(staff_client.get(sheet_import_url(record)).content.decode())
    assert "Nothing imported: it took too long" in page
    assert "Upload the file again" in page
    record = sheet_imports.sheet_import_run(import_id=record.pk)  # the worker, late
    assert record.status == "failed"
    assert record.problems == [sheet_imports.TOO_LONG]
    assert not record.file
    assert not QuarterlyReturn.objects.filter(deliverable__theme__mou=mou, quarter=3).exists()


def test_an_import_that_runs_past_its_time_saves_nothing(staff_client, client, mou, monkeypatch):
    record = queued(client, staff_client, mou)
    import_the_rows = sheet_imports.import_kept_sheet

    def slow(kept):  # the rows are checked and saved, but by then the page has said it took too long
        outcome = import_the_rows(kept)
        long_ago = timezone.now() - SheetImport.TIMEOUT - datetime.timedelta(seconds=1)
        SheetImport.objects.filter(pk=kept.pk).update(started_at=long_ago)
        return outcome

    monkeypatch.setattr(sheet_imports, "import_kept_sheet", slow)
    record = sheet_imports.sheet_import_run(import_id=record.pk)
    assert (record.status, record.problems) == ("failed", [sheet_imports.TOO_LONG])
    assert not QuarterlyReturn.objects.filter(deliverable__theme__mou=mou, quarter=3).exists()


@pytest.mark.parametrize("change", ["closed", "not staff", "no longer enters returns", "deleted"])
def test_an_uploader_who_may_no_longer_import_imports_nothing(staff_client, client, mou, change):
    record = queued(client, staff_client, mou)
    user = record.requested_by
    if change == "closed":
        user.is_active = False
    elif change == "not staff":
        user.is_staff = False
    elif change == "no longer enters returns":
        user.is_superuser = False  # the test's clerk held the permission only as a superuser
    if change == "deleted":
        user.delete()
    else:
        user.save()
    record = sheet_imports.sheet_import_run(import_id=record.pk)
    assert record.status == "failed"
    assert "Nothing was saved" in record.problems[0] or "may no longer enter returns" in record.problems[0]
    assert not record.file
    assert not QuarterlyReturn.objects.filter(deliverable__theme__mou=mou, quarter=3).exists()


def test_a_task_delivered_twice_at_once_is_claimed_once(staff_client, client, mou):
    record = queued(client, staff_client, mou)
    first = sheet_imports.sheet_import_run(import_id=record.pk)
    second = sheet_imports.sheet_import_run(import_id=record.pk)
    assert (first.status, second.status) == ("done", "done")
    assert second.outcome == "2 returns imported."
