import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from meetings.models import BoardYear, Meeting
from meetings.selectors import agenda_pack_for, board_membership, home_meetings, meetings_visible_to
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def membership_2017():
    return board_membership(
        BoardYear.objects.get(board__slug="improvement-and-innovation-board", start_year=2017)
    )


def seats(membership):
    return {g.group.name: (g.seats_held, g.seats_allocated) for g in membership.groups}


def test_seats_are_counted_from_memberships_and_compared_with_the_terms_of_reference(membership_2017):
    # The 2017/18 membership lists Liberal Democrat 2 and Independent 1; the terms of reference say 1 and 2.
    assert seats(membership_2017) == {
        "Conservative": (8, 8),
        "Labour": (7, 7),
        "Liberal Democrat": (2, 1),
        "Independent": (1, 2),
    }
    assert [g.group.name for g in membership_2017.differences] == ["Liberal Democrat", "Independent"]
    assert (membership_2017.seats_held, membership_2017.seats_allocated) == (18, 18)


def test_quorum_of_the_2017_18_board(membership_2017):
    assert membership_2017.quorum == 6


def test_substitutes_and_observers_are_listed_but_hold_no_seat(membership_2017):
    conservative = membership_2017.groups[0]
    assert [m.person.last_name for m in conservative.substitutes] == ["Garrod", "McCord", "Robinson"]
    assert "Sanderson" in [m.person.last_name for m in conservative.members]
    assert [m.person.full_name for m in membership_2017.observers] == [
        "Mr Richard Priestman",
        "Mr Philip Sellwood",
    ]


def test_a_group_in_the_terms_of_reference_with_no_members_still_shows():
    year = factories.BoardYearFactory()
    green = factories.PoliticalGroupFactory(name="Green")
    year.seats.create(group=green, seats=1)
    membership = board_membership(year)
    assert seats(membership) == {"Green": (0, 1)}
    assert membership.differences[0].seat_difference == -1


def test_the_public_sees_only_published_meetings(november_meeting, django_user_model):
    draft = Meeting.objects.get(date=datetime.date(2018, 1, 30))
    public = set(meetings_visible_to(AnonymousUser()))
    assert november_meeting in public
    assert draft not in public
    from django.contrib.auth.models import Group

    staff = django_user_model.objects.create_user("staff", is_staff=True)
    assert draft not in set(meetings_visible_to(staff))  # staff, but not a clerk
    staff.groups.add(Group.objects.get(name="Clerks"))
    staff = django_user_model.objects.get(pk=staff.pk)
    assert draft in set(meetings_visible_to(staff))


def test_home_splits_upcoming_and_recent(november_meeting):
    july = Meeting.objects.get(date=datetime.date(2017, 7, 11))
    meetings = home_meetings(AnonymousUser(), today=datetime.date(2017, 10, 1))
    assert meetings["upcoming"] == [november_meeting]
    assert meetings["recent"] == [july]
    later = home_meetings(AnonymousUser(), today=datetime.date(2017, 11, 2))
    assert later["recent"] == [november_meeting, july]


def test_the_pack_has_every_item_in_order_and_the_next_meeting(november_meeting):
    pack = agenda_pack_for(november_meeting)
    assert [item.number for item in pack.items] == list(range(1, 11))
    assert pack.next_meeting.date == datetime.date(2018, 1, 30)
    assert [a.letter for a in pack.items[2].report.annexes.all()] == ["A", "B"]
