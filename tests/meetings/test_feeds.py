"""A board's Atom feed, read back as a feed reader would (XML): papers published and revised, with
what changed, and minutes approved; nothing of a draft; no invented dates."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.models import Meeting, Minutes, PackRevision
from tests import factories

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def feed_of(url: str) -> ET.Element:
    response = Client().get(url)
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 (the portal's own response)


def entries(url: str) -> list[dict]:
    feed = feed_of(url)
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "id": entry.findtext(f"{ATOM}id"),
            "updated": entry.findtext(f"{ATOM}updated"),
            "summary": entry.findtext(f"{ATOM}summary"),
        }
        for entry in feed.iter(f"{ATOM}entry")
    ]


@pytest.fixture
def year():
    return factories.BoardYearFactory(board__slug="feed-board", board__name="Feed Board")


def test_published_revised_and_approved_newest_first(year):
    meeting = factories.MeetingFactory(board_year=year, date=datetime.date(2017, 9, 20))
    first = timezone.now() - datetime.timedelta(days=3)
    PackRevision.objects.create(meeting=meeting, number=1, published_at=first)
    PackRevision.objects.create(
        meeting=meeting,
        number=2,
        published_at=first + datetime.timedelta(days=1),
        note="The finance report's table was corrected.",
        changes=["Item 4 (Finance update): the report changed."],
    )
    later = factories.MeetingFactory(board_year=year, date=datetime.date(2017, 10, 18))
    Minutes.objects.create(
        meeting=meeting, status=Minutes.Status.APPROVED, approved_at_meeting=later, approved_at=timezone.now()
    )
    draft = factories.MeetingFactory(
        board_year=year, date=datetime.date(2017, 12, 6), status=Meeting.Status.DRAFT
    )
    PackRevision.objects.create(meeting=draft, number=1, published_at=timezone.now())  # never the public's
    got = entries("/boards/feed-board/feed/")
    assert [entry["title"] for entry in got] == [
        "Minutes approved: Feed Board, 20 September 2017",
        "Papers revised (revision 2): Feed Board, 20 September 2017",
        "Papers published: Feed Board, 20 September 2017",
    ]
    minutes, revised, published = got
    assert "approved as a correct record at the meeting of 18 October 2017" in minutes["summary"]
    assert revised["link"] == "http://testserver/boards/feed-board/2017-09-20/revisions/2/"
    assert "The finance report&#x27;s table was corrected.<br>- Item 4 (Finance update)" in revised["summary"]
    assert published["link"] == "http://testserver/boards/feed-board/2017-09-20/"
    assert published["id"].startswith("tag:127.0.0.1,2017:revision-")
    assert published["updated"].startswith(f"{timezone.localtime(first):%Y-%m-%dT}")
    assert feed_of("/boards/feed-board/feed/").findtext(f"{ATOM}author/{ATOM}name") == "Board papers"


def test_a_publication_with_no_recorded_time_is_left_out_rather_than_dated_by_invention(november_meeting):
    """Atom needs each entry's time: the demo's packs, published with the printed papers, have none."""
    got = entries("/boards/improvement-and-innovation-board/feed/")
    assert not [e for e in got if "1 November 2017" in e["title"]]
    assert all(entry["updated"] for entry in got)


def test_the_feed_takes_the_same_queries_for_one_meeting_as_for_four(year):
    def published(day):
        meeting = factories.MeetingFactory(board_year=year, date=datetime.date(2017, 9, day))
        PackRevision.objects.create(meeting=meeting, number=1, published_at=timezone.now())

    published(1)
    client = Client()
    client.get("/boards/feed-board/feed/")
    with CaptureQueriesContext(connection) as one:
        client.get("/boards/feed-board/feed/")
    for day in (8, 15, 22):
        published(day)
    with CaptureQueriesContext(connection) as four:
        assert len(entries("/boards/feed-board/feed/")) == 4
    assert len(four) == len(one)


def test_an_unknown_boards_feed_is_404():
    assert Client().get("/boards/no-such-board/feed/").status_code == 404


def test_a_former_names_feed_and_alerts_redirect_to_the_boards(november_meeting):
    client = Client()
    feed = client.get("/boards/improvement-programme-board/feed/")
    assert (feed.status_code, feed["Location"]) == (301, "/boards/improvement-and-innovation-board/feed/")
    alerts = client.get("/boards/improvement-programme-board/alerts/")
    assert (alerts.status_code, alerts["Location"]) == (
        301,
        "/boards/improvement-and-innovation-board/alerts/",
    )
