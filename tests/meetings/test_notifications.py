"""Telling people: when a pack is published or revised, or a draft is released to members, the
board's members (and the officers named as contacts) are e-mailed, one e-mail each, never with the
content of a confidential item; a send that fails is tried again and shown to the clerk, who can
send it again; each person can turn these e-mails off on their account page."""

import re
import smtplib
from datetime import timedelta
from html import unescape

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from meetings import notifications, services, tasks
from meetings.models import Meeting, Membership, Notification, PackRevision, Person, Publishing, Report
from tests import factories
from tests.forms import form_data

pytestmark = pytest.mark.django_db

SITE = "https://papers.example.org"
SECRET = "We will offer 4.2 million for the depot."


class RefusingBackend(BaseEmailBackend):
    """A mail server that knows none of the addresses."""

    def send_messages(self, email_messages):
        refused = {address: (550, b"5.1.1 No such mailbox") for m in email_messages for address in m.to}
        raise smtplib.SMTPRecipientsRefused(refused)


REFUSING = override_settings(EMAIL_BACKEND="tests.meetings.test_notifications.RefusingBackend")
# A queue nobody works: what a server's worker has not yet run.
QUEUED_ONLY = override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
)


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.LGABOARD_SITE_URL = SITE


@pytest.fixture
def meeting():
    """A draft with two members (one with no address), a member who turned these e-mails off, a
    contact officer, an officer named on a report, a confidential item, and someone on the board in
    another year, who is not told."""
    officer = factories.PersonFactory(
        title="", first_name="Olive", last_name="Officer", email="olive@example.org"
    )
    meeting = factories.MeetingFactory(
        status=Meeting.Status.DRAFT, date=timezone.localdate() + timedelta(days=20), contact_officer=officer
    )
    year = meeting.board_year
    for first, last, email, by_email in [
        ("Ann", "Able", "ann@example.org", True),
        ("Ben", "Baker", "", True),
        ("Cat", "Cole", "cat@example.org", False),
    ]:
        person = factories.PersonFactory(
            first_name=first, last_name=last, email=email, papers_by_email=by_email
        )
        factories.MembershipFactory(board_year=year, person=person)
    other_year = factories.BoardYearFactory(board=year.board, start_year=2016)
    factories.MembershipFactory(board_year=other_year, person__email="last-year@example.org")
    finance = factories.ReportFactory(item__meeting=meeting, item__number=1, item__title="Finance")
    factories.ReportContactFactory(
        report=finance, person__first_name="Raj", person__last_name="Rao", person__email="raj@example.org"
    )
    secret = factories.AgendaItemFactory(
        meeting=meeting, number=2, title="Depot", confidential=True, exemption=3, exemption_reason="Prices."
    )
    factories.ReportFactory(item=secret, summary=SECRET, body=SECRET)
    return meeting


def addresses() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def publish(meeting, kind=Publishing.Kind.PUBLISH, note=""):
    publishing = services.publishing_request(meeting=meeting, kind=kind, note=note)  # the clerk's Publish
    assert publishing.status == Publishing.Status.DONE, publishing.message
    return publishing


def test_members_and_contact_officers_get_one_email_each_on_publication(meeting):
    publish(meeting)

    assert [message.to for message in mail.outbox if len(message.to) != 1] == []  # one person each
    assert addresses() == ["ann@example.org", "olive@example.org", "raj@example.org"]
    message = next(m for m in mail.outbox if m.to == ["ann@example.org"])
    date = f"{meeting.date:%-d %B %Y}"
    assert message.subject == f"Papers published: {meeting.board.name}, {date}"
    link = f"{SITE}/boards/{meeting.board.slug}/{meeting.date}/"
    assert (
        f"The papers for the {meeting.board.name} meeting on {meeting.date:%A} {date} are published."
        in message.body
    )
    assert f"Read the papers: {link}\n" in message.body
    assert "1. Finance\n2. Depot (not for publication)\n" in message.body
    assert f'<a href="{link}"' in html_of(message)
    assert (
        f"You are getting this e-mail because you are a member of the {meeting.board.name} in 2017/18."
        in (message.body)
    )
    # Ann has no login, so no account page: she is told whom to ask.
    assert "To stop these e-mails, tell Olive Officer (olive@example.org)." in message.body
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"


