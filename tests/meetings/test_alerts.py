"""E-mail alerts for the public: asked for with an address, confirmed from the e-mail (double
opt-in), sent when the board's papers are published or revised (as the public pack says them), and
unsubscribed in one click, also from the mail program (RFC 8058). Tested with the locmem backend."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError
from django.test import Client, override_settings
from django.utils import timezone

from meetings import alerts_views, notifications, services, tasks
from meetings.models import Meeting, Notification, Subscription
from tests import factories

pytestmark = pytest.mark.django_db

ADDRESS = "resident@example.org"
QUEUED_ONLY = override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
)
SECRET = "We will offer 4.2 million for the depot."


@pytest.fixture(autouse=True)
def site(settings):
    settings.LGABOARD_SITE_URL = "https://papers.example.org"
    cache.clear()  # the limit on asking counts per client address, in the cache


@pytest.fixture
def board():
    return factories.BoardFactory(slug="alerts-board", name="Alerts Board")


def link_in(message, step: str) -> str:
    found = re.search(rf"https://papers\.example\.org(/alerts/[\w-]+/{step}/)", message.body)
    assert found, message.body
    return found.group(1)


def subscribe(client, email=ADDRESS) -> str:
    response = client.post("/boards/alerts-board/alerts/", {"email": email})
    return response.content.decode()


def test_asking_sends_a_link_to_confirm_and_nothing_counts_until_confirmed(board):
    client = Client()
    page = subscribe(client)
    assert "Check your e-mail" in page
    assert f"We have sent a message to {ADDRESS}" in page
    (message,) = mail.outbox
    assert message.to == [ADDRESS]
    assert message.subject == "Confirm: e-mails about the Alerts Board's papers"
    confirm = link_in(message, "confirm")
    assert Subscription.objects.get().confirmed_at is None
    assert "Confirm" in client.get(confirm).content.decode()
    assert (
        Subscription.objects.get().confirmed_at is None
    )  # fetching the link (a mail scanner) is not confirming
    assert "You are subscribed" in client.post(confirm).content.decode()
    assert Subscription.objects.get().confirmed_at is not None


def test_the_page_answers_the_same_for_an_address_already_subscribed(board):
    subscribe(Client())
    Subscription.objects.update(confirmed_at=timezone.now())
    mail.outbox.clear()
    page = subscribe(Client())
    assert f"We have sent a message to {ADDRESS}" in page
    (message,) = mail.outbox
    assert "already subscribed" in message.body
    assert link_in(message, "unsubscribe")
    assert Subscription.objects.count() == 1


def test_a_bad_address_is_refused_saying_why(board):
    response = Client().post("/boards/alerts-board/alerts/", {"email": "not an address"})
    assert response.status_code == 400
    assert "Enter an e-mail address in the correct format, like name@example.com" in response.content.decode()
    assert not Subscription.objects.exists()
    assert mail.outbox == []


def test_an_address_not_confirmed_within_a_week_is_deleted(board):
    subscribe(Client())
    token = Subscription.objects.get().token
    Subscription.objects.update(asked_at=timezone.now() - datetime.timedelta(days=8))
    assert Client().post(f"/alerts/{token}/confirm/").status_code == 404
    assert not Subscription.objects.exists()


@pytest.fixture
def subscribed(board):
    subscribe(Client())
    Subscription.objects.update(confirmed_at=timezone.now())
    mail.outbox.clear()
    return Subscription.objects.get()


@pytest.fixture
def meeting(board):
    year = factories.BoardYearFactory(board=board)
    meeting = factories.MeetingFactory(board_year=year, status=Meeting.Status.DRAFT)
    factories.ReportFactory(item__meeting=meeting, item__number=1, item__title="Finance update")
    secret = factories.AgendaItemFactory(
        meeting=meeting, number=2, title="Depot sale", confidential=True, exemption=3
    )
    factories.ReportFactory(item=secret, summary=SECRET, for_information=True)
    factories.MembershipFactory(board_year=year, person__email="member@example.org")
    return meeting


def test_a_subscriber_is_told_of_a_publication_as_the_public_pack_says_it(subscribed, meeting):
    services.meeting_publish(meeting=meeting)
    (message,) = [m for m in mail.outbox if m.to == [ADDRESS]]
    assert message.body.startswith("Hello,")
    assert "2. Depot sale (not for publication)" in message.body
    assert SECRET not in message.body
    assert "confidential item" not in message.body  # members are told how many; the public are not
    unsubscribe = f"https://papers.example.org/alerts/{subscribed.token}/unsubscribe/"
    assert unsubscribe in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    notice = Notification.objects.get(subscription=subscribed)
    assert notice.status == Notification.Status.SENT
    with pytest.raises(ValidationError):  # nothing changed: no revision, and nobody told again
        services.meeting_publish_changes(meeting=meeting, note="Nothing changed")
    assert len([m for m in mail.outbox if m.to == [ADDRESS]]) == 1


def test_a_draft_released_to_members_is_not_told_to_the_public(subscribed, meeting):
    services.meeting_release_to_members(meeting=meeting)
    assert [m.to for m in mail.outbox] == [["member@example.org"]]  # the member is told; the public not


def test_one_click_from_the_mail_program_unsubscribes_and_deletes_the_address(subscribed, meeting):
    services.meeting_publish(meeting=meeting)
    client = Client(enforce_csrf_checks=True)  # a mail program sends no form token
    url = f"/alerts/{subscribed.token}/unsubscribe/"
    assert "Unsubscribe" in client.get(url).content.decode()
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert "You are unsubscribed" in response.content.decode()
    assert not Subscription.objects.exists()
    assert not Notification.objects.filter(address=ADDRESS).exists()  # what was sent to it goes too
    assert client.get(url).status_code == 404


def test_unknown_links_and_boards_are_404(board):
    client = Client()
    assert client.get("/alerts/no-such-token/confirm/").status_code == 404
    assert client.get("/alerts/no-such-token/unsubscribe/").status_code == 404
    assert client.get("/boards/no-such-board/alerts/").status_code == 404


def test_asking_again_and_again_is_limited_per_mailbox_however_it_is_written(board):
    for n in range(alerts_views.ASKS_AN_HOUR + 2):
        client = Client(REMOTE_ADDR=f"192.0.2.{n}")  # a different client each time
        assert "Check your e-mail" in subscribe(client, f"Resident+{n}@Example.org")  # the same answer
    assert len(mail.outbox) == alerts_views.ASKS_AN_HOUR


def test_asking_again_and_again_is_limited_per_client_an_ipv6_one_by_its_64(board):
    for n in range(alerts_views.ASKS_AN_HOUR + 2):
        client = Client(REMOTE_ADDR=f"2001:db8:1:2::{n + 1}")  # one host's /64
        subscribe(client, f"person{n}@example.org")
    assert len(mail.outbox) == alerts_views.ASKS_AN_HOUR


def test_an_address_is_one_subscription_in_any_case(board):
    subscribe(Client(REMOTE_ADDR="192.0.2.1"), "Resident@Example.org")
    subscribe(Client(REMOTE_ADDR="192.0.2.2"), "resident@example.org")
    assert Subscription.objects.count() == 1
    with pytest.raises(IntegrityError):
        Subscription.objects.create(board=board, email="RESIDENT@example.org", asked_at=timezone.now())


def test_the_queue_keeps_no_address_and_an_address_gone_is_sent_nothing(board):
    """The task carries the subscription's id, not the address (the queue keeps its tasks); the
    worker writes the message, and to an address deleted meanwhile sends nothing."""
    with QUEUED_ONLY:
        subscribe(Client())
        (task,) = tasks.send_subscription_message.get_backend().results
    assert ADDRESS not in repr(task.args)
    subscription = Subscription.objects.get()
    Client().post(f"/alerts/{subscription.token}/unsubscribe/")
    assert notifications.subscription_message_send(subscription_id=subscription.pk) is False
    assert mail.outbox == []


def test_unconfirmed_addresses_are_pruned_by_the_daily_command(board):
    subscribe(Client())
    Subscription.objects.update(asked_at=timezone.now() - datetime.timedelta(days=8))
    call_command("prune_subscriptions", verbosity=0)
    assert not Subscription.objects.exists()
