"""The minutes: the note of a meeting (entries, points, decisions, actions and their progress),
declarations of interest, attendance, and corrections made after approval."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .boards import Membership
from .directory import Authority, Person
from .papers import AgendaItem, Meeting


class Minutes(models.Model):
    """The note of a meeting: draft until a later meeting agrees it as a correct record."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    approved_at_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="minutes_approved",
        help_text="The meeting that agreed these minutes as a correct record.",
    )
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "minutes"

    def __str__(self):
        return f"Minutes of {self.meeting}"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class LockedByApproval(ValidationError):
    """Raised when approved minutes are changed without a recorded correction."""


class MinutesPart(models.Model):
    """Anything that belongs to the minutes: refuses changes once they are approved.

    A correction goes through services.minutes_correct, which records who, when and why and
    saves with allow_correction=True.
    """

    class Meta:
        abstract = True

    def save(self, *args, allow_correction: bool = False, **kwargs):
        self.check_unlocked(allow_correction)
        super().save(*args, **kwargs)

    def minutes_for_lock(self) -> "Minutes | None":
        raise NotImplementedError

    def delete(self, *args, allow_correction: bool = False, **kwargs):
        self.check_unlocked(allow_correction)
        return super().delete(*args, **kwargs)

    def check_unlocked(self, allow_correction: bool = False) -> None:
        minutes = self.minutes_for_lock()
        if minutes is not None and minutes.is_approved and not allow_correction:
            raise LockedByApproval(
                "These minutes have been approved as a correct record; "
                "change them only by recording a correction."
            )


class MinuteEntry(MinutesPart):
    """One block of the note under an agenda item: who introduced it, what was said."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="entries")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="minute_entries")
    order = models.PositiveSmallIntegerField(default=0)
    heading = models.CharField(max_length=300, blank=True, help_text="A sub-heading within the item.")
    introduced_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    narrative = models.TextField(blank=True, help_text="Markdown.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["agenda_item__number", "order"]
        verbose_name_plural = "minute entries"

    def __str__(self):
        return f"{self.agenda_item}{f' – {self.heading}' if self.heading else ''}"

    def minutes_for_lock(self):
        return self.minutes

    def clean(self):
        if self.agenda_item_id and self.minutes_id and self.agenda_item.meeting_id != self.minutes.meeting_id:
            raise ValidationError({"agenda_item": "This item belongs to another meeting."})


class EntryPart(MinutesPart):
    """A numbered point, decision or action within a minute entry."""

    entry = models.ForeignKey(MinuteEntry, on_delete=models.CASCADE, related_name="%(class)ss")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        abstract = True
        ordering = ["entry", "number"]

    def __str__(self):
        return f"{self.number}. {self.text[:60]}"

    def minutes_for_lock(self):
        return self.entry.minutes


class DiscussionPoint(EntryPart):
    class Meta(EntryPart.Meta):
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="unique_discussion_number")]


class Decision(EntryPart):
    class Outcome(models.TextChoices):
        AGREED = "agreed", "Agreed"
        NOTED = "noted", "Noted"
        APPROVED = "approved", "Approved"
        COMMENTED = "commented", "Commented on"
        DEFERRED = "deferred", "Deferred"
        REFUSED = "refused", "Refused"

    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    votes_for = models.PositiveSmallIntegerField(null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta(EntryPart.Meta):
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="unique_decision_number")]

    @property
    def vote_taken(self) -> bool:
        return self.votes_for is not None

    def clean(self):
        counts = [self.votes_for, self.votes_against, self.abstentions]
        if any(c is not None for c in counts) and self.votes_for is None:
            raise ValidationError("Where a vote was taken, give at least the votes for.")


class Action(EntryPart):
    """Something the meeting asked someone to do ('Action by')."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        CLOSED = "closed", "Closed without action"

    owner = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="actions")
    owner_label = models.CharField(
        max_length=100, blank=True, help_text="Where the note names no one: 'Officers'."
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    history = HistoricalRecords()

    class Meta(EntryPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="unique_action_number"),
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | ~Q(owner_label=""),
                name="action_has_an_owner",
                violation_error_message="Say who the action is for: a person, or 'Officers'.",
            ),
        ]

    @property
    def owner_display(self) -> str:
        return self.owner.full_name if self.owner_id else self.owner_label

    def clean(self):
        if self.owner_id is None and not self.owner_label.strip():
            raise ValidationError("Say who the action is for: a person, or 'Officers'.")
        if self.due_date and self.entry_id and self.due_date < self.entry.minutes.meeting.date:
            raise ValidationError({"due_date": "An action cannot fall due before its meeting."})


