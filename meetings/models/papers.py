"""The papers: a meeting and its agenda pack (items, reports, recommendations, contacts, annexes),
with the notice the Act requires and the categories of exempt information."""

import datetime

import holidays
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from pypdf import PdfReader
from simple_history.models import HistoricalRecords

from lgaboard.versioning import VersionedModel

from ..validators import validate_annex_letter, validate_pdf_upload
from .boards import Board, BoardYear
from .directory import Person, Venue

NOTICE_CLEAR_DAYS = (
    5  # Local Government Act 1972, s.100B: the agenda is open to inspection 5 clear days before
)


def clear_days_between(published_on: datetime.date, meeting_on: datetime.date) -> int:
    """Working days strictly between publication and the meeting: neither the day of publication
    nor the day of the meeting counts, nor Saturdays, Sundays or England's bank holidays (the
    `holidays` package's calendar, which follows GOV.UK's list)."""
    bank_holidays = holidays.country_holidays("GB", subdiv="ENG")
    days = 0
    day = published_on + datetime.timedelta(days=1)
    while day < meeting_on:
        days += day.weekday() < 5 and day not in bank_holidays
        day += datetime.timedelta(days=1)
    return days


class Meeting(models.Model):
    """A meeting of a board on a date; its agenda pack is built from its items."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings", editable=False)
    board_year = models.ForeignKey(BoardYear, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True, help_text="Blank where the papers do not say.")
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, null=True, blank=True)
    contact_officer = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    addressed_to = models.CharField(
        "to", max_length=300, blank=True, help_text="'Members of the Improvement and Innovation Board'"
    )
    copied_to = models.CharField("cc", max_length=300, blank=True)
    group_meetings_start = models.TimeField(null=True, blank=True)
    group_meetings_end = models.TimeField(null=True, blank=True)
    refreshments = models.CharField(
        max_length=300, blank=True, help_text="'A sandwich lunch will be available at 1.00pm'"
    )
    carers_allowance_hourly_rate = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    hashtag = models.CharField(max_length=100, blank=True, help_text="'#lgaib'")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    released_to_members = models.BooleanField(
        "draft released to members",
        default=False,
        help_text="Members of the board may read the pack while it is still a draft; the public may not. "
        "Ticking it e-mails them (those who have not turned these e-mails off).",
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    notice_clear_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="Clear working days between publication and the meeting, recorded at publication.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "date"],
                name="one_meeting_per_board_per_day",
                violation_error_message="This board already has a meeting on this date.",
            )
        ]

    def __str__(self):
        return f"{self.board} – {self.date:%-d %B %Y}"

    def save(self, *args, **kwargs):
        # The board is the board-year's board, never typed separately.
        self.board_id = self.board_year.board_id
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "meetings:meeting_detail",
            kwargs={"board_slug": self.board.slug, "date": self.date},
        )

    def clean(self):
        if (
            self.board_year_id
            and self.date
            and Meeting.objects.filter(board_id=self.board_year.board_id, date=self.date)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError({"date": "This board already has a meeting on this date."})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @cached_property
    def revision_notes(self) -> list:
        """Its published revisions (their page and PDF are files in storage: the rows hold names)."""
        return list(self.revisions.defer("fingerprint").order_by("number"))

    @property
    def published_late(self) -> bool:
        """Published with less than the five clear days' notice the Act expects."""
        return self.notice_clear_days is not None and self.notice_clear_days < NOTICE_CLEAR_DAYS

    @property
    def published_after_meeting(self) -> bool:
        """Published on the day of the meeting or later (papers added to the portal afterwards)."""
        return self.published_at is not None and timezone.localdate(self.published_at) >= self.date

    @cached_property
    def board_name(self) -> str:
        """The board's name on the day of the meeting."""
        return self.board.name_on(self.date)


