"""Publishing in the background: a clerk's request to publish a pack (or its changes), what became
of it, and why, if it failed. The pack is laid out by a worker (meetings.tasks), not in the clerk's
request; the meeting becomes public only when every file is stored, in one transaction."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .papers import Meeting
from .revisions import PackRevision


class Publishing(models.Model):
    class Kind(models.TextChoices):
        PUBLISH = "publish", "Publication"
        CHANGES = "changes", "Revision"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Publishing"
        DONE = "done", "Published"
        UNCHANGED = "unchanged", "Nothing to publish"
        FAILED = "failed", "Not published"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="publishings")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    revision = models.ForeignKey(
        PackRevision, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField(blank=True, help_text="Why it was not published, said to the clerk.")
    note = models.TextField(blank=True, help_text="A revision: the clerk's words on what changed and why.")

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            # One publication at a time for a meeting: a second request waits for the first.
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_publishing_per_meeting",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.meeting}, requested {self.requested_at:%-d %B %Y %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def timed_out(self) -> bool:
        """Still unfinished long after it was asked for: its worker has stopped or is stuck."""
        since = self.started_at or self.requested_at
        return self.is_active and timezone.now() - since > timedelta(seconds=settings.PUBLISH_TIMEOUT)
