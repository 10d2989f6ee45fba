"""Test data built by factories, so each test says only what matters to it."""

import datetime

import factory
from factory.django import DjangoModelFactory

from meetings import models


class PoliticalGroupFactory(DjangoModelFactory):
    class Meta:
        model = models.PoliticalGroup
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Group {n}")
    order = factory.Sequence(lambda n: n + 10)


class AuthorityFactory(DjangoModelFactory):
    class Meta:
        model = models.Authority
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Testshire Council {n}")
    authority_type = models.Authority.Type.DISTRICT


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = models.Person

    slug = factory.Sequence(lambda n: f"person-{n}")
    title = "Cllr"
    first_name = factory.Sequence(lambda n: f"Test{n}")
    last_name = "Member"


class BoardFactory(DjangoModelFactory):
    class Meta:
        model = models.Board

    name = factory.Sequence(lambda n: f"Test Board {n}")
    slug = factory.Sequence(lambda n: f"test-board-{n}")


class BoardYearFactory(DjangoModelFactory):
    class Meta:
        model = models.BoardYear

    board = factory.SubFactory(BoardFactory)
    start_year = 2017


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = models.Membership

    board_year = factory.SubFactory(BoardYearFactory)
    person = factory.SubFactory(PersonFactory)
    group = factory.SubFactory(PoliticalGroupFactory)
    authority = factory.SubFactory(AuthorityFactory)
    role = models.Membership.Role.MEMBER


class VenueFactory(DjangoModelFactory):
    class Meta:
        model = models.Venue

    name = "Test House"
    room = factory.Sequence(lambda n: f"Room {n}")
    address = "1 Test Street\nLondon"
    postcode = "SW1A 1AA"


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = models.Meeting

    board_year = factory.SubFactory(BoardYearFactory)
    date = factory.Sequence(lambda n: datetime.date(2017, 9, 1) + datetime.timedelta(days=n))
    start_time = datetime.time(11, 0)
    venue = factory.SubFactory(VenueFactory)
    status = models.Meeting.Status.PUBLISHED


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = models.AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Item title {n}")


class ReportFactory(DjangoModelFactory):
    class Meta:
        model = models.Report

    item = factory.SubFactory(AgendaItemFactory)
    for_discussion = True
    summary = "A summary."
    body = "## Background\n\n1. First paragraph.\n2. Second paragraph."


class RecommendationFactory(DjangoModelFactory):
    class Meta:
        model = models.Recommendation

    report = factory.SubFactory(ReportFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Note the report."


class ReportContactFactory(DjangoModelFactory):
    class Meta:
        model = models.ReportContact

    report = factory.SubFactory(ReportFactory)
    person = factory.SubFactory(PersonFactory, title="", position="Adviser", email="adviser@example.org")


class AnnexFactory(DjangoModelFactory):
    class Meta:
        model = models.Annex

    report = factory.SubFactory(ReportFactory)
    letter = factory.Sequence(lambda n: "ABCDEFGHIJ"[n % 10])
    title = "An annex"
    content = "Annex text."


class MinutesFactory(DjangoModelFactory):
    class Meta:
        model = models.Minutes

    meeting = factory.SubFactory(MeetingFactory)


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = models.Attendance

    minutes = factory.SubFactory(MinutesFactory)
    person = factory.SubFactory(PersonFactory)
    category = models.Attendance.Category.MEMBER
    status = models.Attendance.Status.PRESENT


class MinuteEntryFactory(DjangoModelFactory):
    class Meta:
        model = models.MinuteEntry

    minutes = factory.SubFactory(MinutesFactory)
    agenda_item = factory.LazyAttribute(lambda o: AgendaItemFactory(meeting=o.minutes.meeting))
    narrative = "The item was introduced."


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = models.Action

    entry = factory.SubFactory(MinuteEntryFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Officers to report back."
    owner_label = "Officers"
