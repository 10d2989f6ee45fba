"""The minutes, attendance register and board pages take a fixed number of queries, for the public
and for a clerk, however many meetings, members, attendances and minuted items there are."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lgaboard.permissions import CLERKS
from meetings.models import BoardYear
from tests import factories

pytestmark = pytest.mark.django_db

BOARD = "/boards/improvement-and-innovation-board/"
MINUTES = f"{BOARD}2017-07-11/minutes/"
REGISTER = f"{BOARD}attendance/2017-18/"


def queries(client, url: str, expect: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert expect in response.content.decode()
    return len(captured)


def board_year() -> BoardYear:
    return BoardYear.objects.get(board__slug="improvement-and-innovation-board", start_year=2017)


def more_meetings_and_members(count: int) -> None:
    """Meetings of the 2017/18 board (each with minutes, an attendance and an item) and members."""
    year = board_year()
    for n in range(count):
        meeting = factories.MeetingFactory(board_year=year, date=datetime.date(2018, 2, 1 + n))
        minutes = factories.MinutesFactory(meeting=meeting)
        member = factories.MembershipFactory(board_year=year).person
        factories.AttendanceFactory(minutes=minutes, person=member)
        factories.MinuteEntryFactory(minutes=minutes)


def minuted_meeting(rows: int) -> str:
    """A published meeting of a board of its own whose minutes have `rows` items, attendances,
    decisions and actions; its minutes page."""
    meeting = factories.MeetingFactory(board_year__board__slug=f"queries-board-{rows}")
    minutes = factories.MinutesFactory(meeting=meeting)
    for n in range(rows):
        member = factories.MembershipFactory(board_year=meeting.board_year).person
        factories.AttendanceFactory(minutes=minutes, person=member)
        entry = factories.MinuteEntryFactory(
            minutes=minutes, agenda_item=factories.AgendaItemFactory(meeting=meeting, number=n + 1)
        )
        factories.ActionFactory(entry=entry, owner=member)
    return f"/boards/queries-board-{rows}/{meeting.date:%Y-%m-%d}/minutes/"


# The demo's pages as the public and a clerk see them. A clerk's five more: the session, the user,
# their groups and permissions (asked by the header and by what the page offers staff).
PINNED = [
    (MINUTES, "Note of the meeting", 15, 20),
    (REGISTER, "Attendance", 6, 11),
    (BOARD, "Membership 2017/18", 10, 15),
]


@pytest.mark.parametrize(("url", "expect", "public", "as_clerk"), PINNED)
def test_the_query_count_is_pinned(
    client, django_user_model, django_assert_num_queries, url, expect, public, as_clerk
):
    with django_assert_num_queries(public):
        assert expect in client.get(url).content.decode()
    sign_in_clerk(client, django_user_model)
    with django_assert_num_queries(as_clerk):
        assert expect in client.get(url).content.decode()


def sign_in_clerk(client, django_user_model):
    user = django_user_model.objects.create_user("clerk-queries", is_staff=True)
    user.groups.add(Group.objects.get(name=CLERKS))
    client.force_login(user)


@pytest.mark.parametrize("signed_in", [False, True], ids=["public", "clerk"])
def test_the_minutes_take_as_many_queries_for_8_items_as_for_2(client, django_user_model, signed_in):
    if signed_in:
        sign_in_clerk(client, django_user_model)
    two = queries(client, minuted_meeting(2), "Item title")
    eight_url = minuted_meeting(8)
    eight = queries(client, eight_url, "Officers to report back.")
    assert two == eight


@pytest.mark.parametrize("signed_in", [False, True], ids=["public", "clerk"])
@pytest.mark.parametrize(("url", "expect"), [(REGISTER, "Attendance"), (BOARD, "Membership 2017/18")])
def test_the_register_and_board_pages_do_not_grow_with_meetings_and_members(
    client, django_user_model, signed_in, url, expect
):
    if signed_in:
        sign_in_clerk(client, django_user_model)
    before = queries(client, url, expect)
    more_meetings_and_members(4)
    newest = factories.models.Person.objects.order_by("-pk").first()
    assert queries(client, url, newest.first_name) == before
