"""The meeting's own Publish page: the check list first, a preview of the public's PDF, then Publish;
for a published meeting, what changed and the clerk's words on what changed and why."""

import io
import re
from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from meetings.models import Meeting, PackRevision
from meetings.services import meeting_publish
from tests import factories

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def publish_url(meeting) -> str:
    return f"/admin/meetings/meeting/{meeting.pk}/publish/"


@pytest.fixture
def draft():
    meeting = factories.MeetingFactory(
        status=Meeting.Status.DRAFT, date=timezone.localdate() + timedelta(days=3)
    )
    factories.ReportFactory(item__meeting=meeting, item__number=1, item__title="Finance", body="Spend is 10.")
    secret = factories.AgendaItemFactory(
        meeting=meeting, number=2, title="Negotiations", confidential=True, exemption=3, exemption_reason=""
    )
    factories.ReportFactory(item=secret, body="The price we will offer is 42.")
    return meeting


def test_the_meeting_page_offers_its_publish_page(staff_client, draft):
    page = staff_client.get(f"/admin/meetings/meeting/{draft.pk}/change/").content.decode()
    assert f'href="{publish_url(draft)}">Publish…</a>' in page


def test_the_check_list_says_what_is_done_what_to_know_and_what_to_put_right(staff_client, draft):
    page = text(staff_client.get(publish_url(draft)))
    assert "Venue Done" in page
    assert "Agenda Done 2 items." in page
    assert "Item 1: report Done Its purpose is given." in page
    assert "Item 2: not for publication To know Category 3" in page
    assert "No reason is written for the public; only the category is shown." in page
    assert "Notice To know Published today, the papers give" in page
    assert "They will be marked as published late." in page
    assert "Preview the agenda pack (PDF) as the public will receive it" in page
    assert 'value="Publish"' in staff_client.get(publish_url(draft)).content.decode()


def test_what_must_be_put_right_refuses_publishing(staff_client, draft):
    draft.venue = None
    draft.save()
    response = staff_client.get(publish_url(draft))
    assert "Venue To put right The meeting has no venue." in text(response)
    assert 'value="Publish"' not in response.content.decode()
    refused = staff_client.post(publish_url(draft))
    assert "The meeting has no venue." in text(refused)
    assert not Meeting.objects.get(pk=draft.pk).is_published


def test_publishing_from_its_page_goes_to_the_publications_page(staff_client, draft):
    response = staff_client.post(publish_url(draft))
    assert response.status_code == 302
    assert "/publishing/" in response["Location"]
    assert Meeting.objects.get(pk=draft.pk).is_published  # the immediate backend ran the worker's part


def test_the_preview_is_the_public_pdf_and_only_for_staff(staff_client, draft, django_user_model):
    response = staff_client.get(publish_url(draft) + "preview.pdf")
    data = response.content
    assert data.startswith(b"%PDF")
    words = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Spend is 10." in words
    assert "Negotiations" in words  # its title, as the public agenda shows it
    assert "The price we will offer is 42." not in words
    member = Client()
    member.force_login(django_user_model.objects.create_user("not-staff"))
    assert member.get(publish_url(draft) + "preview.pdf").status_code == 302  # to the admin's sign-in
    assert Client().get(publish_url(draft) + "preview.pdf").status_code == 302


def test_a_revision_says_what_changed_and_the_clerks_words_why(staff_client, draft, client):
    meeting = meeting_publish(meeting=draft)
    assert "Nothing in the pack has changed since then" in text(staff_client.get(publish_url(meeting)))
    report = meeting.items.get(number=1).report
    report.body = "Spend is 12."
    report.save()
    page = text(staff_client.get(publish_url(meeting)))
    assert "What has changed since it was published" in page
    assert "Item 1 (Finance): changed" in page

    refused = staff_client.post(publish_url(meeting), {"note": "  "})
    assert "Say what changed and why: readers see it." in text(refused)
    assert meeting.revisions.count() == 1

    note = "The spend was misprinted: it is 12, not 10."
    assert staff_client.post(publish_url(meeting), {"note": note}).status_code == 302
    revision = PackRevision.objects.get(meeting=meeting, number=2)
    assert (revision.note, revision.changes) == (note, ["Item 1 (Finance): changed"])
    pack = text(client.get(meeting.get_absolute_url()))
    assert f"(revision 2). {note} Item 1 (Finance): changed" in pack


def test_only_those_who_may_change_the_meeting_reach_its_publish_page(draft, django_user_model):
    officer = Client()
    officer.force_login(django_user_model.objects.create_user("staff-no-perms", is_staff=True))
    assert officer.get(publish_url(draft)).status_code == 404
    assert officer.post(publish_url(draft)).status_code == 404
    assert not Meeting.objects.get(pk=draft.pk).is_published
