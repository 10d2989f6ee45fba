"""The Memorandum of Understanding: themes, deliverables and the quarterly returns officers make."""

import datetime
import html
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from simple_history.models import HistoricalRecords

from lgaboard.versioning import VersionedModel
from lgaboard.years import FinancialYear
from meetings.models import Person

from . import rules

QUARTERS = {
    1: ("Q1", "Apr–Jun", 4),
    2: ("Q2", "Jul–Sep", 7),
    3: ("Q3", "Oct–Dec", 10),
    4: ("Q4", "Jan–Mar", 1),
}


class Mou(FinancialYear, models.Model):
    """A year's MoU (April to March) between the association and the department that funds it."""

    start_year = models.PositiveSmallIntegerField(unique=True, help_text="2017 for 2017/18.")
    title = models.CharField(max_length=300)
    parties = models.CharField(max_length=500)
    grant = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True, help_text="£")
    signed_on = models.DateField(null=True, blank=True)
    draft = models.BooleanField(
        default=False,
        help_text="Being prepared for its year: only staff see a draft MoU until it is published.",
    )

    class Meta:
        ordering = ["-start_year"]
        verbose_name = "MoU"
        verbose_name_plural = "MoUs"
        permissions = [
            ("run_mou", "Can copy an MoU into a new year, import its deliverables, assign lead officers "
             "and publish it"),
        ]  # fmt: skip

    def __str__(self):
        return f"MoU {self.label}"

    def quarter_end(self, quarter: int) -> datetime.date:
        """Last day of a quarter: Q1 ends 30 June, Q4 ends 31 March of the following year."""
        _, _, first_month = QUARTERS[quarter]
        year = self.start_year + (1 if quarter == 4 else 0)
        end_month = first_month + 2
        next_month = datetime.date(year + end_month // 12, end_month % 12 + 1, 1)
        return next_month - datetime.timedelta(days=1)


class Theme(models.Model):
    mou = models.ForeignKey(Mou, on_delete=models.CASCADE, related_name="themes")
    key = models.SlugField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True, help_text="Markdown.")

    class Meta:
        ordering = ["mou", "order"]
        constraints = [models.UniqueConstraint(fields=["mou", "key"], name="unique_theme_key")]

    def __str__(self):
        return self.title


