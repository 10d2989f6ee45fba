"""A member's own front page, where signing in lands: their boards' next meetings with their packs
(drafts released to them marked, confidential items counted), what changed in each pack since they
last opened it, and their actions."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, PackOpened, PackRevision
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def member(django_user_model):
    user = django_user_model.objects.create_user("judi", password="a-long-test-password")
    person = factories.PersonFactory(first_name="Judi", last_name="Billing", user=user)
    membership = factories.MembershipFactory(person=person)
    return user, person, membership.board_year


def meeting_in(board_year, days: int, **kwargs) -> Meeting:
    return factories.MeetingFactory(
        board_year=board_year, date=TODAY + datetime.timedelta(days=days), **kwargs
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_of(client) -> str:
    return client.get("/your-papers/").content.decode()


def test_signing_in_lands_on_the_front_page(member):
    client = Client()
    response = client.post("/sign-in/", {"username": "judi", "password": "a-long-test-password"}, follow=True)
    assert response.redirect_chain == [("/your-papers/", 302)]
    assert "Judi Billing" in response.content.decode()
    # A page asked for before signing in still comes first.
    response = Client().post(
        "/sign-in/?next=/boards/", {"username": "judi", "password": "a-long-test-password"}
    )
    assert response["Location"] == "/boards/"


def test_the_next_meetings_of_their_boards_with_drafts_marked_and_confidential_items_counted(member):
    user, _, year = member
    published = meeting_in(year, 10)
    factories.AgendaItemFactory(meeting=published, number=1, title="Welcome")
    factories.AgendaItemFactory(meeting=published, number=2, title="Tender", confidential=True, exemption=3)
    released = meeting_in(year, 40, status=Meeting.Status.DRAFT, released_to_members=True)
    unreleased = meeting_in(year, 70, status=Meeting.Status.DRAFT)
    elsewhere = meeting_in(factories.BoardYearFactory(), 20)
    page = page_of(signed_in(user))
    section = page[page.index("Your next meetings") : page.index("Your actions")]
    assert published.get_absolute_url() in section
    assert released.get_absolute_url() in section
    assert section.index(published.get_absolute_url()) < section.index(released.get_absolute_url())
    assert unreleased.get_absolute_url() not in page
    assert elsewhere.get_absolute_url() not in page
    assert "2 items, 1 not for publication (you may read it: marked confidential in the pack)" in section
    assert section.count("Draft released to members") == 1
    assert section.count("You have not opened this pack yet.") == 2


def test_it_says_what_changed_since_the_member_last_opened_the_pack(member):
    user, _, year = member
    meeting = meeting_in(year, 10)
    factories.AgendaItemFactory(meeting=meeting, number=1, title="Welcome")
    PackRevision.objects.create(meeting=meeting, number=1, published_at=timezone.now())
    client = signed_in(user)
    assert "Not opened yet" in page_of(client)

    services.pack_opened(user=user, meeting=meeting)  # they read it
    opened = PackOpened.objects.get(user=user, meeting=meeting).opened_at
    page = page_of(client)
    assert f"Nothing, since {timezone.localtime(opened):%-d %B %Y, %H:%M}." in page
    assert "Changed since you opened it" not in page

    PackRevision.objects.create(
        meeting=meeting,
        number=2,
        published_at=opened + datetime.timedelta(minutes=5),
        note="The finance report's table was corrected.",
        changes=["Item 4 (Finance update): the report changed."],
    )
    page = page_of(client)
    assert "Changed since you opened it" in page
    assert "Revision 2," in page
    assert "The finance report&#x27;s table was corrected." in page
    assert "Item 4 (Finance update): the report changed." in page


def test_a_released_draft_that_changed_after_it_was_opened_says_so(member):
    user, _, year = member
    draft = meeting_in(year, 10, status=Meeting.Status.DRAFT, released_to_members=True)
    item = factories.AgendaItemFactory(meeting=draft, number=1, title="Welcome")
    client = signed_in(user)
    assert "You have not opened this pack yet." in page_of(client)
    assert "Welcome" in client.get(draft.get_absolute_url()).content.decode()  # they read it
    assert PackOpened.objects.filter(user=user, meeting=draft).exists()
    assert "Nothing, since" in page_of(client)

    item.title = "Welcome and apologies"
    item.save()
    page = page_of(client)
    assert "The clerk has saved the draft since you opened it, last on" in page
    assert "Saved again since you opened it" in page


def test_their_actions_open_ones_first(member):
    user, person, year = member
    minutes = factories.MinutesFactory(meeting=meeting_in(year, -30))
    done = factories.ActionFactory(
        entry__minutes=minutes, owner=person, owner_label="", text="Write to the minister.", status="done"
    )
    open_ = factories.ActionFactory(
        entry__minutes=minutes, owner=person, owner_label="", text="Visit Bristol."
    )
    factories.ActionFactory(entry__minutes=minutes, text="Someone else's action.")
    page = page_of(signed_in(user))
    actions = page[page.index('id="actions"') :]
    assert "1 open of 2 the minutes give you." in actions
    assert actions.index(open_.text) < actions.index(done.text)
    assert "Someone else&#x27;s action." not in actions


def test_a_sign_in_without_a_person_is_told_so_and_the_public_are_asked_to_sign_in(django_user_model):
    clerk = django_user_model.objects.create_user("clerk-only", is_staff=True)
    assert "is not linked to a board member or an officer" in page_of(signed_in(clerk))
    response = Client().get("/your-papers/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=/your-papers/")


def test_the_page_takes_the_same_queries_however_many_meetings(member, django_assert_num_queries):
    user, _, year = member
    client = signed_in(user)
    for days in (10, -10):  # one coming, one held
        factories.AgendaItemFactory(meeting=meeting_in(year, days), number=1)
    client.get("/your-papers/")  # the session and the user are loaded once, as on any page
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get("/your-papers/")
    for days in (20, 30, -20):
        factories.AgendaItemFactory(meeting=meeting_in(year, days), number=1)
    with django_assert_num_queries(len(one)):
        page = page_of(client)
    assert page.count("app-pack-news") == 5


def test_a_clerk_finds_the_meetings_they_look_after_with_the_way_to_each_agenda(django_user_model):
    clerk = django_user_model.objects.create_user("clerk-front", is_staff=True, is_superuser=True)
    coming = factories.MeetingFactory(date=TODAY + datetime.timedelta(days=7), status=Meeting.Status.DRAFT)
    page = page_of(signed_in(clerk))
    clerking = page[page.index('id="clerking"') :]
    assert f'href="/admin/meetings/meeting/{coming.pk}/change/">{coming}</a>' in clerking
    assert "Draft ·" in clerking
    # A member who may not change meetings is shown none of this.
    assert 'id="clerking"' not in page_of(signed_in(django_user_model.objects.create_user("reader")))
