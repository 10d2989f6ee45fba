import pytest
from django.core.exceptions import ValidationError

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
