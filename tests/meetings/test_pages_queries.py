"""The minutes, attendance register and board pages take a fixed number of queries, for the public
and for a clerk, however many meetings, members, attendances and minuted items there are; a pack and
its items, however many generated annexes they have."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lgaboard.permissions import CLERKS
from meetings.models import BoardYear, Meeting
from mou.models import Theme
from programmes.models import LiveAnnex, Programme
from programmes.participation import BreakdownRow
from programmes.services import breakdown_save
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
    (BOARD, "Membership 2017/18", 9, 14),
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


# -- generated annexes --------------------------------------------------------------------------------
# What the n-th generated annex of each kind shows (programmes' live tables): each of its own data, so
# that a page reading them one by one would take more queries for more annexes.
def outputs(n: int) -> dict:
    return {"programme": Programme.objects.get(slug="productivity"), "start_year": 2017, "quarter": n + 1}


def mou_progress(n: int) -> dict:
    return {"theme": Theme.objects.filter(mou__start_year=2017).order_by("order")[n], "quarter": 2}


def priorities(n: int) -> dict:
    board_year = factories.BoardYearFactory(start_year=2030 + n)
    factories.PriorityFactory(board_year=board_year, member_lead=factories.PersonFactory())
    return {"board_year": board_year}


def participation(n: int) -> dict:
    record = factories.ParticipationFactory()
    factories.ParticipationColumnFactory(participation=record, code="LA", name="Leadership Academy")
    breakdown_save(participation=record, dimension="gender", rows=[BreakdownRow("Women", [n + 1])])
    return {"participation": record}


KINDS = {
    LiveAnnex.Kind.OUTPUTS: outputs,
    LiveAnnex.Kind.MOU_PROGRESS: mou_progress,
    LiveAnnex.Kind.PRIORITIES: priorities,
    LiveAnnex.Kind.PARTICIPATION: participation,
}


def draft_with_generated_annexes(kinds: list[str]) -> Meeting:
    """A draft meeting of a board of its own whose item 1 has a generated annex of each of `kinds`."""
    meeting = factories.MeetingFactory(
        status=Meeting.Status.DRAFT, board_year__board__slug=f"annexes-board-{len(kinds)}"
    )
    report = factories.ReportFactory(item__meeting=meeting, item__number=1)
    made: dict[str, int] = {}
    for letter, kind in zip("ABCDEFGHIJ", kinds, strict=False):
        fields = KINDS[kind](made.setdefault(kind, 0))
        made[kind] += 1
        factories.LiveAnnexFactory(annex__report=report, annex__letter=letter, kind=kind, **fields)
    return meeting


def pages(meeting: Meeting) -> list[str]:
    return [meeting.get_absolute_url(), f"{meeting.get_absolute_url()}items/1/"]


# A clerk's draft pack and item page; the live tables of each kind take a fixed number of queries
# (outputs 2, MoU progress 3, priorities 3, participation 3), read for all annexes of the kind at once.
# The pack page also notes that the signed-in reader opened it (one statement: their front page).
@pytest.mark.parametrize(
    ("kind", "pack", "item"),
    [
        (LiveAnnex.Kind.OUTPUTS, 18, 14),
        (LiveAnnex.Kind.MOU_PROGRESS, 19, 15),
        (LiveAnnex.Kind.PRIORITIES, 19, 15),
        (LiveAnnex.Kind.PARTICIPATION, 19, 15),
    ],
)
def test_the_pack_takes_as_many_queries_for_3_generated_annexes_as_for_1(
    client, django_user_model, django_assert_num_queries, kind, pack, item
):
    sign_in_clerk(client, django_user_model)
    one, three = draft_with_generated_annexes([kind]), draft_with_generated_annexes([kind] * 3)
    for meeting, tables in ((one, 1), (three, 3)):
        for url, expected in zip(pages(meeting), (pack, item), strict=True):
            with django_assert_num_queries(expected):
                page = client.get(url).content.decode()
            assert page.count("Live figures.") == tables


def test_every_kind_at_once_takes_as_many_queries_twice_over(client, django_user_model):
    sign_in_clerk(client, django_user_model)
    once = draft_with_generated_annexes(list(KINDS))
    twice = draft_with_generated_annexes([*KINDS, *KINDS])
    for one, two in zip(pages(once), pages(twice), strict=True):
        assert queries(client, one, "Live figures.") == queries(client, two, "Live figures.")
