"""Published revisions: each version of a meeting's pack as the public received it, kept
unchanged with its items."""

from django.conf import settings
from django.db import models

from lgaboard.storage import get_papers_storage

from .papers import AgendaItem, Meeting, Report


class PackRevision(models.Model):
    """A published version of a meeting's pack, frozen as the public received it: the page and the
    PDF are stored (in the papers storage, named by their content: lgaboard/storage.py), so
    downloading it again gives the same document. A change after publication is published as a new
    revision, saying what changed; earlier revisions stay available."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty where the record does not say (papers entered from print)."
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changes = models.JSONField(default=list, help_text="What changed from the revision before.")
    note = models.TextField(blank=True, help_text="The clerk's own words on what changed and why.")
    fingerprint = models.JSONField(default=dict, help_text="A hash of each part of the pack.")
    html_file = models.FileField(
        storage=get_papers_storage, help_text="The pack's page as the public received it."
    )
    pdf_file = models.FileField(
        storage=get_papers_storage, help_text="The pack's PDF as the public received it."
    )

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="unique_revision_number"),
        ]

    def __str__(self):
        return f"{self.meeting}, revision {self.number}"


class FrozenItem(models.Model):
    """One item of a published revision, as the public received it: its page, the page its PDF is
    made from and its uploaded annexes (`annexes`), stored as the revision's are. The PDF itself is
    made from that page and those annexes when asked for; one stored before it was (moved here from
    the database) is served as it was.

    `particulars` are what the page showed, as data, for the open data API (publication.particulars):
    read from them, an edit reaches the API when it reaches the public's page, not before.
    `agenda_item` and `report` say which rows they were (`report` only where the public could read
    it), so the API keeps their ids when items are renumbered. An item frozen before particulars
    were kept has them only where migration 0023 found it unchanged since; the others have none, and
    no `agenda_item`."""

    revision = models.ForeignKey(PackRevision, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    html_file = models.FileField(storage=get_papers_storage)
    pdf_html_file = models.FileField(storage=get_papers_storage)
    pdf_file = models.FileField(storage=get_papers_storage, blank=True)
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="frozen"
    )
    report = models.ForeignKey(
        Report,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The item's report, where the public could read it.",
    )
    particulars = models.JSONField(
        default=dict,
        blank=True,
        help_text="The item's title, note, report's title, purposes, contacts and annexes as published.",
    )

    class Meta:
        ordering = ["revision", "number"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "number"], name="unique_frozen_item_number"),
        ]

    def __str__(self):
        return f"{self.revision}, item {self.number}"


class FrozenAnnex(models.Model):
    """An annex uploaded as a PDF to a published item, as the public received it. The clerk may
    replace or add an annex after publication; the public keep receiving this file until the change
    is published as a revision of its own."""

    item = models.ForeignKey(FrozenItem, on_delete=models.CASCADE, related_name="annexes")
    letter = models.CharField(max_length=8)
    anchor = models.CharField(max_length=40, help_text="Its place in the pack: 'item-3-a'.")
    pdf = models.FileField(storage=get_papers_storage, help_text="The file the public received.")

    class Meta:
        ordering = ["item", "letter"]
        verbose_name_plural = "frozen annexes"
        constraints = [
            models.UniqueConstraint(fields=["item", "letter"], name="unique_frozen_annex_letter"),
        ]

    def __str__(self):
        return f"{self.item}, annex {self.letter}"
