"""Telling people that papers are out, by e-mail, in the background.

`notify` is the last step of the services that publish a pack, publish its changes and release a
draft to members (services.meeting_publish, meeting_publish_changes, meeting_release_to_members),
inside their transaction, so a publication that fails tells nobody. It writes each person's e-mail
(templates/meetings/email/), records it (models.Notification: one per person per revision, or per
release) and queues one task per e-mail (tasks.send_notification). The worker's `notification_send`
sends it through Django's e-mail API; a failure is tried again later (RETRY_DELAYS), then shown to
the clerk, who can send it again (`notifications_send_again`).
"""

import logging
import re
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from lgaboard.site import absolute
from lgaboard.tasks import enqueue_with_transaction

from .models import Meeting, Notification, PackRevision, Person, Subscription
from .selectors.notifications import (
    PapersNews,
    Recipient,
    papers_news,
    people_to_tell,
    subscribers_to_tell,
)

logger = logging.getLogger(__name__)

# Seconds to wait before trying a failed e-mail again: three tries in all, the last ten minutes on.
RETRY_DELAYS = (60, 540)


def notify(*, meeting: Meeting, kind: str, revision: PackRevision | None = None) -> list[Notification]:
    """Write, record and queue an e-mail to each person to tell of this occasion (`kind`: a
    revision published, or the draft released) who has not been told of it already. Someone with
    no address, or who has turned these e-mails off, is recorded as not told. The caller holds
    the meeting's row locked, in its transaction: the tasks are queued with it."""
    occasion = Q(revision=revision) if revision is not None else Q(kind=kind)
    told = meeting.notifications.filter(occasion)
    people = set(told.values_list("person_id", flat=True))
    subscribed = set(told.values_list("subscription_id", flat=True))
    recipients = [r for r in people_to_tell(meeting, kind) if r.person.pk not in people]
    subscribers = [s for s in subscribers_to_tell(meeting, kind) if s.pk not in subscribed]
    if not recipients and not subscribers:
        return []
    news = papers_news(meeting, kind, revision)
    now = timezone.now()
    notifications = Notification.objects.bulk_create(
        [*(_write(news, r, now) for r in recipients), *(_write_public(news, s, now) for s in subscribers)]
    )
    for notification in notifications:
        if notification.status == Notification.Status.QUEUED:
            _queue(notification)
    return notifications


def _write(news: PapersNews, recipient: Recipient, now) -> Notification:
    person = recipient.person
    context = {
        "news": news,
        "person": person,
        "reason": recipient.reason,
        "is_member": recipient.is_member,
        "has_login": person.user_id is not None,
    }
    return Notification(
        meeting=news.meeting,
        revision=news.revision,
        kind=news.kind,
        person=person,
        reason=recipient.reason,
        address=person.email,
        subject=news.subject,
        text=_tidy(render_to_string("meetings/email/papers.txt", context)),
        html=render_to_string("meetings/email/papers.html", context),
        status=_status_for(person),
        queued_at=now,
    )


def _write_public(news: PapersNews, subscription: Subscription, now) -> Notification:
    """The same news for someone of the public who subscribed: what the public pack says, with the
    link that unsubscribes them in one click."""
    reason = f"the {news.board_name}'s papers are published or revised"
    context = {
        "news": news,
        "person": None,
        "reason": reason,
        "unsubscribe_link": unsubscribe_link(subscription),
    }
    return Notification(
        meeting=news.meeting,
        revision=news.revision,
        kind=news.kind,
        subscription=subscription,
        reason=f"subscribed to the {news.board_name}'s papers",
        address=subscription.email,
        subject=news.subject,
        text=_tidy(render_to_string("meetings/email/papers.txt", context)),
        html=render_to_string("meetings/email/papers.html", context),
        status=Notification.Status.QUEUED,
        queued_at=now,
    )


def unsubscribe_link(subscription: Subscription) -> str:
    return absolute(reverse("meetings:alerts_unsubscribe", kwargs={"token": subscription.token}))


