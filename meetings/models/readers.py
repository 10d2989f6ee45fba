"""Readers of the packs: when each signed-in reader last opened a meeting's pack, so that their own
front page can say what has changed since."""

from django.conf import settings
from django.db import models

from .papers import Meeting


class PackOpened(models.Model):
    """The last time one signed-in reader opened one meeting's pack (the page, in a browser)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="packs_opened")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="openings")
    opened_at = models.DateTimeField()

    class Meta:
        verbose_name = "pack opened"
        verbose_name_plural = "packs opened"
        constraints = [
            models.UniqueConstraint(fields=["user", "meeting"], name="one_last_opening_per_reader")
        ]

    def __str__(self):
        return f"{self.user} opened {self.meeting} at {self.opened_at:%Y-%m-%d %H:%M}"
