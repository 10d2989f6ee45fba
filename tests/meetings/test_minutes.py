"""Minutes, attendance and the quorum rule, with the edge cases a clerk meets."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meetings.models import Action, ActionProgress, Attendance, Decision, LockedByApproval, MinutesCorrection
from meetings.selectors import quorum_for
from meetings.services import action_add_progress, minutes_approve, minutes_correct
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def board_of_18():
    """A board-year of 18 seats in two groups (quorum: one third = 6, from at least 2 groups)."""
    year = factories.BoardYearFactory()
    red = factories.PoliticalGroupFactory(name="Red")
    blue = factories.PoliticalGroupFactory(name="Blue")
    members = {
        "red": [factories.MembershipFactory(board_year=year, group=red).person for _ in range(9)],
        "blue": [factories.MembershipFactory(board_year=year, group=blue).person for _ in range(9)],
    }
    factories.MembershipFactory(board_year=year, group=red, role="observer")
    return year, members


def record(minutes, people, **kwargs):
    return [factories.AttendanceFactory(minutes=minutes, person=p, **kwargs) for p in people]


def quorum(minutes):
    return quorum_for(minutes.meeting, minutes.attendance.select_related("person"))


class TestQuorum:
    def test_exactly_one_third_from_two_groups_is_quorate(self, board_of_18):
        year, members = board_of_18
        minutes = factories.MinutesFactory(meeting__board_year=year)
        record(minutes, members["red"][:3] + members["blue"][:3])
        result = quorum(minutes)
        assert (result.present, result.required, result.quorate) == (6, 6, True)
        assert result.explanation == (
            "Quorate: 6 members present of 6 needed, from 2 political groups of 2 needed."
        )

    def test_one_short_of_a_third_is_not_quorate(self, board_of_18):
        year, members = board_of_18
        minutes = factories.MinutesFactory(meeting__board_year=year)
        record(minutes, members["red"][:3] + members["blue"][:2])
        assert not quorum(minutes).quorate
        assert quorum(minutes).explanation.startswith("Not quorate: 5 members present of 6 needed")

    def test_enough_people_but_one_group_only_is_not_quorate(self, board_of_18):
        year, members = board_of_18
        minutes = factories.MinutesFactory(meeting__board_year=year)
        record(minutes, members["red"][:8])
        result = quorum(minutes)
        assert (result.present, result.quorate) == (8, False)
        assert result.explanation == (
            "Not quorate: 8 members present of 6 needed, from 1 political group of 2 needed."
        )

    def test_apologies_guests_and_officers_do_not_count(self, board_of_18):
        year, members = board_of_18
        minutes = factories.MinutesFactory(meeting__board_year=year)
        record(minutes, members["red"][:3] + members["blue"][:2])
        record(minutes, members["blue"][2:4], status=Attendance.Status.APOLOGIES)
        record(minutes, [factories.PersonFactory()], category=Attendance.Category.OFFICER)
        record(minutes, [factories.PersonFactory()], category=Attendance.Category.GUEST)
        assert quorum(minutes).present == 5

    def test_a_substitute_counts_for_the_group_of_the_member_replaced(self, board_of_18):
        year, members = board_of_18
        minutes = factories.MinutesFactory(meeting__board_year=year)
        record(minutes, members["red"][:5])
        substitute = factories.PersonFactory()
        factories.AttendanceFactory(
            minutes=minutes, person=substitute, category="substitute", substitute_for=members["blue"][0]
        )
        result = quorum(minutes)
        assert (result.present, result.groups_present, result.quorate) == (6, ["Blue", "Red"], True)

    def test_without_a_recorded_membership_the_quorum_is_not_guessed(self):
        minutes = factories.MinutesFactory()
        record(minutes, [factories.PersonFactory()])
        result = quorum(minutes)
        assert not result.known
        assert not result.quorate
        assert "membership for this year is not recorded" in result.explanation


class TestAttendanceBadInput:
    def test_a_person_recorded_twice_at_one_meeting(self):
        first = factories.AttendanceFactory()
        twice = Attendance(minutes=first.minutes, person=first.person, category="member")
        with pytest.raises(ValidationError, match="already recorded at this meeting"):
            twice.full_clean()
        with transaction.atomic(), pytest.raises(IntegrityError):
            twice.save()

    def test_a_substitute_with_no_member_to_stand_for(self):
        substitute = factories.AttendanceFactory.build(
            minutes=factories.MinutesFactory(), person=factories.PersonFactory(), category="substitute"
        )
        with pytest.raises(ValidationError, match="Say which member this substitute stood in for"):
            substitute.full_clean()

    def test_a_substitute_for_someone_not_on_the_board_that_year(self, board_of_18):
        year, _ = board_of_18
        outsider = factories.PersonFactory(first_name="Nobody", last_name="Special", title="Cllr")
        substitute = factories.AttendanceFactory.build(
            minutes=factories.MinutesFactory(meeting__board_year=year),
            person=factories.PersonFactory(),
            category="substitute",
            substitute_for=outsider,
        )
        with pytest.raises(
            ValidationError, match="Cllr Nobody Special is not a member of the board in 2017/18"
        ):
            substitute.full_clean()


class TestActions:
    def test_an_action_with_no_owner_is_refused(self):
        action = factories.ActionFactory.build(entry=factories.MinuteEntryFactory(), owner_label="")
        with pytest.raises(ValidationError, match="Say who the action is for"):
            action.full_clean()
        with transaction.atomic(), pytest.raises(IntegrityError):
            action.save()
        assert not Action.objects.filter(entry=action.entry).exists()

    def test_a_progress_update_dated_before_its_meeting_is_refused(self):
        action = factories.ActionFactory(entry__minutes__meeting__date=datetime.date(2017, 7, 11))
        with pytest.raises(ValidationError, match="cannot be dated before the action's meeting"):
            action_add_progress(action=action, date=datetime.date(2017, 7, 10), text="Early")
        assert not ActionProgress.objects.filter(action=action).exists()
        action_add_progress(action=action, date=datetime.date(2017, 7, 11), text="Started")
        assert action.progress.get().text == "Started"


class TestApproval:
    @pytest.fixture
    def approved(self, django_user_model):
        entry = factories.MinuteEntryFactory(minutes__meeting__date=datetime.date(2017, 7, 11))
        minutes = entry.minutes
        decision = Decision.objects.create(entry=entry, number=1, text="Noted the report.", outcome="noted")
        later = factories.MeetingFactory(
            board_year=minutes.meeting.board_year, date=datetime.date(2017, 11, 1)
        )
        minutes_approve(minutes=minutes, at_meeting=later)
        return minutes, entry, decision

    def test_approval_is_by_a_later_meeting_of_the_same_board(self):
        minutes = factories.MinutesFactory(meeting__date=datetime.date(2017, 7, 11))
        earlier = factories.MeetingFactory(
            board_year=minutes.meeting.board_year, date=datetime.date(2017, 7, 1)
        )
        with pytest.raises(ValidationError, match="later meeting of the same board"):
            minutes_approve(minutes=minutes, at_meeting=earlier)
        other_board = factories.MeetingFactory(date=datetime.date(2017, 12, 1))
        with pytest.raises(ValidationError, match="later meeting of the same board"):
            minutes_approve(minutes=minutes, at_meeting=other_board)
        minutes.refresh_from_db()
        assert not minutes.is_approved

    def test_approved_minutes_cannot_be_edited_without_a_correction(self, approved):
        _, entry, decision = approved
        entry.narrative = "Rewritten afterwards."
        with pytest.raises(LockedByApproval, match="change them only by recording a correction"):
            entry.save()
        with pytest.raises(LockedByApproval):
            decision.delete()
        with pytest.raises(LockedByApproval):
            Decision.objects.create(entry=entry, number=2, text="Added later.", outcome="agreed")
        entry.refresh_from_db()
        assert entry.narrative == "The item was introduced."
        assert entry.decisions.count() == 1

    def test_a_recorded_correction_changes_approved_minutes(self, approved, django_user_model):
        minutes, _, decision = approved
        clerk = django_user_model.objects.create_user("clerk-c")
        correction = minutes_correct(
            part=decision, changes={"text": "Noted the report and the MoU."}, reason="Omitted words", by=clerk
        )
        decision.refresh_from_db()
        assert decision.text == "Noted the report and the MoU."
        assert correction.made_by == clerk
        assert correction.reason == "Omitted words"
        assert "“Noted the report.” → “Noted the report and the MoU.”" in correction.change
        assert MinutesCorrection.objects.filter(minutes=minutes).count() == 1

    def test_a_correction_needs_a_reason(self, approved, django_user_model):
        _, _, decision = approved
        with pytest.raises(ValidationError, match="Give the reason"):
            minutes_correct(part=decision, changes={"text": "x"}, reason=" ", by=None)
        decision.refresh_from_db()
        assert decision.text == "Noted the report."