class Exemption(models.IntegerChoices):
    """The categories of exempt information (Local Government Act 1972, Schedule 12A, Part 1)."""

    INDIVIDUAL = 1, "Paragraph 1: information relating to any individual"
    IDENTITY = 2, "Paragraph 2: information likely to reveal the identity of an individual"
    FINANCIAL = (
        3,
        (
            "Paragraph 3: information relating to the financial or business affairs of any particular "
            "person (including the authority holding that information)"
        ),
    )
    LABOUR_RELATIONS = (
        4,
        (
            "Paragraph 4: consultations or negotiations on a labour relations matter between the "
            "authority and its employees or office holders"
        ),
    )
    LEGAL_PRIVILEGE = 5, "Paragraph 5: information subject to legal professional privilege"
    NOTICES_AND_ORDERS = (
        6,
        (
            "Paragraph 6: information revealing that the authority proposes to give a notice imposing "
            "requirements on a person, or to make an order or direction"
        ),
    )
    CRIME = 7, "Paragraph 7: the prevention, investigation or prosecution of crime"


class AgendaItem(models.Model):
    """A numbered item on a meeting's agenda; most have a report behind them."""

    class Kind(models.TextChoices):
        PAPER = "paper", "An item (with or without a report)"
        PREVIOUS_MINUTES = "previous_minutes", "Note of the previous meeting and actions arising"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    # At most 999: an agenda is never longer, and moving items sets numbers aside above it.
    number = models.PositiveSmallIntegerField(validators=[MaxValueValidator(999)])
    title = models.CharField(max_length=300)
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.PAPER,
        help_text="The note of the previous meeting is filled in from its minutes, not typed again.",
    )
    note = models.CharField(
        max_length=500,
        blank=True,
        help_text="A line shown under the title, e.g. a presentation by a guest.",
    )
    standing = models.BooleanField(
        "standing item",
        default=False,
        help_text="On every agenda (welcome and declarations, the note of the previous meeting): "
        "carried into the next meeting made from this one.",
    )
    confidential = models.BooleanField(
        "not for publication",
        default=False,
        help_text="Exempt information: the public sees the title and the reason, never the report, "
        "its annexes or what the minutes record of it. Members of the board see it, marked "
        "confidential.",
    )
    exemption = models.PositiveSmallIntegerField(
        "category of exempt information", choices=Exemption.choices, null=True, blank=True
    )
    exemption_reason = models.CharField(
        max_length=500,
        blank=True,
        help_text="Shown to the public: why it is not for publication, without giving it away.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="unique_item_number_per_meeting",
                violation_error_message="Another item of this meeting already has this number.",
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse(
            "meetings:item_detail",
            kwargs={
                "board_slug": self.meeting.board.slug,
                "date": self.meeting.date,
                "number": self.number,
            },
        )

    @property
    def anchor(self) -> str:
        return f"item-{self.number}"

    def clean(self):
        if self.confidential and self.exemption is None:
            raise ValidationError(
                {"exemption": "Give the category of exempt information that keeps this item private."}
            )
        if self.exemption is not None and not self.confidential:
            raise ValidationError(
                {"confidential": "An item with a category of exempt information is not for publication."}
            )


class Report(VersionedModel):
    """The paper behind an agenda item."""

    class Purpose(models.TextChoices):
        INFORMATION = "information", "information"
        DISCUSSION = "discussion", "discussion"
        DECISION = "decision", "decision"
        DIRECTION = "direction", "direction"

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="report")
    title = models.CharField(max_length=300, blank=True, help_text="If it differs from the item's.")
    for_information = models.BooleanField(default=False)
    for_discussion = models.BooleanField(default=False)
    for_decision = models.BooleanField(default=False)
    for_direction = models.BooleanField(default=False)
    purpose_text = models.TextField(
        blank=True, help_text="Markdown: a purpose written out, where the paper gives one."
    )
    summary = models.TextField(blank=True, help_text="Markdown.")
    recommendations_intro = models.CharField(
        max_length=300, blank=True, help_text="'Improvement and Innovation Board members are asked to:'"
    )
    action = models.TextField(blank=True, help_text="Markdown.")
    contact_officers = models.ManyToManyField(
        Person, through="ReportContact", related_name="reports_as_contact", blank=True
    )
    body = models.TextField(blank=True, help_text="Markdown: numbered paragraphs, tables.")
    implications_for_wales = models.TextField(blank=True, help_text="Markdown.")
    financial_implications = models.TextField(blank=True, help_text="Markdown.")
    next_steps = models.TextField(blank=True, help_text="Markdown.")

    history = HistoricalRecords()

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or self.item.title

    @property
    def purposes(self) -> list[str]:
        flags = [
            (self.for_information, self.Purpose.INFORMATION),
            (self.for_discussion, self.Purpose.DISCUSSION),
            (self.for_decision, self.Purpose.DECISION),
            (self.for_direction, self.Purpose.DIRECTION),
        ]
        return [purpose.label for flag, purpose in flags if flag]

    @property
    def purpose_label(self) -> str:
        """'For discussion and direction.'"""
        purposes = self.purposes
        if not purposes:
            return ""
        joined = purposes[0] if len(purposes) == 1 else f"{', '.join(purposes[:-1])} and {purposes[-1]}"
        return f"For {joined}."

    @property
    def agenda_annexes(self) -> list[tuple[str, "Annex"]]:
        """Annexes listed on the agenda as lettered sub-items: [('a', annex), ('b', annex)]."""
        listed = [annex for annex in self.annexes.all() if annex.on_agenda]
        return list(zip("abcdefghijklmnopqrstuvwxyz", listed, strict=False))

    @property
    def has_purpose(self) -> bool:
        return bool(self.purposes or self.purpose_text.strip())

    def clean(self):
        if not self.has_purpose:
            raise ValidationError("Give the report's purpose: tick at least one, or write it out.")


