"""Test data built by factories, so each test says only what matters to it."""

import datetime

import factory
from factory.django import DjangoModelFactory

from meetings import models
from mou import models as mou_models
from programmes import models as programme_models


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


def free_meeting_date(board_year, n: int) -> datetime.date:
    """The n-th day from 1 September 2017 on which the board has no meeting yet: the demo's meetings
    (1 November 2017…) are in the test database, and the sequence's n depends on test order."""
    day = datetime.date(2017, 9, 1) + datetime.timedelta(days=n)
    if board_year.pk is None:  # built, not saved: no meeting can clash
        return day
    while models.Meeting.objects.filter(board_year__board=board_year.board_id, date=day).exists():
        day += datetime.timedelta(days=1)
    return day


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = models.Meeting

    board_year = factory.SubFactory(BoardYearFactory)
    date = factory.LazyAttributeSequence(lambda meeting, n: free_meeting_date(meeting.board_year, n))
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


# -- the MoU --------------------------------------------------------------------------------------
class MouFactory(DjangoModelFactory):
    class Meta:
        model = mou_models.Mou

    start_year = factory.Sequence(lambda n: 2050 + n)  # clear of the demo's 2017/18
    title = factory.LazyAttribute(lambda o: f"Programme {o.start_year}")
    parties = "LGA and DCLG"


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = mou_models.Theme

    mou = factory.SubFactory(MouFactory)
    key = factory.Sequence(lambda n: f"theme-{n}")
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Theme {n}")


class ThemeOutcomeFactory(DjangoModelFactory):
    class Meta:
        model = mou_models.ThemeOutcome

    theme = factory.SubFactory(ThemeFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = "We will support councils."


class DeliverableFactory(DjangoModelFactory):
    """A narrative deliverable unless told otherwise (give `rule`, `target` and `comparator`)."""

    class Meta:
        model = mou_models.Deliverable

    theme = factory.SubFactory(ThemeFactory)
    reference = factory.Sequence(lambda n: str(n + 1))
    order = factory.Sequence(lambda n: n + 1)
    commitment = "Support councils."


class SubTargetFactory(DjangoModelFactory):
    class Meta:
        model = mou_models.SubTarget

    deliverable = factory.SubFactory(DeliverableFactory)
    target = 10
    comparator = mou_models.Comparator.AT_LEAST
    unit = "councils"


class QuarterlyReturnFactory(DjangoModelFactory):
    class Meta:
        model = mou_models.QuarterlyReturn

    deliverable = factory.SubFactory(DeliverableFactory)
    quarter = 1


class ReturnEventFactory(DjangoModelFactory):
    class Meta:
        model = mou_models.ReturnEvent

    quarterly_return = factory.SubFactory(QuarterlyReturnFactory)
    kind = mou_models.ReturnEvent.Kind.SUBMITTED


# -- programmes -----------------------------------------------------------------------------------
class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = programme_models.Programme

    slug = factory.Sequence(lambda n: f"programme-{n}")
    name = factory.Sequence(lambda n: f"Test programme {n}")


class PriorityFactory(DjangoModelFactory):
    class Meta:
        model = programme_models.Priority

    board_year = factory.SubFactory(BoardYearFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Priority {n}")


class WorkstreamFactory(DjangoModelFactory):
    class Meta:
        model = programme_models.Workstream

    programme = factory.SubFactory(ProgrammeFactory)
    slug = factory.Sequence(lambda n: f"workstream-{n}")
    name = factory.Sequence(lambda n: f"Workstream {n}")
    order = factory.Sequence(lambda n: n + 1)


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = programme_models.Activity

    workstream = factory.SubFactory(WorkstreamFactory)
    start_year = 2030
    objective = "Support councils."


class OutputFactory(DjangoModelFactory):
    class Meta:
        model = programme_models.Output

    workstream = factory.SubFactory(WorkstreamFactory)
    start_year = 2030
    quarter = 1
    delivered = "Things"
    rag = mou_models.Rag.GREEN


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = programme_models.Participation

    programme = factory.SubFactory(ProgrammeFactory)
    start_year = 2030
    period = factory.Sequence(lambda n: f"2030/31, period {n}")
    as_at = datetime.date(2030, 9, 30)


class ParticipationColumnFactory(DjangoModelFactory):
    class Meta:
        model = programme_models.ParticipationColumn

    participation = factory.SubFactory(ParticipationFactory)
    order = factory.Sequence(lambda n: n + 1)
    code = factory.Sequence(lambda n: f"C{n}")
    name = factory.Sequence(lambda n: f"Course {n}")


class LiveAnnexFactory(DjangoModelFactory):
    """Give `kind` and what that kind needs (LiveAnnex.REQUIRED)."""

    class Meta:
        model = programme_models.LiveAnnex

    annex = factory.SubFactory(AnnexFactory, content="", generated=True)


class SectorUpdateFactory(DjangoModelFactory):
    class Meta:
        model = programme_models.SectorUpdate

    mou = factory.SubFactory(MouFactory)
    quarter = 2
    issued = "November 2030"


class SectorUpdateThemeFactory(DjangoModelFactory):
    class Meta:
        model = programme_models.SectorUpdateTheme

    update = factory.SubFactory(SectorUpdateFactory)
    theme = factory.LazyAttribute(lambda o: ThemeFactory(mou=o.update.mou))
    order = factory.Sequence(lambda n: n + 1)
    heading = factory.Sequence(lambda n: f"Theme {n}")
