"""A quarter downloads as CSV and XLSX in the same columns and uploads back; one bad row saves nothing."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from mou.models import QuarterlyReturn
from mou.spreadsheets import HEADERS

pytestmark = pytest.mark.django_db


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def upload(staff_client, mou, quarter, rows, name="q.csv"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    file = SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"))
    url = f"/admin/mou/mou/{mou.pk}/quarter/{quarter}/import/"
    return staff_client.post(url, {"file": file}, follow=True).content.decode()


def test_csv_and_xlsx_downloads_have_the_same_columns_and_rows(client, mou):
    from_csv = csv_rows(client.get("/mou/2030-31/q2-returns.csv").content)
    workbook = load_workbook(io.BytesIO(client.get("/mou/2030-31/q2-returns.xlsx").content))
    from_xlsx = [
        ["" if v is None else str(v) for v in row] for row in workbook.active.iter_rows(values_only=True)
    ]
    assert from_csv[0] == HEADERS
    assert from_csv == from_xlsx
    assert from_csv[1][:4] == ["peer", "1", "at least 30 peer challenges", "9"]
    assert from_csv[2][:8] == ["leads", "3", "at least 60 councils", "41", "", "", "41 councils", "red"]


def test_an_edited_download_uploads_back(staff_client, client, mou):
    rows = csv_rows(client.get("/mou/2030-31/q3-returns.csv").content)
    rows[1][3:8] = ["8", "", "", "8 delivered", "green"]
    rows[2][3:8] = ["50", "", "", "50 councils", "amber"]
    html = upload(staff_client, mou, 3, rows)
    assert "Q3: 2 returns imported." in html
    assert (
        QuarterlyReturn.objects.get(deliverable__theme__mou=mou, deliverable__reference="3", quarter=3).figure
        == 50
    )
    assert "50 councils" in client.get("/mou/2030-31/q3/").content.decode()


def test_one_bad_row_saves_nothing_and_every_problem_is_listed(staff_client, client, mou):
    rows = csv_rows(client.get("/mou/2030-31/q3-returns.csv").content)
    rows[1][3:8] = ["8", "", "", "8 delivered", "green"]  # good
    rows[2][3:8] = ["-5", "", "", "", "purple"]  # negative figure, unknown traffic light
    rows.append(["leads", "99", "", "1", "", "", "", "green", "", ""])  # no such deliverable
    html = upload(staff_client, mou, 3, rows)
    assert "Nothing was imported" in html
    assert "Row 3 (3, figure): A figure cannot be negative." in html
    assert (
        "Row 3 (3, traffic light): Select a valid choice. purple is not one of the available choices." in html
    )
    assert "Row 5: there is no deliverable 99 in theme leads." in html
    assert not QuarterlyReturn.objects.filter(deliverable__theme__mou=mou, quarter=3).exists()


def test_a_file_with_the_wrong_columns_or_type_is_refused(staff_client, mou):
    assert "The first row must be the column headings" in upload(
        staff_client, mou, 3, [["a", "b"], ["1", "2"]]
    )
    assert "Upload the quarter as a .csv or .xlsx file" in upload(
        staff_client, mou, 3, [HEADERS], name="q.txt"
    )
    html = upload(staff_client, mou, 3, [HEADERS], name="q.xlsx")
    assert "could not be read as an Excel workbook" in html


def test_an_officer_uploading_rows_for_deliverables_they_do_not_lead_is_refused(
    client, mou, django_user_model
):
    from django.contrib.auth.models import Group
    from django.test import Client

    from meetings.models import Person
    from mou.models import Deliverable

    officer = django_user_model.objects.create_user("officer-upload", is_staff=True)
    officer.groups.add(Group.objects.get(name="Officers"))
    person = Person.objects.create(slug="upload-officer", first_name="Una", last_name="Officer", user=officer)
    Deliverable.objects.filter(theme__mou=mou, reference="3").update(lead_officer=person)
    signed_in = Client()
    signed_in.force_login(officer)

    rows = csv_rows(client.get("/mou/2030-31/q3-returns.csv").content)
    rows[1][3:8] = ["8", "", "", "8 delivered", "green"]  # peer 1: not hers
    rows[2][3:8] = ["50", "", "", "50 councils", "amber"]  # leads 3: hers
    html = upload(signed_in, mou, 3, rows)
    assert "Row 2: you do not lead deliverable 1 of peer" in html
    assert not QuarterlyReturn.objects.filter(deliverable__theme__mou=mou, quarter=3).exists()

    rows[1][3:8] = ["", "", "", "", ""]  # her own row only
    assert "Q3: 1 returns imported." in upload(signed_in, mou, 3, rows)