class ThemeOutcome(models.Model):
    """A 'We will…' outcome statement of a theme."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="outcomes")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()

    class Meta:
        ordering = ["theme", "order"]

    def __str__(self):
        return self.text[:80]


def amount_label(target, unit: str) -> str:
    """'110 peer challenges', '£10,000,000', '£98,000,000 reduction in running costs'."""
    number = f"{Decimal(target).normalize():,f}"
    if unit.startswith("£"):
        return f"£{number}{unit[1:]}"
    return f"{number} {unit}".strip()


SHORT_FORM_LENGTH = 100
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_MARK = re.compile(
    r"\*\*|__|\*|`|~~|(?<!\w)_|_(?!\w)|^ {0,3}(?:#{1,6} +|> ?|[-+] +|\d+[.)] +)", re.M
)
_PARAGRAPH_BREAK = re.compile(r"\r?\n[ \t]*\r?\n")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"'(])")


def plain_start(text: str, limit: int = SHORT_FORM_LENGTH) -> str:
    """The first sentence of Markdown `text` as plain words, cut at a word within `limit` characters,
    ending in '…' where the text goes on: 'Deliver at least 110 peer challenges…'."""
    text = text.strip()
    paragraph = _PARAGRAPH_BREAK.split(text, 1)[0]
    plain = html.unescape(strip_tags(_MARKDOWN_MARK.sub("", _MARKDOWN_LINK.sub(r"\1", paragraph))))
    words = " ".join(plain.split())
    sentence = _SENTENCE_END.split(words, 1)[0]
    if len(sentence) > limit:
        sentence = sentence[: limit + 1].rsplit(" ", 1)[0]
    elif sentence == words and paragraph == text:
        return sentence.rstrip(" ,;:")  # a list item written with its trailing comma
    return sentence.rstrip(" .,;:–-") + "…"


class Comparator(models.TextChoices):
    AT_LEAST = "at_least", "at least"
    UP_TO = "up_to", "up to"
    EXACTLY = "exactly", "exactly"


class Deliverable(models.Model):
    """A commitment of the MoU, with its target and how its quarterly figures combine."""

    class Rule(models.TextChoices):
        ADDITIVE = rules.ADDITIVE, "Additive: each quarter reports what it delivered"
        CUMULATIVE = rules.CUMULATIVE, "Cumulative: each quarter reports the position to date"
        MILESTONE = rules.MILESTONE, "Milestone: done or not by a date"
        NARRATIVE = rules.NARRATIVE, "Narrative: no numeric target"

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="deliverables")
    reference = models.CharField(max_length=10, help_text="'1', '10a', '13.2'.")
    order = models.PositiveSmallIntegerField(default=0)
    heading = models.CharField(max_length=200, blank=True, help_text="Sub-heading within the theme.")
    commitment = models.TextField(help_text="Markdown: the commitment as written.")
    short_title = models.CharField(
        "short form",
        max_length=200,
        blank=True,
        help_text="Short form, as figures tables print it ('Deliver at least 110 peer challenges…'). "
        "Blank: the start of the commitment.",
    )
    target = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    comparator = models.CharField(max_length=10, choices=Comparator.choices, blank=True)
    unit = models.CharField(max_length=300, blank=True, help_text="peer challenges, councils, £…")
    rule = models.CharField(max_length=12, choices=Rule.choices, default=Rule.NARRATIVE)
    due = models.DateField(null=True, blank=True, help_text="Milestones: the date to be done by.")
    lead_officer = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True)
    # The thread from commitment to decision: the papers, decisions and actions about this deliverable.
    reports = models.ManyToManyField(
        "meetings.Report", blank=True, related_name="deliverables", help_text="Reports that discuss it."
    )
    decisions = models.ManyToManyField(
        "meetings.Decision", blank=True, related_name="deliverables", help_text="Decisions about it."
    )
    actions = models.ManyToManyField(
        "meetings.Action", blank=True, related_name="deliverables", help_text="Actions about it."
    )

    class Meta:
        ordering = ["theme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "reference"], name="unique_deliverable_reference"),
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(target__gte=0), name="target_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.theme.title} {self.reference}"

    def get_absolute_url(self):
        return reverse(
            "mou:deliverable_detail",
            kwargs={"year": self.theme.mou.slug, "theme": self.theme.key, "reference": self.reference},
        )

    def clean(self):
        numeric = self.rule in (self.Rule.ADDITIVE, self.Rule.CUMULATIVE)
        if numeric and (self.target is None or not self.comparator):
            raise ValidationError("An additive or cumulative deliverable needs a target and a comparator.")
        if self.rule == self.Rule.MILESTONE and self.due is None:
            raise ValidationError({"due": "A milestone needs the date it is due by."})

    @property
    def short_form(self) -> str:
        """The words figures tables print beside the reference: the short form if set, else the
        start of the commitment as plain text."""
        return self.short_title.strip() or plain_start(self.commitment)

    @property
    def target_label(self) -> str:
        """'at least 110 peer challenges', '£10,000,000', '' for a narrative deliverable."""
        if self.rule == self.Rule.MILESTONE:
            return f"by {self.due:%-d %B %Y}" if self.due else ""
        if self.target is None:
            return ""
        return f"{self.get_comparator_display()} {amount_label(self.target, self.unit)}".strip()


class SubTarget(models.Model):
    """A further number in the same commitment: 'of which at least 70 corporate or finance peer reviews'."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="sub_targets")
    target = models.DecimalField(max_digits=14, decimal_places=2)
    comparator = models.CharField(max_length=10, choices=Comparator.choices)
    unit = models.CharField(max_length=300)

    def __str__(self):
        return f"{self.get_comparator_display()} {amount_label(self.target, self.unit)}"


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class QuarterlyReturn(VersionedModel):
    """One deliverable's return for one quarter. Every change is kept in its history."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="returns")
    quarter = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    figure = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0), message="A figure cannot be negative.")],
        help_text="Blank when not reported.",
    )
    not_applicable = models.BooleanField("n/a", default=False, help_text="Not applicable this quarter.")
    milestone_met = models.BooleanField(null=True, blank=True, help_text="Milestones: done by the due date?")
    narrative = models.TextField("what have we delivered", blank=True)
    rag = models.CharField("traffic light", max_length=5, choices=Rag.choices, blank=True)
    commentary = models.TextField("commentary/forecast", blank=True)
    correction_reason = models.CharField(
        max_length=300, blank=True, help_text="Why a cumulative figure is lower than the quarter before."
    )
    highlight = models.TextField(
        blank=True,
        help_text="To mark this return as a highlight for the sector-led improvement update, write "
        "it as a 'We have, for example:' bullet, e.g. 'delivered 35 peer challenges by the end of "
        "September'. Blank if it is not a highlight.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    entered_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["deliverable", "quarter"]
        permissions = [("approve_quarterlyreturn", "Can submit, approve and reopen quarterly returns")]
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "quarter"],
                name="one_return_per_deliverable_per_quarter",
                violation_error_message="This deliverable already has a return for this quarter.",
            ),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="quarter_1_to_4"),
            models.CheckConstraint(
                condition=Q(figure__isnull=True) | Q(figure__gte=0), name="figure_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.deliverable} Q{self.quarter}"

    def save(self, *args, sign_off: bool = False, **kwargs):
        # An approved return is locked: only the sign-off services (reopen) may change it.
        if not sign_off and self.pk and self.status == self.Status.APPROVED:
            stored = QuarterlyReturn.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.APPROVED:
                raise ReturnApprovalLocked(
                    "This return is approved and locked; an approver must reopen it, giving a reason."
                )
        super().save(*args, **kwargs)

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def reported_figure(self) -> Decimal | None:
        """The figure that counts towards the total: none when blank or n/a."""
        return None if self.not_applicable else self.figure

    def clean(self):
        errors = {}
        if self.not_applicable and self.figure is not None:
            errors["figure"] = "Leave the figure blank when the quarter is marked n/a."
        reported = self.figure is not None or self.narrative.strip() or self.milestone_met is not None
        if reported and not self.rag:
            errors["rag"] = "Give the traffic light (red, amber or green) for what you have reported."
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            errors["quarter"] = "The MoU year has four quarters: Q1 (Apr–Jun) to Q4 (Jan–Mar)."
        drop = self._cumulative_drop()
        if drop and not self.correction_reason.strip():
            errors["figure"] = (
                f"This is lower than Q{drop.quarter}'s {drop.figure.normalize():f}; a cumulative figure "
                "reports the position to date, so give a correction reason if the earlier figure was wrong."
            )
        if errors:
            raise ValidationError(errors)

    def _cumulative_drop(self) -> "QuarterlyReturn | None":
        """The latest earlier return with a higher figure, for a cumulative deliverable."""
        if self.figure is None or not self.deliverable_id or self.deliverable.rule != rules.CUMULATIVE:
            return None
        earlier = (
            QuarterlyReturn.objects.filter(
                deliverable_id=self.deliverable_id, quarter__lt=self.quarter, figure__isnull=False
            )
            .exclude(pk=self.pk)
            .order_by("-quarter")
            .first()
        )
        return earlier if earlier and earlier.figure > self.figure else None


class ReturnApprovalLocked(ValidationError):
    """Raised when an approved return is changed without being reopened."""


class ReturnEvent(models.Model):
    """Sign-off of a return: submitted, approved or reopened, by whom, when and (reopening) why."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        REOPENED = "reopened", "Reopened"

    quarterly_return = models.ForeignKey(QuarterlyReturn, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["quarterly_return", "at"]

    def __str__(self):
        return f"{self.quarterly_return} {self.get_kind_display().lower()} {self.at:%d %B %Y}"


class SheetImport(models.Model):
    """A sheet too long to import while the officer waits (more rows than
    LGABOARD_SHEET_ROWS_IN_REQUEST): kept in the private storage until a worker has checked every
    row and saved all or nothing (mou.tasks.import_sheet), with what became of it and, if refused,
    every problem found. The officer watches it on its own page, which refreshes itself."""

    class Kind(models.TextChoices):
        RETURNS = "returns", "Import of a quarter's returns"
        DELIVERABLES = "deliverables", "Import of deliverables"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Nothing imported"

    ACTIVE = (Status.QUEUED, Status.RUNNING)
    TIMEOUT = datetime.timedelta(minutes=15)  # a worker that has not finished by then has stopped

    mou = models.ForeignKey(Mou, on_delete=models.CASCADE, related_name="sheet_imports")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    quarter = models.PositiveSmallIntegerField(null=True, blank=True)
    file = models.FileField(upload_to="sheet-imports/", blank=True, help_text="Deleted once imported.")
    filename = models.CharField(max_length=255, help_text="The name of the file as uploaded.")
    rows = models.PositiveIntegerField(help_text="Rows below the headings.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=300, blank=True, help_text="What was imported.")
    problems = models.JSONField(default=list, blank=True, help_text="Why nothing was imported.")

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.filename}), {self.requested_at:%-d %B %Y %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def timed_out(self) -> bool:
        return self.is_active and timezone.now() - (self.started_at or self.requested_at) > self.TIMEOUT
