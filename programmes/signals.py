"""Publishing a meeting freezes its live annexes; a live annex added to a published meeting is
frozen at once."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from meetings.models import Meeting

from .annexes import freeze_annexes, thaw_annexes
from .models import LiveAnnex


@receiver(post_save, sender=Meeting, dispatch_uid="programmes_freeze_on_publish")
def meeting_saved(sender, instance: Meeting, raw=False, **kwargs):
    if raw:
        return
    if instance.is_published:
        freeze_annexes(instance)
    else:
        thaw_annexes(instance)


@receiver(post_save, sender=LiveAnnex, dispatch_uid="programmes_freeze_new_live_annex")
def live_annex_saved(sender, instance: LiveAnnex, raw=False, **kwargs):
    if raw:
        return
    meeting = instance.meeting
    if meeting.is_published:
        freeze_annexes(meeting)