def _tidy(text: str) -> str:
    """A plain-text e-mail without the blank lines and trailing spaces its template's tags leave."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def _status_for(person: Person) -> str:
    if not person.papers_by_email:
        return Notification.Status.TURNED_OFF
    if not person.email:
        return Notification.Status.NO_ADDRESS
    return Notification.Status.QUEUED


def _queue(notification: Notification, *, at=None) -> None:
    """One task per e-mail; a retry waits until `at` where the task queue can wait (the database's
    and Redis's can; the immediate one of the tests tries again at once)."""
    from . import tasks  # the tasks call this module

    task = tasks.send_notification
    if at is not None and task.get_backend().supports_defer:
        task = task.using(run_after=at)
    enqueue_with_transaction(task, notification.pk)


def notification_send(*, notification_id: int) -> Notification | None:
    """The worker's part: send one recorded e-mail, once. It is claimed first (a task delivered
    twice sends nothing the second time), then sent; a failure is recorded and tried again after
    RETRY_DELAYS, and after the last try it is marked failed for the clerk to see."""
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None:
        return None  # its subscriber unsubscribed meanwhile, and it went with the address
    if notification.status != Notification.Status.QUEUED:
        return notification  # sent already, or not to be sent
    attempt, now = notification.attempts + 1, timezone.now()
    claimed = Notification.objects.filter(
        pk=notification.pk, status=Notification.Status.QUEUED, attempts=notification.attempts
    ).update(attempts=attempt, last_attempt_at=now)
    if not claimed:
        return notification  # another delivery of this task has it
    notification.attempts, notification.last_attempt_at = attempt, now
    try:
        email_message(notification).send()
    except Exception as error:  # whatever the mail server or service says, recorded for the clerk
        logger.warning("E-mail %s failed: %s", notification.pk, error)  # the address is the clerk's to see
        _failed(notification, error)
    else:
        notification.status, notification.sent_at = Notification.Status.SENT, timezone.now()
        notification.last_error, notification.next_attempt_at = "", None
        notification.save(update_fields=["status", "sent_at", "last_error", "next_attempt_at"])
    return notification


def email_message(notification: Notification) -> EmailMultiAlternatives:
    """One e-mail to one person (never a list of addresses): plain text, with the HTML beside it."""
    headers = {"Auto-Submitted": "auto-generated"}
    if notification.subscription_id:  # one-click unsubscribing from the mail program (RFC 8058)
        headers["List-Unsubscribe"] = f"<{unsubscribe_link(notification.subscription)}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        notification.subject, notification.text, to=[notification.address], headers=headers
    )
    message.attach_alternative(notification.html, "text/html")
    return message


def _failed(notification: Notification, error: Exception) -> None:
    notification.last_error = describe_error(error)[:1000]
    again = notification.attempts <= len(RETRY_DELAYS)
    if again:
        notification.next_attempt_at = timezone.now() + timedelta(
            seconds=RETRY_DELAYS[notification.attempts - 1]
        )
    else:
        notification.status, notification.next_attempt_at = Notification.Status.FAILED, None
    notification.save(update_fields=["status", "last_error", "next_attempt_at"])
    if again:
        _queue(notification, at=notification.next_attempt_at)


def describe_error(error: Exception) -> str:
    """What the mail server said, as the clerk can read it: 'SMTPRecipientsRefused: 550 5.1.1 No such
    mailbox' rather than the exception's dictionary of bytes."""
    replies = getattr(error, "recipients", None)  # SMTPRecipientsRefused: {address: (code, message)}
    if isinstance(replies, dict) and replies:
        said = [_reply(*reply) for reply in replies.values() if isinstance(reply, tuple) and len(reply) == 2]
        return f"{type(error).__name__}: {'; '.join(said) or error}"
    if isinstance(getattr(error, "smtp_code", None), int):  # the server's answer to a command
        return f"{type(error).__name__}: {_reply(error.smtp_code, error.smtp_error)}"
    return f"{type(error).__name__}: {error}"


def _reply(code, message) -> str:
    text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
    return f"{code} {text}"


@transaction.atomic
def notifications_send_again(*, meeting: Meeting) -> int:
    """The clerk's "Send again": every e-mail about the meeting that failed, each not sent for want of
    an address to someone who has one now, and each still waiting long after it should have been
    tried (its task lost: a worker that died, a queue emptied) is queued again (to the address as it
    is now; someone who has since turned these e-mails off is not sent it). Returns how many."""
    queued = 0
    waiting = [Notification.Status.FAILED, Notification.Status.NO_ADDRESS, Notification.Status.QUEUED]
    overdue_before = timezone.now() - STUCK_AFTER
    notices = meeting.notifications.filter(status__in=waiting).select_related("person", "subscription")
    for notification in notices:
        if notification.status == Notification.Status.QUEUED:
            due = notification.next_attempt_at or notification.last_attempt_at or notification.queued_at
            if due > overdue_before:
                continue  # its task is still to come
        if notification.subscription_id:  # a subscriber (one who unsubscribed took theirs away)
            status, address = Notification.Status.QUEUED, notification.subscription.email
        else:
            status, address = _status_for(notification.person), notification.person.email
        if status == notification.status == Notification.Status.NO_ADDRESS:
            continue  # still no address
        notification.status, notification.address = status, address
        notification.attempts, notification.next_attempt_at = 0, None
        notification.save(update_fields=["status", "address", "attempts", "next_attempt_at"])
        if status == Notification.Status.QUEUED:
            _queue(notification)
            queued += 1
    return queued


