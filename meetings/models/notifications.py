"""Telling people that papers are out: one e-mail per person per occasion (a pack published, a
revision of it, a draft released to members), recorded with what became of it, so that the clerk
sees who was told, who could not be, and what failed."""

import secrets

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from .boards import Board
from .directory import Person
from .papers import Meeting
from .revisions import PackRevision


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    """Someone of the public who asked to be e-mailed when a board's papers are published or
    revised. The address is kept for that alone, and deleted when they unsubscribe. It counts only
    once confirmed from the e-mail sent to it (double opt-in); `token` is the secret in the links
    of every message (confirm, unsubscribe)."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="subscriptions")
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    asked_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # An address once per board, in whatever case it was typed.
            models.UniqueConstraint(Lower("email"), "board", name="one_subscription_per_address")
        ]

    def __str__(self):
        state = "confirmed" if self.confirmed_at else "not confirmed"
        return f"{self.email}: {self.board} ({state})"


class Notification(models.Model):
    """The e-mail one person is sent about one occasion, as it was written when it was queued (a
    retry sends the same words), and whether it went. A person is told once per occasion: once per
    published revision, once that a meeting's draft is released."""

    class Kind(models.TextChoices):
        PUBLISHED = "published", "Papers published"
        REVISED = "revised", "Papers revised"
        RELEASED = "released", "Draft released to members"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Not sent"
        NO_ADDRESS = "no_address", "Not told: no e-mail address"
        TURNED_OFF = "turned_off", "Not told: has turned these e-mails off"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notifications")
    revision = models.ForeignKey(
        PackRevision,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        help_text="The revision it tells of (empty for a draft released to members).",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # A person of the directory, or else someone of the public who subscribed to the board.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    reason = models.CharField(
        max_length=300, help_text="Why they are told: 'a member of the … Board in 2017/18'."
    )
    address = models.EmailField(blank=True, help_text="Where it is sent: the person's address when queued.")
    subject = models.CharField(max_length=300)
    text = models.TextField(help_text="The e-mail as plain text.")
    html = models.TextField(help_text="The same e-mail as HTML.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True, help_text="Why the last attempt failed.")
    queued_at = models.DateTimeField()
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "queued_at", "pk"]
        constraints = [
            # Sending is idempotent: a task delivered twice, or a pack published again unchanged,
            # tells nobody twice.
            models.UniqueConstraint(
                fields=["revision", "person"],
                condition=Q(revision__isnull=False),
                name="one_notification_per_revision_per_person",
            ),
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(kind="released"),
                name="one_release_notification_per_person",
            ),
            models.UniqueConstraint(
                fields=["revision", "subscription"],
                condition=Q(revision__isnull=False, subscription__isnull=False),
                name="one_notification_per_revision_per_subscription",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(subscription__isnull=False),
                name="notification_has_a_recipient",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.meeting}, to {self.recipient_name}"

    @property
    def recipient_name(self) -> str:
        return self.person.full_name if self.person_id else f"a subscriber ({self.address})"