def test_who_is_not_told_is_recorded_and_nobody_is_told_twice(meeting):
    publish(meeting)
    statuses = dict(Notification.objects.filter(meeting=meeting).values_list("person__first_name", "status"))
    assert statuses == {
        "Ann": "sent",
        "Ben": "no_address",
        "Cat": "turned_off",  # she turned these e-mails off: none for her
        "Olive": "sent",
        "Raj": "sent",
    }
    mail.outbox.clear()
    services.meeting_unpublish(meeting=meeting)
    publish(meeting)  # published again unchanged: the same revision, of which everyone was told
    assert mail.outbox == []
    assert Notification.objects.filter(meeting=meeting).count() == 5


def test_a_revision_gives_the_clerks_note_and_the_changes(meeting):
    publish(meeting)
    mail.outbox.clear()
    meeting.items.filter(number=1).update(title="Finance and budget")

    publish(meeting, kind=Publishing.Kind.CHANGES, note="The budget figures were corrected.")

    assert addresses() == ["ann@example.org", "olive@example.org", "raj@example.org"]
    message = mail.outbox[0]
    assert message.subject.startswith("Papers revised: ")
    assert message.subject.endswith("(revision 2)")
    assert (
        "What changed\n\nThe budget figures were corrected.\n\n- Item 1 (Finance and budget): changed\n"
        in (message.body)
    )
    assert "The budget figures were corrected." in html_of(message)
    assert "<li>Item 1 (Finance and budget): changed</li>" in html_of(message)


def test_no_email_gives_the_content_of_a_confidential_item(meeting):
    publish(meeting)
    Report.objects.filter(item__meeting=meeting, item__number=2).update(summary=SECRET + " Changed.")
    publish(meeting, kind=Publishing.Kind.CHANGES, note="")
    stored = Notification.objects.filter(meeting=meeting)

    assert len(mail.outbox) == 6
    for message in mail.outbox:
        assert "4.2 million" not in message.body
        assert "4.2 million" not in html_of(message)
    assert not stored.filter(text__contains="4.2 million").exists()
    assert not stored.filter(html__contains="4.2 million").exists()
    # A member may read it when signed in, and is told how many there are; an officer is not.
    [member] = [m for m in mail.outbox if m.to == ["ann@example.org"] and "published" in m.subject]
    [officer] = [m for m in mail.outbox if m.to == ["raj@example.org"] and "published" in m.subject]
    assert (
        "1 confidential item: as a member of the board you can read it when you are signed in." in member.body
    )
    assert "confidential item:" not in officer.body


def test_a_failing_mail_server_is_retried_then_shown_to_the_clerk_who_sends_again(meeting, staff_client):
    with REFUSING:
        publishing = publish(meeting)

    ann = Notification.objects.get(meeting=meeting, person__first_name="Ann")
    assert (ann.status, ann.attempts) == ("failed", 3)  # the first try and two more
    assert ann.last_error == "SMTPRecipientsRefused: 550 5.1.1 No such mailbox"
    assert mail.outbox == []
    page = text(staff_client.get(f"/admin/meetings/meeting/{meeting.pk}/publishing/{publishing.pk}/"))
    assert "E-mails: 3 failed, 2 not told." in page
    assert (
        "Cllr Ann Able, ann@example.org: SMTPRecipientsRefused: 550 5.1.1 No such mailbox (3 tries, "
        "the last at" in page
    )
    assert "Not told: Cllr Ben Baker: no e-mail address Cllr Cat Cole: has turned these e-mails off" in page
    change_page = text(staff_client.get(f"/admin/meetings/meeting/{meeting.pk}/change/"))
    assert "3 failed, 2 not told. Who was e-mailed, and any that failed" in change_page

    emails_url = f"/admin/meetings/meeting/{meeting.pk}/emails/"
    assert 'value="Send again"' in staff_client.get(emails_url).content.decode()
    response = staff_client.post(emails_url, {"next": f"/admin/meetings/meeting/{meeting.pk}/change/"})
    assert response["Location"] == f"/admin/meetings/meeting/{meeting.pk}/change/"

    assert addresses() == ["ann@example.org", "olive@example.org", "raj@example.org"]
    page = staff_client.get(emails_url)
    assert "Publication (revision 1) E-mails: 3 sent, 2 not told." in text(page)
    assert 'value="Send again"' not in page.content.decode()


