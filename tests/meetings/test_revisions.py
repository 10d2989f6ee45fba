"""A published pack is frozen: the same document on every download; a change after publication is
published as a revision, saying what changed, and the earlier version stays available."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from lgaboard.storage import read_bytes
from meetings.models import Meeting
from meetings.services import meeting_publish, meeting_publish_changes
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(django_user_model):
    meeting = factories.MeetingFactory(status=Meeting.Status.DRAFT)
    factories.ReportFactory(item__meeting=meeting, item__number=1, item__title="Finance", body="Spend is 10.")
    factories.ReportFactory(item__meeting=meeting, item__number=2, item__title="Workforce", body="Staff.")
    return meeting_publish(meeting=meeting, by=django_user_model.objects.create_user("publisher"))


def change_finance(meeting, text):
    report = meeting.items.get(number=1).report
    report.body = text
    report.save()


def test_downloading_again_gives_the_same_document(published):
    url = published.get_absolute_url() + "pack.pdf"
    first, second = Client().get(url).getvalue(), Client().get(url).getvalue()  # streamed from storage
    assert first == second == read_bytes(published.revisions.get(number=1).pdf_file)


def test_a_change_reaches_the_public_only_as_a_revision_saying_what_changed(published, staff_client):
    url = published.get_absolute_url()
    change_finance(published, "Spend is 12.")
    assert "Spend is 10." in Client().get(url).content.decode()  # frozen for the public
    assert "Spend is 12." in staff_client.get(url).content.decode()  # clerks work on it live

    revision = meeting_publish_changes(meeting=published)
    assert revision.number == 2
    assert revision.changes == ["Item 1 (Finance): changed"]
    page = Client().get(url).content.decode()
    assert "Spend is 12." in page
    assert "Revised on" in page
    assert "Item 1 (Finance): changed" in page

    earlier = Client().get(url + "revisions/1/").content.decode()
    assert "Spend is 10." in earlier
    assert "Spend is 12." not in earlier
    pdf = Client().get(url + "revisions/1.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.getvalue() == read_bytes(published.revisions.get(number=1).pdf_file)


def test_nothing_changed_means_no_revision(published):
    with pytest.raises(ValidationError, match="Nothing in the pack has changed"):
        meeting_publish_changes(meeting=published)


def test_items_added_and_removed_are_named(published):
    factories.ReportFactory(item__meeting=published, item__number=3, item__title="Estates")
    published.items.get(number=2).delete()
    assert meeting_publish_changes(meeting=published).changes == [
        "Item 2: removed",
        "Item 3 (Estates): added",
    ]


def test_the_clerk_publishes_changes_from_the_admin(published, staff_client):
    change_finance(published, "Spend is 14.")
    response = staff_client.post(
        "/admin/meetings/meeting/",
        {"action": "publish_changes", "_selected_action": [published.pk]},
        follow=True,
    )
    assert "revision 2 published (Item 1 (Finance): changed)" in response.content.decode()


def test_an_unknown_revision_is_404(published):
    assert Client().get(published.get_absolute_url() + "revisions/9/").status_code == 404


def test_a_draft_has_no_public_revisions(published):
    published.status = Meeting.Status.DRAFT
    published.save()
    assert Client().get(published.get_absolute_url() + "revisions/1/").status_code == 404


def test_item_pages_and_pdfs_are_frozen_too(published, staff_client):
    item = published.get_absolute_url() + "items/1/"
    change_finance(published, "Spend is 13.")
    assert "Spend is 10." in Client().get(item).content.decode()
    assert "Spend is 13." in staff_client.get(item).content.decode()
    first = Client().get(item[:-1] + ".pdf").content
    assert first == Client().get(item[:-1] + ".pdf").content  # kept after the first download
    meeting_publish_changes(meeting=published)
    assert "Spend is 13." in Client().get(item).content.decode()


def test_an_item_added_after_publication_is_not_public_until_a_revision(published):
    factories.ReportFactory(item__meeting=published, item__number=3, item__title="Estates")
    url = published.get_absolute_url() + "items/3/"
    assert Client().get(url).status_code == 404
    meeting_publish_changes(meeting=published)
    assert "Estates" in Client().get(url).content.decode()


def member_of(meeting, django_user_model):
    """A login for a voting member of the meeting's board-year."""
    person = factories.PersonFactory()
    factories.MembershipFactory(board_year=meeting.board_year, person=person)
    person.user = django_user_model.objects.create_user("member-x", first_name="Ann", last_name="Member")
    person.save()
    client = Client()
    client.force_login(person.user)
    return client


def test_members_read_the_published_pack_when_it_has_nothing_confidential(published, django_user_model):
    """They receive what the public receive (the frozen pack, not later unpublished edits), with the
    header saying who they are."""
    url = published.get_absolute_url()
    change_finance(published, "Spend is 12.")
    page = member_of(published, django_user_model).get(url).content.decode()
    assert "Spend is 10." in page
    assert "Spend is 12." not in page
    assert "Signed in as Ann Member" in page
    assert 'name="csrfmiddlewaretoken"' in page  # the sign-out form's token, made for this reader
    public = Client().get(url).content.decode()
    assert "Signed in as" not in public
    assert f'href="/sign-in/?next={url}">Sign in</a>' in public


def test_members_read_a_pack_with_a_confidential_item_live(published, django_user_model):
    item = published.items.get(number=2)
    item.confidential = True
    item.save()
    page = member_of(published, django_user_model).get(published.get_absolute_url()).content.decode()
    assert "Staff." in page  # the confidential report, which the frozen pack withholds


class TestTwoClerksAtOnce:
    def test_publishing_changes_locks_the_meeting_row(self, published):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        change_finance(published, "Spend is 11.")
        with CaptureQueriesContext(connection) as queries:
            meeting_publish_changes(meeting=published, by=None)
        sql = [query["sql"] for query in queries.captured_queries if "SAVEPOINT" not in query["sql"]]
        assert sql[0].startswith('SELECT "meetings_meeting"')  # the meeting, before anything else
        if connection.features.has_select_for_update:  # PostgreSQL: the clerks take turns
            assert sql[0].endswith("FOR UPDATE")

    def test_a_lost_race_is_a_clear_message_not_an_error(self, published, staff_client, monkeypatch):
        """Another clerk's revision lands between reading the latest revision and saving ours."""
        from meetings import revisions
        from meetings.models import PackRevision

        change_finance(published, "Spend is 11.")
        real_fingerprint = revisions.pack_fingerprint

        def another_clerk_publishes_first(meeting):
            PackRevision.objects.create(
                meeting=meeting, number=2, published_at=published.published_at, changes=[], fingerprint={},
            )  # fmt: skip
            return real_fingerprint(meeting)

        monkeypatch.setattr(revisions, "pack_fingerprint", another_clerk_publishes_first)
        action = {"action": "publish_changes", "_selected_action": [published.pk]}
        response = staff_client.post("/admin/meetings/meeting/", action, follow=True)
        assert response.status_code == 200
        html = response.content.decode()
        assert "was published at the same moment as yours. Nothing of yours was published" in html