class ReportContact(models.Model):
    """A contact officer named on a report, in the order the paper lists them."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="contacts")
    person = models.ForeignKey(Person, on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["report", "person"], name="unique_report_contact")]

    def __str__(self):
        return str(self.person)


class Recommendation(models.Model):
    """One numbered recommendation of a report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="unique_recommendation_number")
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:60]}"


class Annex(models.Model):
    """An annex to a report: Markdown content, or an uploaded PDF."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="annexes")
    letter = models.CharField(
        max_length=5,
        validators=[validate_annex_letter],
        help_text="'A', 'B', '1' or '2-1', as the paper labels it: letters, digits and hyphens.",
    )
    title = models.CharField(max_length=300)
    on_agenda = models.BooleanField(
        default=True, help_text="Listed on the agenda as a lettered sub-item (a), b)…)."
    )
    content = models.TextField(blank=True, help_text="Markdown.")
    pdf = models.FileField("PDF", upload_to="annexes/", blank=True, validators=[validate_pdf_upload])
    generated = models.BooleanField(
        "generated from the data",
        default=False,
        help_text="A table built from the portal's own figures (set it up under Programmes › Live "
        "annexes): live while the meeting is a draft, frozen when it is published.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "letter"]
        verbose_name_plural = "annexes"
        constraints = [
            models.UniqueConstraint(fields=["report", "letter"], name="unique_annex_letter"),
        ]

    def __str__(self):
        return f"Annex {self.letter}: {self.title}"

    def clean(self):
        has_content = bool(self.content.strip())
        sources = sum([has_content, bool(self.pdf), self.generated])
        if sources > 1:
            raise ValidationError(
                "An annex has one source: Markdown content, an uploaded PDF, or a table generated "
                "from the data."
            )
        if not sources:
            raise ValidationError(
                "Write the annex's content, upload it as a PDF, or mark it as generated from the data."
            )

    @property
    def slug(self) -> str:
        """'a', '2-1': the letter as the annex's anchor and address spell it. A letter checked on
        saving is its own slug; one stored before letters were checked ('1.2') is made one."""
        return slugify(self.letter)

    @property
    def anchor(self) -> str:
        """'item-3-a': the annex's permanent place in the pack."""
        return f"{self.report.item.anchor}-{self.slug}"

    def get_pdf_url(self) -> str:
        """Where an uploaded PDF is served; '' for no PDF, or for a letter stored before letters were
        checked, which no address finds again (the page then names the annex without a link)."""
        if not self.pdf or self.slug != self.letter.lower():
            return ""
        item = self.report.item
        return reverse(
            "meetings:annex_pdf",
            kwargs={
                "board_slug": item.meeting.board.slug,
                "date": item.meeting.date,
                "number": item.number,
                "letter": self.slug,
            },
        )

    @property
    def label(self) -> str:
        return f"Annex {self.letter}"

    @cached_property
    def pdf_page_numbers(self) -> range:
        """1..n for an uploaded PDF's pages (the pack reserves a page for each)."""
        if not self.pdf:
            return range(0)
        with self.pdf.open("rb") as handle:
            return range(1, len(PdfReader(handle).pages) + 1)