# A queued e-mail not tried this long after it was due has lost its task: "Send again" queues it again.
STUCK_AFTER = timedelta(minutes=15)


def person_choose_papers_by_email(*, person: Person, by, papers_by_email: bool) -> Person:
    """A person's own choice, on their account page, whether to be e-mailed when papers are
    published, revised or released to members. Only their own: refused for anyone else's record."""
    if by is None or not by.is_authenticated or person.user_id != by.pk:
        raise PermissionDenied("You may change only your own e-mail choices.")
    person.papers_by_email = papers_by_email
    person.save(update_fields=["papers_by_email"])
    return person


# -- the public's e-mail alerts ---------------------------------------------------------------------

CONFIRM_WITHIN = timedelta(days=7)  # an address not confirmed by then is deleted


def subscription_request(*, board, email: str) -> Subscription:
    """Someone asks to be e-mailed when the board's papers are published or revised. Nothing is
    sent to the address but a message with the link that confirms it (double opt-in), or, if it
    already is subscribed, one that says so with the link to unsubscribe: the page answers the same
    either way, so it tells no one whether an address is subscribed. Addresses left unconfirmed
    past CONFIRM_WITHIN are deleted here (and by `subscriptions_prune`)."""
    from . import tasks  # the tasks call this module

    now = timezone.now()
    email = email.strip()
    with transaction.atomic():
        subscriptions_prune(now=now)
        subscription = (
            Subscription.objects.select_for_update().filter(board=board, email__iexact=email).first()
        )
        if subscription is None:  # two at once: the unique constraint (any case) refuses the second
            subscription = Subscription.objects.create(board=board, email=email, asked_at=now)
        elif subscription.confirmed_at is None:
            subscription.asked_at = now
            subscription.save(update_fields=["asked_at"])
        # The worker writes the message from the row: the queue keeps no address (its results are
        # kept), and an address deleted meanwhile is sent nothing.
        enqueue_with_transaction(tasks.send_subscription_message, subscription.pk)
    return subscription


def subscriptions_prune(*, now=None) -> int:
    """Delete the addresses not confirmed within CONFIRM_WITHIN (`manage.py prune_subscriptions`)."""
    now = now or timezone.now()
    deleted, _ = Subscription.objects.filter(
        confirmed_at__isnull=True, asked_at__lt=now - CONFIRM_WITHIN
    ).delete()
    return deleted


def subscription_message_send(*, subscription_id: int) -> bool:
    """The worker's part: the message that confirms an address (or says it is subscribed already)."""
    subscription = Subscription.objects.select_related("board").filter(pk=subscription_id).first()
    if subscription is None:
        return False
    board = subscription.board
    context = {
        "board": board,
        "subscription": subscription,
        "confirm_link": absolute(reverse("meetings:alerts_confirm", kwargs={"token": subscription.token})),
        "unsubscribe_link": unsubscribe_link(subscription),
        "days": CONFIRM_WITHIN.days,
    }
    subject = (
        f"You are subscribed to the {board.name}'s papers"
        if subscription.confirmed_at
        else f"Confirm: e-mails about the {board.name}'s papers"
    )
    body = _tidy(render_to_string("meetings/email/subscription.txt", context))
    headers = {"Auto-Submitted": "auto-generated"}
    EmailMultiAlternatives(subject, body, to=[subscription.email], headers=headers).send()
    return True


def subscription_confirm(*, token: str) -> Subscription | None:
    """The link in the confirming message, followed and confirmed (a button: a mail scanner that
    fetches links confirms nothing). None for a link unknown or too old."""
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(token=token).first()
        if subscription is None:
            return None
        if subscription.confirmed_at is None:
            if subscription.asked_at < timezone.now() - CONFIRM_WITHIN:
                subscription.delete()
                return None
            subscription.confirmed_at = timezone.now()
            subscription.save(update_fields=["confirmed_at"])
    return subscription


def subscription_cancel(*, token: str) -> bool:
    """Unsubscribe: the address is deleted, with what was sent to it. False if there was none."""
    deleted, _ = Subscription.objects.filter(token=token).delete()
    return bool(deleted)
