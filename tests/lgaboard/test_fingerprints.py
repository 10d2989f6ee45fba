"""Fingerprints of what a rendered fragment shows: the same data gives the same one, any change to it
another, so a fragment kept under one is never stale."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from lgaboard.fingerprints import fingerprint
from meetings.models import Meeting, Person
from tests import factories

pytestmark = pytest.mark.django_db


@dataclass
class Row:
    person: Person
    note: str


def test_the_same_data_read_again_gives_the_same_fingerprint():
    person = factories.PersonFactory(first_name="Judi", last_name="Billing")
    again = Person.objects.get(pk=person.pk)
    assert fingerprint([Row(person, "x")], {2: Decimal("1.5")}) == fingerprint(
        [Row(again, "x")], {2: Decimal("1.5")}
    )


def test_any_field_or_value_changed_gives_another():
    person = factories.PersonFactory(first_name="Judi", last_name="Billing")
    before = fingerprint(person)
    person.honours = "MBE"
    assert fingerprint(person) != before
    assert fingerprint([1, 2]) != fingerprint([2, 1])
    assert fingerprint(Decimal("1.5")) != fingerprint(Decimal("1.50"))  # printed differently
    assert fingerprint(datetime.date(2017, 11, 1)) != fingerprint("2017-11-01")


def test_objects_loaded_with_an_object_are_part_of_it(november_meeting):
    meeting = Meeting.objects.select_related("venue").get(pk=november_meeting.pk)
    before = fingerprint(meeting)
    meeting.venue.name = "The Council Chamber"
    assert fingerprint(meeting) != before
    board = Meeting.objects.prefetch_related("board__former_names").get(pk=meeting.pk).board
    named = fingerprint(board)
    board.former_names.all()[0].name = "Another board"
    assert fingerprint(board) != named


def test_what_could_hide_a_change_is_refused():
    with pytest.raises(TypeError, match="QuerySet"):
        fingerprint(Person.objects.all())
    with pytest.raises(TypeError, match="set"):
        fingerprint({1, 2})
