from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from meetings.models import Meeting
from meetings.services import meeting_publish
from tests import factories

pytestmark = pytest.mark.django_db


def draft_meeting(**kwargs):
    return factories.MeetingFactory(status=Meeting.Status.DRAFT, **kwargs)


def test_publishing_records_when_and_by_whom(django_user_model):
    clerk = django_user_model.objects.create_user("clerk-a")
    meeting = draft_meeting()
    factories.ReportFactory(item__meeting=meeting)
    published = meeting_publish(meeting=meeting, by=clerk)
    assert published.status == Meeting.Status.PUBLISHED
    assert published.published_at is not None
    assert published.published_by == clerk


def test_a_meeting_without_a_venue_is_not_published():
    meeting = draft_meeting(venue=None)
    factories.ReportFactory(item__meeting=meeting)
    with pytest.raises(ValidationError) as error:
        meeting_publish(meeting=meeting)
    assert error.value.messages == ["The meeting has no venue."]
    meeting.refresh_from_db()
    assert (meeting.status, meeting.published_at) == (Meeting.Status.DRAFT, None)


def test_every_gap_is_named_at_once():
    meeting = draft_meeting(venue=None)
    factories.ReportFactory(
        item__meeting=meeting, item__number=1, item__title="Finance", for_discussion=False
    )
    factories.ReportFactory(item__meeting=meeting, item__number=2, item__title="Workforce")
    with pytest.raises(ValidationError) as error:
        meeting_publish(meeting=meeting)
    assert error.value.messages == [
        "The meeting has no venue.",
        "The report for item 1 (Finance) has no purpose.",
    ]
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.DRAFT


def test_a_meeting_without_items_is_not_published():
    with pytest.raises(ValidationError, match="no agenda items"):
        meeting_publish(meeting=draft_meeting())


class TestLatePublication:
    """Five clear days: neither the day of publication nor the meeting's counts, nor weekends, nor
    England's bank holidays."""

    @pytest.mark.parametrize(
        ("published", "meeting", "clear"),
        [
            ("2017-10-24", "2017-11-01", 5),  # Tue → Wed week after: Wed Thu Fri Mon Tue
            ("2017-10-25", "2017-11-01", 4),
            ("2017-10-27", "2017-11-01", 2),  # Fri → Wed: Mon Tue
            ("2017-10-31", "2017-11-01", 0),
            ("2017-11-02", "2017-11-01", 0),  # after the meeting
            # Fri 22 Dec → Fri 5 Jan: 27-29 Dec, 2-4 Jan (not Christmas, Boxing Day or New Year's Day)
            ("2017-12-22", "2018-01-05", 6),
            ("2018-05-03", "2018-05-09", 2),  # Thu → Wed: Fri 4 and Tue 8, not Mon 7 (a bank holiday)
            ("2018-08-23", "2018-08-31", 4),  # Thu → Fri: 24, 28, 29, 30, not Mon 27 (a bank holiday)
        ],
    )
    def test_clear_days(self, published, meeting, clear):
        from meetings.models import clear_days_between

        assert clear_days_between(date.fromisoformat(published), date.fromisoformat(meeting)) == clear

    def test_late_publication_is_allowed_recorded_shown_and_warned(self, staff_client):
        from django.utils import timezone

        meeting = factories.MeetingFactory(
            status=Meeting.Status.DRAFT, date=timezone.localdate() + timedelta(days=2)
        )
        factories.ReportFactory(item__meeting=meeting)
        response = staff_client.post(
            "/admin/meetings/meeting/", {"action": "publish", "_selected_action": [meeting.pk]}, follow=True
        )
        html = response.content.decode()
        meeting.refresh_from_db()
        assert meeting.is_published
        assert meeting.published_late
        assert meeting.notice_clear_days <= 1
        assert "the Local Government Act 1972 expects the agenda 5 clear days before" in html
        page = staff_client.get(meeting.get_absolute_url()).content.decode()
        assert "Published late" in page

    def test_papers_published_after_the_meeting_say_so_rather_than_counting_days(self, staff_client):
        meeting = factories.MeetingFactory(status=Meeting.Status.DRAFT, date=date(2018, 3, 14))
        factories.ReportFactory(item__meeting=meeting)
        response = staff_client.post(
            "/admin/meetings/meeting/", {"action": "publish", "_selected_action": [meeting.pk]}, follow=True
        )
        assert "took place before today: the pack says its papers were published afterwards." in (
            response.content.decode()
        )
        page = Client().get(meeting.get_absolute_url()).content.decode()
        assert '<strong class="govuk-tag govuk-tag--grey">After the meeting</strong>' in page
        assert "These papers were published here after the meeting took place." in page
        assert "Published late" not in page
        assert "clear working days before the meeting" not in page

    def test_publication_in_good_time_is_not_flagged(self, staff_client):
        from django.utils import timezone

        meeting = factories.MeetingFactory(
            status=Meeting.Status.DRAFT, date=timezone.localdate() + timedelta(days=30)
        )
        factories.ReportFactory(item__meeting=meeting)
        published = meeting_publish(meeting=meeting)
        assert published.notice_clear_days >= 15  # about 30 days ahead, bank holidays and all
        assert not published.published_late
        assert "Published late" not in staff_client.get(meeting.get_absolute_url()).content.decode()


class TestPublishingOnce:
    """The record of a meeting's first publication never changes: later changes are revisions."""

    def test_publishing_a_published_meeting_again_is_refused_and_the_record_kept(self, django_user_model):
        first_clerk = django_user_model.objects.create_user("clerk-first")
        meeting = draft_meeting(date=date.today() + timedelta(days=2))  # published late
        factories.ReportFactory(item__meeting=meeting)
        published = meeting_publish(meeting=meeting, by=first_clerk)
        record = (published.published_at, published.published_by_id, published.notice_clear_days)
        assert published.published_late

        with pytest.raises(ValidationError, match="already published"):
            meeting_publish(meeting=meeting, by=django_user_model.objects.create_user("clerk-second"))
        meeting.refresh_from_db()
        assert (meeting.published_at, meeting.published_by_id, meeting.notice_clear_days) == record
        assert meeting.revisions.count() == 1

    def test_the_publish_action_on_a_published_meeting_says_so_and_changes_nothing(self, staff_client):
        meeting = draft_meeting()
        factories.ReportFactory(item__meeting=meeting)
        staff_client.post("/admin/meetings/meeting/", {"action": "publish", "_selected_action": [meeting.pk]})
        meeting.refresh_from_db()
        record = (meeting.published_at, meeting.published_by_id, meeting.notice_clear_days)
        response = staff_client.post(
            "/admin/meetings/meeting/", {"action": "publish", "_selected_action": [meeting.pk]}, follow=True
        )
        assert "is already published. Publish later changes as a revision" in response.content.decode()
        meeting.refresh_from_db()
        assert (meeting.published_at, meeting.published_by_id, meeting.notice_clear_days) == record

    def test_a_pack_taken_back_to_draft_keeps_its_first_publication_record(self, django_user_model):
        meeting = draft_meeting()
        factories.ReportFactory(item__meeting=meeting)
        first = meeting_publish(meeting=meeting, by=django_user_model.objects.create_user("clerk-first"))
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.DRAFT)
        again = meeting_publish(meeting=meeting, by=django_user_model.objects.create_user("clerk-second"))
        assert (again.published_at, again.published_by_id) == (first.published_at, first.published_by_id)
