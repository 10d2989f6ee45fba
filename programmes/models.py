"""Programmes of improvement work: the board's priorities and member leads, each programme's
workstreams and projects, what they set out to do in the year and what they delivered each quarter,
participation figures, the live annexes built from them, and the sector-led improvement update."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from lgaboard.years import year_label
from meetings.models import Annex, BoardYear, Person
from mou.models import QUARTERS, Deliverable, Mou, Rag, Theme

QUARTER_FIELD_OPTIONS = {
    "validators": [MinValueValidator(1), MaxValueValidator(4)],
    "help_text": "1 (Apr–Jun) to 4 (Jan–Mar) of the financial year.",
}


class Programme(models.Model):
    """A programme of support to councils, e.g. the productivity programme."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    contact_officer = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="programmes_as_contact"
    )
    summary = models.TextField(blank=True, help_text="Markdown.")
    source = models.CharField(max_length=300, blank=True, help_text="The paper this is drawn from.")

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:programme_detail", kwargs={"slug": self.slug})


class Priority(models.Model):
    """One of a board's priority areas for a year, with the member who leads on it."""

    board_year = models.ForeignKey(BoardYear, on_delete=models.CASCADE, related_name="priorities")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    member_lead = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="priorities_led"
    )
    summary = models.TextField(blank=True, help_text="Markdown.")
    programmes = models.ManyToManyField(Programme, blank=True, related_name="priorities")
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["board_year", "order"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["board_year", "title"], name="unique_priority_per_year"),
        ]

    def __str__(self):
        return f"{self.title} ({self.board_year.label})"


class Workstream(models.Model):
    """A workstream of a programme (Transforming services) or a project within one (Digital)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="workstreams")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        help_text="The workstream this project belongs to; blank for a workstream itself.",
    )
    slug = models.SlugField(max_length=100)
    name = models.CharField(max_length=200)
    short_name = models.CharField(
        max_length=100, blank=True, help_text="The label in summary tables, if shorter: 'Shared services'."
    )
    order = models.PositiveSmallIntegerField(default=0)
    summary = models.TextField(blank=True, help_text="Markdown.")
    next_steps = models.TextField(blank=True, help_text="Markdown.")
    report_paragraph = models.CharField(
        max_length=20, blank=True, help_text="The paragraph of the programme report that covers it."
    )
    deliverables = models.ManyToManyField(
        Deliverable,
        blank=True,
        related_name="workstreams",
        help_text="The MoU deliverables this work serves.",
    )

    class Meta:
        ordering = ["programme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "slug"], name="unique_workstream_slug"),
        ]

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name

    def clean(self):
        if self.parent_id is None:
            return
        if self.parent.programme_id != self.programme_id:
            raise ValidationError({"parent": "A project belongs to a workstream of the same programme."})
        if self.parent.parent_id is not None or self.parent_id == self.pk:
            raise ValidationError({"parent": "Choose a workstream, not a project: projects do not nest."})


class Activity(models.Model):
    """What a project set out to do in a year, and what it has achieved: 'Objective | Achieved'."""

    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="activities")
    start_year = models.PositiveSmallIntegerField(help_text="2017 for 2017/18.")
    order = models.PositiveSmallIntegerField(default=0)
    objective = models.TextField()
    achieved = models.TextField(blank=True, help_text="Markdown.")

    class Meta:
        ordering = ["workstream", "start_year", "order"]
        verbose_name_plural = "activities"

    def __str__(self):
        return self.objective[:80]

    @property
    def year_label(self) -> str:
        return year_label(self.start_year)


class Output(models.Model):
    """What a project delivered in a quarter, whether it is on target, and its key figures."""

    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="outputs")
    start_year = models.PositiveSmallIntegerField(help_text="2017 for 2017/18.")
    quarter = models.PositiveSmallIntegerField(**QUARTER_FIELD_OPTIONS)
    order = models.PositiveSmallIntegerField(default=0)
    delivered = models.TextField("outputs", help_text="What was delivered, as the report puts it.")
    rag = models.CharField("on target (RAG)", max_length=5, choices=Rag.choices)
    savings = models.DecimalField(
        "savings or income (£)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0), message="Savings cannot be negative.")],
    )
    councils_supported = models.PositiveIntegerField(null=True, blank=True)
    report_reference = models.CharField(
        max_length=50, blank=True, help_text="Where the report gives detail, e.g. 'Para 5'."
    )
    highlight = models.TextField(
        blank=True,
        help_text="To mark this output as a highlight for the sector-led improvement update, write it "
        "as a 'We have, for example:' bullet. Blank if it is not a highlight.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["start_year", "quarter", "order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="output_quarter_1_to_4"
            ),
        ]

    def __str__(self):
        return f"{self.workstream} {year_label(self.start_year)} Q{self.quarter}: {self.delivered[:60]}"

    @property
    def quarter_label(self) -> str:
        name, months, _ = QUARTERS[self.quarter]
        return f"{name} ({months}) {year_label(self.start_year)}"


class Dimension(models.TextChoices):
    POLITICAL_GROUP = "political_group", "Political group"
    REGION = "region", "Region"
    AUTHORITY_TYPE = "authority_type", "Type of authority"
    GENDER = "gender", "Gender"


class Participation(models.Model):
    """Participation figures for a programme and period, entered as counts by dimension; every
    total is computed, and each dimension's breakdown must add up to the same totals."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="participation")
    start_year = models.PositiveSmallIntegerField(help_text="2017 for 2017/18.")
    period = models.CharField(max_length=200, help_text="'2017/18, up to and including September 2017'")
    as_at = models.DateField(help_text="The figures are correct up to and including this date.")
    stated_total = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="A total the report's text gives, if any; shown beside the computed total when "
        "they differ.",
    )
    stated_total_source = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["programme", "-as_at"]
        verbose_name_plural = "participation figures"
        constraints = [
            models.UniqueConstraint(fields=["programme", "period"], name="unique_participation_period"),
        ]

    def __str__(self):
        return f"{self.programme}: {self.period}"

    def get_absolute_url(self):
        return reverse("programmes:programme_detail", kwargs={"slug": self.programme.slug}) + (
            f"#participation-{self.pk}"
        )


