"""The admin as a clerk uses it: pages by their content, bad input by its message, nothing half-saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import AgendaItem, Annex, Meeting, Membership
from tests import factories
from tests.meetings.test_models import pdf_bytes

pytestmark = pytest.mark.django_db


def inline_management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/admin/meetings/meeting/", "Improvement and Innovation Board – 1 November 2017"),
        ("/admin/meetings/board/", "Improvement and Innovation Board"),
        ("/admin/meetings/boardyear/", "Improvement and Innovation Board 2017/18"),
        ("/admin/meetings/membership/?q=Bettison", "Cllr Paul Bettison OBE"),
        ("/admin/meetings/report/?q=AnalyticsCambridge", "Data and transparency programme"),
        ("/admin/meetings/venue/", "Westminster Room, 8th Floor"),
        ("/admin/meetings/person/?q=Skinner", "Head of Improvement"),
    ],
)
def test_clerk_finds_things_in_the_admin(staff_client, url, expected):
    response = staff_client.get(url)
    assert expected in response.content.decode()


def test_meeting_change_page_has_items_inline(staff_client, november_meeting):
    html = staff_client.get(f"/admin/meetings/meeting/{november_meeting.pk}/change/").content.decode()
    assert "Priorities and work programme" in html
    assert "Edit item and report" in html


def test_the_same_item_number_twice_is_refused_and_nothing_is_saved(staff_client):
    meeting = factories.MeetingFactory(status=Meeting.Status.DRAFT)
    data = {
        "board_year": meeting.board_year.pk,
        "date": "2017-12-01",
        "start_time": "11:00",
        "venue": meeting.venue.pk,
        **inline_management("items", 2),
        "items-0-number": "1",
        "items-0-title": "Welcome",
        "items-0-kind": "paper",
        "items-1-number": "1",
        "items-1-title": "Finance",
        "items-1-kind": "paper",
    }
    response = staff_client.post(f"/admin/meetings/meeting/{meeting.pk}/change/", data)
    assert response.status_code == 200
    assert "Please correct the duplicate data for number" in response.content.decode()
    meeting.refresh_from_db()
    assert str(meeting.date) != "2017-12-01"
    assert AgendaItem.objects.filter(meeting=meeting).count() == 0


def test_the_same_person_twice_in_a_board_year_is_refused(staff_client):
    year = factories.BoardYearFactory()
    person = factories.PersonFactory()
    group = factories.PoliticalGroupFactory()
    data = {
        "board": year.board.pk,
        "start_year": year.start_year,
        "quorum_numerator": 1,
        "quorum_denominator": 3,
        "quorum_min_groups": 2,
        **inline_management("seats", 0),
        **inline_management("memberships", 2),
    }
    for i in range(2):
        data |= {
            f"memberships-{i}-person": person.pk,
            f"memberships-{i}-group": group.pk,
            f"memberships-{i}-role": "member",
            f"memberships-{i}-order": i,
        }
    response = staff_client.post(f"/admin/meetings/boardyear/{year.pk}/change/", data)
    assert "Please correct the duplicate data for person" in response.content.decode()
    assert Membership.objects.filter(board_year=year).count() == 0


def test_a_file_that_is_not_a_pdf_is_refused_as_an_annex(staff_client):
    report = factories.ReportFactory()
    data = {
        "item": report.item.pk,
        "title": "",
        "for_discussion": "on",
        "summary": "S",
        "body": "B",
        **inline_management("recommendations", 0),
        **inline_management("contacts", 0),
        **inline_management("annexes", 1),
        "annexes-0-letter": "A",
        "annexes-0-title": "Slides",
        "annexes-0-on_agenda": "on",
        "annexes-0-content": "",
        "annexes-0-pdf": SimpleUploadedFile("slides.pdf", b"<html>not a pdf</html>", "application/pdf"),
    }
    response = staff_client.post(f"/admin/meetings/report/{report.pk}/change/", data)
    assert "This file is not a PDF: choose a PDF document." in response.content.decode()
    assert not Annex.objects.filter(report=report).exists()


def test_a_pdf_annex_is_accepted_and_served_through_the_portal(staff_client, client):
    report = factories.ReportFactory()
    Annex.objects.create(
        report=report, letter="A", title="Slides", pdf=SimpleUploadedFile("slides.pdf", pdf_bytes(2))
    )
    item = report.item
    url = f"{item.get_absolute_url()}annex-a.pdf"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    page = client.get(item.meeting.get_absolute_url()).content.decode()
    assert f'href="{url}"' in page


def test_publishing_from_the_admin_names_what_is_missing(staff_client):
    meeting = factories.MeetingFactory(status=Meeting.Status.DRAFT, venue=None)
    factories.ReportFactory(item__meeting=meeting)
    response = staff_client.post(
        "/admin/meetings/meeting/",
        {"action": "publish", "_selected_action": [meeting.pk]},
        follow=True,
    )
    assert "was not published: The meeting has no venue." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT


def test_publishing_from_the_admin(staff_client):
    meeting = factories.MeetingFactory(status=Meeting.Status.DRAFT)
    factories.ReportFactory(item__meeting=meeting)
    response = staff_client.post(
        "/admin/meetings/meeting/", {"action": "publish", "_selected_action": [meeting.pk]}, follow=True
    )
    assert "is published." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
