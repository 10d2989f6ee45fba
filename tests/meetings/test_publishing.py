"""Publishing in the background: the clerk's request returns at once with "Publishing…", a worker
lays the pack out, and the meeting becomes public only when every file is stored."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import timezone

from lgaboard.permissions import OFFICERS
from meetings import publication, services, tasks
from meetings.models import Meeting, PackRevision, Publishing
from tests import factories

pytestmark = pytest.mark.django_db

# A queue nobody works: the request's part alone, as on a server whose worker has not started yet.
QUEUED_ONLY = override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
)


@pytest.fixture
def draft():
    meeting = factories.MeetingFactory(status=Meeting.Status.DRAFT)
    factories.ReportFactory(item__meeting=meeting, item__title="Finance")
    return meeting


def publish_from_the_admin(client, meeting, action="publish"):
    return client.post("/admin/meetings/meeting/", {"action": action, "_selected_action": [meeting.pk]})


def test_publish_returns_at_once_and_the_page_refreshes_until_the_worker_is_done(draft, staff_client):
    with QUEUED_ONLY:
        response = publish_from_the_admin(staff_client, draft)
        assert response.status_code == 302
        status_url = response["Location"]
        page = staff_client.get(status_url).content.decode()
        [queued] = tasks.publish_pack.get_backend().results
    assert "<h2>Publishing…</h2>" in page
    assert '<meta http-equiv="refresh" content="3">' in page
    still = staff_client.get(status_url + "?refresh=off").content.decode()  # the clerk may stop it
    assert "http-equiv" not in still
    assert "This page does not refresh itself." in still
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.DRAFT  # nothing public while it waits
    assert Client().get(draft.get_absolute_url()).status_code == 404

    services.publishing_run(publishing_id=queued.args[0])  # what the worker does

    page = staff_client.get(status_url).content.decode()
    assert f"{draft} is published." in page
    assert "http-equiv" not in page  # done: it stops refreshing
    draft.refresh_from_db()
    assert draft.is_published
    assert draft.revisions.count() == 1
    assert "Finance" in Client().get(draft.get_absolute_url()).content.decode()
    change_page = staff_client.get(f"/admin/meetings/meeting/{draft.pk}/change/").content.decode()
    assert f'<a href="{status_url}">Publication of {draft}' in change_page  # found again later


def test_a_failed_render_leaves_the_meeting_as_it_was_says_why_and_can_be_retried(
    draft, staff_client, monkeypatch
):
    def out_of_memory(*args, **kwargs):
        raise MemoryError("the layout ran out of memory")

    monkeypatch.setattr(publication.rendering, "render_pack_pdf", out_of_memory)
    status_url = publish_from_the_admin(staff_client, draft)["Location"]
    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == (Meeting.Status.DRAFT, None)
    assert not PackRevision.objects.filter(meeting=draft).exists()
    page = staff_client.get(status_url).content.decode()
    assert "<h2>Not published</h2>" in page
    assert "MemoryError: the layout ran out of memory" in page
    assert "the meeting is as it was" in page
    assert 'value="Try again"' in page

    monkeypatch.undo()
    retried = staff_client.post(status_url)
    assert retried.status_code == 302
    assert retried["Location"] != status_url
    assert f"{draft} is published." in staff_client.get(retried["Location"]).content.decode()
    assert [p.status for p in draft.publishings.order_by("requested_at")] == ["failed", "done"]


def test_one_publication_of_a_meeting_at_a_time(draft):
    with QUEUED_ONLY:
        services.publishing_request(meeting=draft, kind=Publishing.Kind.PUBLISH)
        with pytest.raises(ValidationError, match="is already being published"):
            services.publishing_request(meeting=draft, kind=Publishing.Kind.PUBLISH)


def test_a_publication_that_never_finishes_times_out_and_can_be_started_again(draft, staff_client):
    with QUEUED_ONLY:
        stuck = services.publishing_request(meeting=draft, kind=Publishing.Kind.PUBLISH)
        Publishing.objects.filter(pk=stuck.pk).update(
            status=Publishing.Status.RUNNING, started_at=timezone.now() - timedelta(hours=1)
        )
        page = staff_client.get(f"/admin/meetings/meeting/{draft.pk}/publishing/{stuck.pk}/").content.decode()
        assert "Not published: it took too long" in page
        assert "http-equiv" not in page
        again = services.publishing_request(meeting=draft, kind=Publishing.Kind.PUBLISH)
    stuck.refresh_from_db()
    assert stuck.status == Publishing.Status.FAILED
    assert "took too long" in stuck.message
    assert again.status == Publishing.Status.QUEUED


def test_a_task_delivered_twice_publishes_once(draft):
    publishing = services.publishing_request(meeting=draft, kind=Publishing.Kind.PUBLISH)
    assert publishing.status == Publishing.Status.DONE
    services.publishing_run(publishing_id=publishing.pk)
    assert draft.revisions.count() == 1


def test_publishing_changes_with_nothing_changed_says_so(draft):
    services.meeting_publish(meeting=draft)
    publishing = services.publishing_request(meeting=draft, kind=Publishing.Kind.CHANGES)
    assert publishing.status == Publishing.Status.UNCHANGED
    assert publishing.message == "Nothing in the pack has changed since it was last published."


def test_gaps_are_named_at_once_without_a_task(staff_client):
    meeting = factories.MeetingFactory(status=Meeting.Status.DRAFT, venue=None)
    factories.ReportFactory(item__meeting=meeting)
    with QUEUED_ONLY:
        response = publish_from_the_admin(staff_client, meeting)
        assert tasks.publish_pack.get_backend().results == []
    assert response.status_code == 302
    assert response["Location"].endswith("/admin/meetings/meeting/")
    assert not meeting.publishings.exists()


def test_only_those_who_may_publish_see_a_publication(draft, django_user_model):
    publishing = services.publishing_request(meeting=draft, kind=Publishing.Kind.PUBLISH)
    officer = django_user_model.objects.create_user("officer-publishing", is_staff=True)
    officer.groups.add(Group.objects.get(name=OFFICERS))
    client = Client()
    client.force_login(officer)
    url = f"/admin/meetings/meeting/{draft.pk}/publishing/{publishing.pk}/"
    assert client.get(url).status_code in (403, 404)
    assert client.post(url).status_code in (403, 404)
    assert draft.publishings.count() == 1
    other = factories.MeetingFactory()
    assert Client().get(f"/admin/meetings/meeting/{other.pk}/publishing/{publishing.pk}/").status_code == 302
