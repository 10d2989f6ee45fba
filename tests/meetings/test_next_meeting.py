"""The clerk makes the board's next meeting from the last one: its arrangements and standing items
are there, numbered in order; the clerk changes what differs."""

import re
from datetime import date
from html import unescape

import pytest
from django.test import Client

from meetings.models import AgendaItem, BoardYear, Meeting

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def next_url(meeting) -> str:
    return f"/admin/meetings/meeting/{meeting.pk}/next/"


def test_the_next_meeting_keeps_the_arrangements_and_the_standing_items(staff_client, november_meeting):
    BoardYear.objects.get_or_create(board=november_meeting.board, start_year=2018)
    page = text(staff_client.get(next_url(november_meeting)))
    listed = "Welcome, apologies and declarations of interest Note of the Previous Meeting (filled in from"
    assert listed in page
    response = staff_client.post(next_url(november_meeting), {"date": "14/06/2018"})
    meeting = Meeting.objects.get(board=november_meeting.board, date=date(2018, 6, 14))
    assert response["Location"] == f"/admin/meetings/meeting/{meeting.pk}/change/"
    assert meeting.status == Meeting.Status.DRAFT
    assert meeting.board_year.start_year == 2018
    for field in (
        "venue_id",
        "start_time",
        "contact_officer_id",
        "addressed_to",
        "copied_to",
        "refreshments",
    ):
        assert getattr(meeting, field) == getattr(november_meeting, field), field
    items = list(meeting.items.order_by("number").values_list("number", "title", "kind", "standing"))
    assert items == [
        (1, "Welcome, apologies and declarations of interest", AgendaItem.Kind.PAPER, True),
        (2, "Note of the Previous Meeting", AgendaItem.Kind.PREVIOUS_MINUTES, True),
    ]
    assert not AgendaItem.objects.filter(meeting=meeting, report__isnull=False).exists()
    changed = text(staff_client.get(response["Location"]))
    assert "made from 1 November 2017: its arrangements and 2 standing items." in changed
    # The note of the previous meeting fills itself in from November's note, once there is one.
    assert meeting.items.get(number=2).kind == AgendaItem.Kind.PREVIOUS_MINUTES


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("01/11/2017", "The next meeting comes after 1 November 2017: give a later date."),
        ("30/01/2018", "already has a meeting on 30 January 2018."),
        ("01/05/2031", "has no 2031/32 year yet: add it"),
        ("not a date", "Enter a valid date."),
    ],
)
def test_a_date_that_cannot_be_is_refused_saying_why(staff_client, november_meeting, typed, said):
    before = Meeting.objects.count()
    response = staff_client.post(next_url(november_meeting), {"date": typed})
    assert response.status_code == 200
    assert said in text(response)
    assert Meeting.objects.count() == before


def test_only_those_who_may_add_meetings_make_one(november_meeting, django_user_model):
    staff = Client()
    staff.force_login(django_user_model.objects.create_user("staff-without-perms", is_staff=True))
    assert staff.get(next_url(november_meeting)).status_code == 404
    assert staff.post(next_url(november_meeting), {"date": "14/06/2018"}).status_code == 404
    assert not Meeting.objects.filter(date=date(2018, 6, 14)).exists()