class ParticipationColumn(models.Model):
    """A course or strand the counts are given for (LA, LE, FoL…)."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="columns")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["participation", "order"]
        constraints = [
            models.UniqueConstraint(fields=["participation", "code"], name="unique_participation_column"),
        ]

    def __str__(self):
        return self.code


class ParticipationCount(models.Model):
    """One cell: how many in a category of a dimension took part in a column's course."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="counts")
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    order = models.PositiveSmallIntegerField(default=0, help_text="The row's place in its table.")
    category = models.CharField(max_length=100, help_text="'Labour', 'North East', 'District'…")
    column = models.ForeignKey(ParticipationColumn, on_delete=models.CASCADE, related_name="counts")
    count = models.PositiveIntegerField(null=True, blank=True, help_text="Blank where none is given.")

    class Meta:
        ordering = ["participation", "dimension", "order", "column__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "dimension", "category", "column"], name="unique_participation_cell"
            ),
        ]

    def __str__(self):
        return f"{self.category} {self.column}: {self.count}"


class LiveAnnex(models.Model):
    """The data behind an annex that is generated rather than typed. While its meeting is a draft
    the annex shows the data as it stands; publishing the meeting freezes it."""

    class Kind(models.TextChoices):
        OUTPUTS = "outputs", "Summary of key outputs for a quarter"
        MOU_PROGRESS = "mou_progress", "MoU progress for a theme and quarter"
        PRIORITIES = "priorities", "Board priorities and member leads"
        PARTICIPATION = "participation", "Participation tables with totals"

    REQUIRED = {
        Kind.OUTPUTS: ["programme_id", "start_year", "quarter"],
        Kind.MOU_PROGRESS: ["theme_id", "quarter"],
        Kind.PRIORITIES: ["board_year_id"],
        Kind.PARTICIPATION: ["participation_id"],
    }

    annex = models.OneToOneField(Annex, on_delete=models.CASCADE, related_name="live")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="2017 for 2017/18.")
    quarter = models.PositiveSmallIntegerField(null=True, blank=True, **QUARTER_FIELD_OPTIONS)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, null=True, blank=True)
    board_year = models.ForeignKey(BoardYear, on_delete=models.PROTECT, null=True, blank=True)
    participation = models.ForeignKey(Participation, on_delete=models.PROTECT, null=True, blank=True)
    frozen_html = models.TextField(blank=True, editable=False)
    frozen = models.BooleanField(default=False, editable=False, help_text="Frozen at publication.")
    frozen_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the data was frozen (empty: not recorded, for papers entered from print).",
    )

    class Meta:
        verbose_name_plural = "live annexes"

    def __str__(self):
        return f"{self.annex} ({self.get_kind_display().lower()})"

    def clean(self):
        missing = {
            attribute.removesuffix("_id"): f"A “{self.get_kind_display().lower()}” annex needs this."
            for attribute in self.REQUIRED.get(self.kind, [])
            if getattr(self, attribute) is None
        }
        if missing:
            raise ValidationError(missing)
        if self.pk and self.is_frozen and self.meeting.is_published:
            raise ValidationError(
                "The meeting is published, so this annex is frozen as its readers saw it. Take the "
                "meeting back to draft to change it; it is frozen afresh when published again."
            )

    @property
    def is_frozen(self) -> bool:
        return self.frozen

    @property
    def meeting(self):
        return self.annex.report.item.meeting


class SectorUpdate(models.Model):
    """The sector-led improvement update: how the year's grant is being used, theme by theme,
    with highlights drawn from the returns and outputs officers have marked."""

    mou = models.ForeignKey(Mou, on_delete=models.CASCADE, related_name="sector_updates")
    quarter = models.PositiveSmallIntegerField(
        validators=QUARTER_FIELD_OPTIONS["validators"],
        help_text="The quarter progress is reported to (2: as of 30 September).",
    )
    title = models.CharField(max_length=200, default="Sector-led improvement update")
    issued = models.CharField(max_length=50, help_text="'November 2017'")
    introduction = models.TextField(blank=True, help_text="Markdown.")
    closing = models.TextField(blank=True, help_text="Markdown: outcomes, impact and what comes next.")

    class Meta:
        ordering = ["mou", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["mou", "quarter"], name="one_sector_update_per_quarter"),
        ]

    def __str__(self):
        return f"{self.title}, {self.issued}"

    def get_absolute_url(self):
        return reverse("programmes:sector_update", kwargs={"year": self.mou.slug})


class SectorUpdateTheme(models.Model):
    """A theme's section of the update: its summary; the highlights come from the data."""

    update = models.ForeignKey(SectorUpdate, on_delete=models.CASCADE, related_name="sections")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    heading = models.CharField(max_length=200, help_text="As the update titles the theme.")
    summary = models.TextField(blank=True, help_text="Markdown: before 'We have, for example:'.")
    after = models.TextField(blank=True, help_text="Markdown: feedback and quotes after the highlights.")

    class Meta:
        ordering = ["update", "order"]
        constraints = [
            models.UniqueConstraint(fields=["update", "theme"], name="one_section_per_theme"),
        ]

    def __str__(self):
        return self.heading
