"""The meetings as an iCalendar file that calendar applications subscribe to, read back with the
icalendar package as a calendar client would."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from meetings.models import Meeting
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LONDON = ZoneInfo("Europe/London")


def events(url: str) -> list:
    response = Client().get(url)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


def day_of(event) -> datetime.date:
    start = event.decoded("dtstart")
    return start.date() if isinstance(start, datetime.datetime) else start


def meeting_on(board_year, days: int, **kwargs) -> Meeting:
    return factories.MeetingFactory(
        board_year=board_year, date=TODAY + datetime.timedelta(days=days), **kwargs
    )


@pytest.fixture
def year():
    return factories.BoardYearFactory(board__slug="calendar-board", board__name="Calendar Board")


def test_each_published_meeting_is_an_event_a_client_reads(year):
    coming = meeting_on(year, 30, start_time=datetime.time(11, 0))
    meeting_on(year, 60, status=Meeting.Status.DRAFT)  # not the public's yet
    (event,) = events("/boards/calendar-board/meetings.ics")
    assert str(event["uid"]) == f"meeting-{coming.pk}@127.0.0.1"
    assert str(event["summary"]) == "Calendar Board"
    assert event.decoded("dtstart") == datetime.datetime.combine(coming.date, datetime.time(11, 0), LONDON)
    assert "dtend" not in event  # the papers say when a meeting starts, never when it ends
    assert str(event["location"]) == coming.venue.one_line
    pack = f"http://testserver/boards/calendar-board/{coming.date}/"
    assert str(event["url"]) == pack
    assert f"Agenda and papers: {pack}" in str(event["description"])  # clients that ignore URL
    assert f"Agenda pack (PDF): {pack}pack.pdf" in str(event["description"])


def test_a_change_raises_the_sequence_and_keeps_the_uid(year):
    meeting = meeting_on(year, 30)
    (before,) = [e for e in events("/meetings.ics") if str(e["uid"]).startswith(f"meeting-{meeting.pk}@")]
    meeting.start_time = datetime.time(10, 30)
    meeting.save()
    (after,) = [e for e in events("/meetings.ics") if str(e["uid"]) == str(before["uid"])]
    assert int(after["sequence"]) == int(before["sequence"]) + 1
    assert after.decoded("dtstart").time() == datetime.time(10, 30)


def test_the_window_is_the_past_year_and_all_to_come_or_the_last_ten_held(year):
    to_come = [meeting_on(year, days) for days in (10, 400)]
    last_year = [meeting_on(year, -days) for days in (30, 200)]
    long_ago = [meeting_on(year, -days) for days in range(400, 400 + 30 * 10, 30)]  # ten, over a year ago
    dates = {day_of(event) for event in events("/boards/calendar-board/meetings.ics")}
    # Two in the past year, so the eight latest of those long ago make up the ten held.
    assert dates == {m.date for m in [*to_come, *last_year, *long_ago[:8]]}


def test_the_demo_boards_calendar_gives_its_published_meetings(november_meeting):
    dates = {day_of(e) for e in events("/boards/improvement-and-innovation-board/meetings.ics")}
    assert datetime.date(2017, 11, 1) in dates
    assert datetime.date(2018, 1, 30) not in dates  # a draft


def test_the_calendar_takes_the_same_queries_for_one_meeting_as_for_five(year):
    meeting_on(year, 10)
    client = Client()
    client.get("/boards/calendar-board/meetings.ics")  # what a process loads once
    with CaptureQueriesContext(connection) as one:
        client.get("/boards/calendar-board/meetings.ics")
    for days in (20, 30, -10, -20):
        meeting_on(year, days)
    with CaptureQueriesContext(connection) as five:
        client.get("/boards/calendar-board/meetings.ics")
    assert len(five) == len(one)


def test_the_board_page_says_how_to_subscribe(year):
    page = Client().get("/boards/calendar-board/").content.decode()
    assert (
        'href="webcal://testserver/boards/calendar-board/meetings.ics">subscribe to its calendar</a>' in page
    )
    assert 'href="http://testserver/boards/calendar-board/meetings.ics">the calendar\'s address</a>' in page


def test_an_unknown_boards_calendar_is_404():
    assert Client().get("/boards/no-such-board/meetings.ics").status_code == 404


def test_the_boards_page_offers_every_boards_calendar(year):
    page = Client().get("/boards/").content.decode()
    assert 'href="webcal://testserver/meetings.ics">subscribe to the calendar</a>' in page
