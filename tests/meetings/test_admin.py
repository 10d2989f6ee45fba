"""The admin as a clerk uses it: pages by their content, bad input by its message, nothing half-saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import Annex, Meeting, Membership
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
    assert "Edit item<span" in html
    assert "Edit report<span" in html


def test_the_same_item_number_twice_is_refused_and_nothing_is_saved(staff_client):
    """Numbers follow the agenda's order on the meeting's page; on an item's own page a number
    another item has is refused, and nothing of that save is kept."""
    from tests.forms import form_data

    meeting = factories.MeetingFactory(status=Meeting.Status.DRAFT)
    factories.AgendaItemFactory(meeting=meeting, number=1, title="Welcome")
    finance = factories.AgendaItemFactory(meeting=meeting, number=2, title="Finance")
    url = f"/admin/meetings/agendaitem/{finance.pk}/change/"
    data = form_data(staff_client.get(url).content.decode())
    data.update({"number": "1", "title": "Finance and risk"})
    response = staff_client.post(url, data)
    assert "Another item of this meeting already has this number." in response.content.decode()
    finance.refresh_from_db()
    assert (finance.number, finance.title) == (2, "Finance")


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


def test_clerk_writes_minutes_with_attendance_in_one_form(staff_client):
    from meetings.models import Minutes

    minutes = Minutes.objects.get(meeting__date="2017-07-11")
    html = staff_client.get(f"/admin/meetings/minutes/{minutes.pk}/change/").content.decode()
    assert "Cllr William Nunn" in html
    assert "Energy Saving Trust (EST)" in html
    assert "Write the note of this item" in html
    entry = minutes.entries.get(heading="Behavioural Insights")
    html = staff_client.get(f"/admin/meetings/minuteentry/{entry.pk}/change/").content.decode()
    assert "The modelling used to assess the success of these trials" in html
    assert "Officers to explore with BIT" in html


def test_approved_minutes_are_read_only_in_the_admin(staff_client, november_meeting):
    from meetings.models import Minutes
    from meetings.services import minutes_approve

    minutes = Minutes.objects.get(meeting__date="2017-07-11")
    minutes_approve(minutes=minutes, at_meeting=november_meeting)
    entry = minutes.entries.get(heading="Behavioural Insights")
    html = staff_client.get(f"/admin/meetings/minuteentry/{entry.pk}/change/").content.decode()
    assert 'name="_save"' not in html
    response = staff_client.post(
        f"/admin/meetings/minuteentry/{entry.pk}/change/", {"narrative": "Rewritten"}
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.narrative.startswith("Rhian Gladman")


def test_progress_on_an_action_from_the_admin_records_who(staff_client):
    from meetings.models import Action

    action = Action.objects.get(text__startswith="To organise round-table events")
    data = {
        "status": "open",
        "progress-TOTAL_FORMS": "1",
        "progress-INITIAL_FORMS": "0",
        "progress-MIN_NUM_FORMS": "0",
        "progress-MAX_NUM_FORMS": "1000",
        "progress-0-date": "2017-09-27",
        "progress-0-text": "First round-table held.",
        # the inline naming the MoU deliverables the action concerns, left empty
        "Deliverable_actions-TOTAL_FORMS": "0",
        "Deliverable_actions-INITIAL_FORMS": "0",
    }
    for field in ("entry", "number", "text", "owner", "owner_label", "due_date"):
        value = (
            getattr(action, f"{field}_id", None) if field in ("entry", "owner") else getattr(action, field)
        )
        data[field] = "" if value is None else value
    staff_client.post(f"/admin/meetings/action/{action.pk}/change/", data)
    progress = action.progress.get()
    assert progress.text == "First round-table held."
    assert progress.entered_by.username == "clerk-test"


def test_a_progress_update_dated_before_the_meeting_is_refused_in_the_admin(staff_client):
    from meetings.models import Action

    action = Action.objects.get(text__startswith="To organise round-table events")
    data = {
        "entry": action.entry_id,
        "number": action.number,
        "text": action.text,
        "owner_label": action.owner_label,
        "status": "open",
        "progress-TOTAL_FORMS": "1",
        "progress-INITIAL_FORMS": "0",
        "progress-MIN_NUM_FORMS": "0",
        "progress-MAX_NUM_FORMS": "1000",
        "progress-0-date": "2017-07-01",
        "progress-0-text": "Too early.",
    }
    html = staff_client.post(f"/admin/meetings/action/{action.pk}/change/", data).content.decode()
    assert "A progress update cannot be dated before the action&#x27;s meeting." in html
    assert not action.progress.exists()


def test_clerk_records_that_the_next_meeting_approved_the_minutes(staff_client):
    from meetings.models import Minutes

    minutes = Minutes.objects.get(meeting__date="2017-07-11")
    action = {"action": "approve_at_next_meeting", "_selected_action": [minutes.pk]}
    html = staff_client.post("/admin/meetings/minutes/", action, follow=True).content.decode()
    assert "approved at the meeting of 1 November 2017." in html
    minutes.refresh_from_db()
    assert minutes.is_approved
    assert str(minutes.approved_at_meeting.date) == "2017-11-01"
    html = staff_client.post("/admin/meetings/minutes/", action, follow=True).content.decode()
    assert "These minutes are already approved." in html


def test_the_clerk_exports_the_pack_from_the_meeting_admin_page(staff_client, november_meeting):
    html = staff_client.get(f"/admin/meetings/meeting/{november_meeting.pk}/change/").content.decode()
    link = '<a href="/boards/improvement-and-innovation-board/2017-11-01/pack.pdf">'
    assert f"{link}Export the agenda pack (PDF)</a>" in html


def test_saving_an_item_with_its_report_returns_to_the_meeting(staff_client):
    """The clerk writes a short report (title, purpose, summary, body) on the item's page, and saving
    takes them back to the meeting's agenda."""
    from tests.forms import form_data

    meeting = factories.MeetingFactory()
    item = factories.AgendaItemFactory(meeting=meeting, number=1, title="Finance update")
    url = f"/admin/meetings/agendaitem/{item.pk}/change/"
    data = form_data(staff_client.get(url).content.decode())
    data.update(
        {
            "report-TOTAL_FORMS": "1",
            "report-0-title": "Finance update",
            "report-0-for_information": "on",
            "report-0-summary": "Spending at the half year.",
            "report-0-body": "The board's spending is on budget.",
        }
    )
    response = staff_client.post(url, data, follow=True)
    assert response.redirect_chain == [(f"/admin/meetings/meeting/{meeting.pk}/change/", 302)]
    assert "Item 1 (Finance update) was changed." in response.content.decode()
    item.refresh_from_db()
    assert item.report.body == "The board's spending is on budget."
    assert item.report.summary == "Spending at the half year."