def test_a_try_that_fails_waits_before_the_next_where_the_queue_can_wait(meeting):
    """A worker's queue (the database's, Redis's) runs the next try a minute later, not at once."""
    with REFUSING, QUEUED_ONLY:
        services.meeting_publish(meeting=meeting)  # the e-mails are queued, not yet sent
        queue = tasks.send_notification.get_backend()
        ann = Notification.objects.get(meeting=meeting, person__first_name="Ann")
        assert [(r.task.name, r.args) for r in queue.results if r.args == [ann.pk]] == [
            ("send_notification", [ann.pk])
        ]

        notifications.notification_send(notification_id=ann.pk)  # what the worker does

        retry = queue.results[-1]
    ann.refresh_from_db()
    assert (ann.status, ann.attempts) == ("queued", 1)
    assert ann.last_error.startswith("SMTPRecipientsRefused")
    assert (retry.args, retry.task.run_after) == ([ann.pk], ann.next_attempt_at)
    assert timedelta(seconds=55) < ann.next_attempt_at - ann.last_attempt_at < timedelta(seconds=65)
    notifications.notification_send(notification_id=ann.pk)  # its next try: sent
    ann.refresh_from_db()
    assert (ann.status, ann.attempts, ann.last_error) == ("sent", 2, "")
    assert addresses() == ["ann@example.org"]
    notifications.notification_send(notification_id=ann.pk)  # a task delivered twice sends nothing
    assert len(mail.outbox) == 1


def test_only_a_clerk_may_send_again(meeting, client, django_user_model):
    with REFUSING:
        publish(meeting)
    emails_url = f"/admin/meetings/meeting/{meeting.pk}/emails/"
    assert client.post(emails_url).status_code == 302  # to the admin's sign-in
    officer = django_user_model.objects.create_user("officer-x", password="x", is_staff=True)
    client.force_login(officer)
    assert client.post(emails_url).status_code == 404
    assert mail.outbox == []
    assert Notification.objects.filter(meeting=meeting, status="failed").count() == 3


def test_ticking_released_to_members_tells_the_members_once(meeting, staff_client):
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    data = form_data(staff_client.get(url).content.decode(), "meeting_form")
    data["released_to_members"] = "on"
    response = staff_client.post(url, data, follow=True)

    page = text(response)
    assert "The draft is released to the board's members: 1 e-mailed, 2 not told" in page
    assert "1 sent, 2 not told. Who was e-mailed, and any that failed" in text(staff_client.get(url))
    assert addresses() == ["ann@example.org"]  # members only: the draft is for them
    [message] = mail.outbox
    assert message.subject == f"Draft papers for members: {meeting.board.name}, {meeting.date:%-d %B %Y}"
    assert "They are not public yet" in message.body
    assert SECRET not in message.body
    assert SECRET not in html_of(message)

    mail.outbox.clear()
    meeting.refresh_from_db()
    meeting.released_to_members = False
    meeting.save()
    services.meeting_release_to_members(meeting=meeting)  # released again: told once is enough
    assert mail.outbox == []
    meeting.refresh_from_db()
    assert meeting.released_to_members


def test_loading_the_demo_tells_nobody(november_meeting):
    """The loader publishes history: nobody is e-mailed, even with addresses on every member."""
    PackRevision.objects.filter(meeting=november_meeting).delete()
    Meeting.objects.filter(pk=november_meeting.pk).update(status=Meeting.Status.DRAFT)
    members = Membership.objects.filter(board_year=november_meeting.board_year)
    for n, membership in enumerate(members.select_related("person")):
        membership.person.email = f"member{n}@example.org"
        membership.person.save()

    call_command("load_demo", verbosity=0)

    november_meeting.refresh_from_db()
    assert november_meeting.is_published
    assert november_meeting.revisions.count() == 1
    assert mail.outbox == []
    assert not Notification.objects.exists()