class ActionProgress(models.Model):
    """A dated update on an action; not part of the minutes, so it stays open after approval."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="progress")
    date = models.DateField()
    text = models.TextField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["action", "-date", "-pk"]
        verbose_name_plural = "action progress"

    def __str__(self):
        return f"{self.date}: {self.text[:60]}"

    def clean(self):
        if self.date and self.action_id and self.date < self.action.entry.minutes.meeting.date:
            raise ValidationError({"date": "A progress update cannot be dated before the action's meeting."})


class Declaration(MinutesPart):
    """A declaration of interest: who, on which item, what."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="declarations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT)
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="declarations")
    interest = models.CharField(max_length=500)

    class Meta:
        ordering = ["agenda_item__number", "person__last_name"]

    def __str__(self):
        return f"{self.person}, item {self.agenda_item.number}: {self.interest}"

    def minutes_for_lock(self):
        return self.minutes


class Attendance(MinutesPart):
    """Who was at a meeting (or sent apologies), in what capacity."""

    class Category(models.TextChoices):
        MEMBER = "member", "Member"
        SUBSTITUTE = "substitute", "Substitute"
        GUEST = "guest", "In attendance"
        OFFICER = "officer", "Officer"

    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"

    # Those who sit as members at the meeting: they count for the quorum and the register.
    SITTING = (Category.MEMBER, Category.SUBSTITUTE)

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendance")
    category = models.CharField(max_length=12, choices=Category.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PRESENT)
    role = models.CharField(
        max_length=20, choices=Membership.Role.choices, blank=True, help_text="Role held at the meeting."
    )
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, null=True, blank=True)
    substitute_for = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="substituted_by"
    )
    organisation = models.CharField(max_length=300, blank=True, help_text="Guests: whom they represent.")
    position = models.CharField(max_length=300, blank=True, help_text="Officers: their post.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["minutes", "order"]
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "person"],
                name="one_attendance_per_person_per_meeting",
                violation_error_message="This person is already recorded at this meeting.",
            )
        ]

    def __str__(self):
        return f"{self.person} ({self.get_category_display()}, {self.get_status_display()})"

    def minutes_for_lock(self):
        return self.minutes

    @property
    def sits(self) -> bool:
        """Sat as a member (or a member's substitute), whether present or sending apologies."""
        return self.category in self.SITTING

    @property
    def sat_present(self) -> bool:
        """Was there as a member or substitute: counts towards the quorum."""
        return self.sits and self.status == self.Status.PRESENT

    def clean(self):
        if self.category == self.Category.SUBSTITUTE and self.substitute_for_id is None:
            raise ValidationError({"substitute_for": "Say which member this substitute stood in for."})
        if self.substitute_for_id and self.category != self.Category.SUBSTITUTE:
            raise ValidationError({"substitute_for": "Only a substitute stands in for a member."})
        if self.substitute_for_id and self.minutes_id:
            self._check_substitute_for_is_a_member()

    def _check_substitute_for_is_a_member(self) -> None:
        board_year = self.minutes.meeting.board_year
        if not board_year.memberships.filter(
            person_id=self.substitute_for_id, role__in=Membership.SEAT_ROLES
        ).exists():
            message = f"{self.substitute_for} is not a member of the board in {board_year.label}."
            raise ValidationError({"substitute_for": message})


class MinutesCorrection(models.Model):
    """A change made to approved minutes, with who made it, when and why."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="corrections")
    made_at = models.DateTimeField(auto_now_add=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    reason = models.TextField()
    change = models.TextField(help_text="What was changed, from what to what.")

    class Meta:
        ordering = ["minutes", "made_at"]

    def __str__(self):
        return f"Correction to {self.minutes} on {self.made_at:%d %B %Y}"