# Your account


@pytest.fixture
def member_login(meeting, django_user_model):
    user = django_user_model.objects.create_user("ann", password="x")
    Person.objects.filter(memberships__board_year=meeting.board_year, first_name="Ann").update(user=user)
    return user


def checkbox(response) -> str:
    return response.content.decode().split('id="id_papers_by_email"')[1].split(">")[0]


def test_the_account_page_is_for_signed_in_people(client):
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_a_member_turns_papers_emails_off_on_her_account_page_and_gets_none(client, member_login, meeting):
    client.force_login(member_login)
    page = client.get("/")
    assert '<a class="app-header__link" href="/account/">Your account</a>' in page.content.decode()
    account = client.get("/account/")
    words = text(account)
    assert "Your account" in words
    assert "Name Cllr Ann Able E-mail ann@example.org Username ann" in words
    assert "checked" in checkbox(account)
    assert 'href="/account/two-factor/"' in account.content.decode()

    response = client.post("/account/", {}, follow=True)  # the box unticked

    assert "You will not be e-mailed about papers any more." in text(response)
    assert "checked" not in checkbox(response)
    publish(meeting)
    assert "ann@example.org" not in addresses()
    assert Notification.objects.get(meeting=meeting, person__first_name="Ann").status == "turned_off"

    response = client.post("/account/", {"papers_by_email": "on"}, follow=True)
    assert "You will be e-mailed when papers are published or changed." in text(response)
    assert Person.objects.get(user=member_login).papers_by_email


def test_a_member_with_a_login_is_told_where_to_turn_them_off(member_login, meeting):
    services.meeting_release_to_members(meeting=meeting)
    [message] = mail.outbox
    assert "sign in to read them" in message.body
    assert (
        'To stop these e-mails, sign in and untick "E-mail me when papers are published or changed" on '
        f"your account page: {SITE}/account/\n"
    ) in message.body
    assert f'<a href="{SITE}/account/"' in html_of(message)


def test_a_login_with_no_person_has_nothing_to_choose(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("visitor", password="x", email="v@example.org"))
    page = text(client.get("/account/"))
    assert "Your login is not linked to anyone in the board's directory" in page
    assert "E-mail me when papers are published or changed" not in page
    assert "Save your choice" not in page
    client.post("/account/", {"papers_by_email": "on"})  # nothing to save: nothing happens


def test_nobody_changes_someone_elses_choice(meeting, django_user_model):
    ann = Person.objects.get(memberships__board_year=meeting.board_year, first_name="Ann")
    someone = django_user_model.objects.create_user("someone", password="x")
    with pytest.raises(PermissionDenied):
        notifications.person_choose_papers_by_email(person=ann, by=someone, papers_by_email=False)
    ann.refresh_from_db()
    assert ann.papers_by_email


def test_an_email_whose_task_was_lost_is_sent_again_but_not_one_still_to_come(meeting):
    """A worker that died, or a queue emptied, leaves an e-mail waiting for ever: "Send again"
    queues what waited past its time, and leaves alone what is still due to be tried."""
    with QUEUED_ONLY:
        services.meeting_publish(meeting=meeting)  # queued; no worker runs them
    assert notifications.notifications_send_again(meeting=meeting) == 0  # all still to come
    waiting = Notification.objects.filter(meeting=meeting, status=Notification.Status.QUEUED)
    lost = waiting.first()
    waiting.filter(pk=lost.pk).update(queued_at=timezone.now() - timedelta(hours=1))
    assert notifications.notifications_send_again(meeting=meeting) == 1  # the test queue sends at once
    lost.refresh_from_db()
    assert lost.status == Notification.Status.SENT
    assert addresses() == [lost.address]
