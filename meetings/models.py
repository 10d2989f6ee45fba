"""The nouns a clerk uses: boards and their years, members, venues, meetings, items, reports, annexes."""

import datetime
import math
from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from pypdf import PdfReader
from simple_history.models import HistoricalRecords

from lgaboard.versioning import VersionedModel
from lgaboard.years import FinancialYear

from .validators import validate_annex_letter, validate_pdf_upload


class Authority(models.Model):
    """A council or other authority a member represents."""

    class Type(models.TextChoices):
        DISTRICT = "district", "District"
        COUNTY = "county", "County"
        UNITARY = "unitary", "Unitary"
        METROPOLITAN = "metropolitan", "Metropolitan"
        LONDON_BOROUGH = "london_borough", "London borough"
        WELSH = "welsh", "Welsh"
        FIRE = "fire", "Fire and rescue"
        NATIONAL_PARK = "national_park", "National park"
        COMBINED = "combined", "Combined authority"

    name = models.CharField(max_length=200, unique=True)
    authority_type = models.CharField("type", max_length=20, choices=Type.choices)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "authorities"

    def __str__(self):
        return self.name


class PoliticalGroup(models.Model):
    """A party group, with the group office members contact about meetings and apologies."""

    name = models.CharField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0, help_text="Order in membership lists.")
    office_phone = models.CharField("group office phone", max_length=40, blank=True)
    office_email = models.EmailField("group office email", blank=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Person(models.Model):
    """A councillor, observer, guest or officer, named as the papers name them."""

    slug = models.SlugField(max_length=120, unique=True, help_text="A stable key, e.g. 'paul-bettison'.")
    title = models.CharField(max_length=20, blank=True, help_text="Cllr, Mayor, Sir, Mr, Dr…")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    honours = models.CharField(max_length=50, blank=True, help_text="OBE, MBE, CBE, JP…")
    position = models.CharField(max_length=200, blank=True, help_text="Job title (officers).")
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        help_text="Their login, if they have one: a member sees their boards' confidential items.",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        """The name as printed in the papers: 'Cllr Paul Bettison OBE'."""
        parts = [self.title, self.first_name, self.last_name, self.honours]
        return " ".join(part for part in parts if part)

    @property
    def plain_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Board(models.Model):
    """A board of the association. Its name may change; its history stays with it."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("meetings:board_detail", kwargs={"board_slug": self.slug})

    def name_on(self, date) -> str:
        """The name the board had on a date: papers keep the name they were issued under."""
        # Undated former names are kept for history and old addresses, not for dating papers.
        # Iterating .all() lets a prefetch of former_names serve every call.
        dated = [f for f in self.former_names.all() if f.until is not None and f.until >= date]
        return min(dated, key=lambda f: f.until).name if dated else self.name


class BoardFormerName(models.Model):
    """A name the board used until a date; its old address still leads to the board."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="former_names")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    until = models.DateField(
        null=True, blank=True, help_text="Last day the board used this name, where it is recorded."
    )

    class Meta:
        ordering = ["-until"]

    def __str__(self):
        return self.name


class BoardYear(FinancialYear, models.Model):
    """A board's year (2017/18): terms of reference, quorum rule and political composition."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="years")
    start_year = models.PositiveSmallIntegerField(help_text="2017 for 2017/18.")
    terms_of_reference = models.TextField(blank=True, help_text="Markdown.")
    quorum_numerator = models.PositiveSmallIntegerField(default=1)
    quorum_denominator = models.PositiveSmallIntegerField(default=3)
    quorum_min_groups = models.PositiveSmallIntegerField(
        default=2, help_text="Political groups that must be represented for a quorum."
    )
    meetings_per_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["board", "-start_year"]
        constraints = [
            models.UniqueConstraint(fields=["board", "start_year"], name="unique_board_year"),
            models.CheckConstraint(condition=Q(quorum_denominator__gt=0), name="quorum_denominator_positive"),
        ]

    def __str__(self):
        return f"{self.board} {self.label}"

    def quorum_for(self, seats: int) -> int:
        """People needed for a quorum of a body with this many seats (rounded up)."""
        return math.ceil(seats * self.quorum_numerator / self.quorum_denominator)

    @property
    def quorum_fraction_label(self) -> str:
        names = {(1, 3): "one third", (1, 2): "one half", (1, 4): "one quarter"}
        key = (self.quorum_numerator, self.quorum_denominator)
        return names.get(key, f"{self.quorum_numerator}/{self.quorum_denominator}")


class SeatAllocation(models.Model):
    """Seats per political group as the terms of reference set them."""

    board_year = models.ForeignKey(BoardYear, on_delete=models.CASCADE, related_name="seats")
    group = models.ForeignKey(PoliticalGroup, on_delete=models.PROTECT)
    seats = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["group__order"]
        constraints = [models.UniqueConstraint(fields=["board_year", "group"], name="unique_seat_allocation")]

    def __str__(self):
        return f"{self.group}: {self.seats}"


class Membership(models.Model):
    """A person's place on a board for a year, with group, authority and role."""

    class Role(models.TextChoices):
        CHAIRMAN = "chairman", "Chairman"
        VICE_CHAIR = "vice_chair", "Vice-Chair"
        DEPUTY_CHAIR = "deputy_chair", "Deputy Chair"
        MEMBER = "member", "Member"
        OBSERVER = "observer", "Observer"
        SUBSTITUTE = "substitute", "Substitute"

    # Roles that hold a seat; observers and substitutes do not.
    SEAT_ROLES = (Role.CHAIRMAN, Role.VICE_CHAIR, Role.DEPUTY_CHAIR, Role.MEMBER)

    board_year = models.ForeignKey(BoardYear, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    group = models.ForeignKey(
        PoliticalGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="Blank for observers who are not councillors.",
    )
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, null=True, blank=True)
    organisation = models.CharField(
        max_length=300, blank=True, help_text="What a non-councillor observer represents."
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["board_year", "group__order", "order", "person__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["board_year", "person"],
                name="one_membership_per_person_per_board_year",
                violation_error_message="This person is already on the board for this year.",
            )
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()}, {self.board_year})"

    def clean(self):
        if self.role in self.SEAT_ROLES and self.group_id is None:
            raise ValidationError({"group": "A member holding a seat needs a political group."})
        if self.group_id is None and not self.organisation:
            raise ValidationError(
                {"organisation": "An observer outside the groups must name the body they represent."}
            )

    @property
    def holds_seat(self) -> bool:
        return self.role in self.SEAT_ROLES

    @property
    def is_office_holder(self) -> bool:
        return self.role in (self.Role.CHAIRMAN, self.Role.VICE_CHAIR, self.Role.DEPUTY_CHAIR)

    @property
    def represents(self) -> str:
        return str(self.authority) if self.authority_id else self.organisation


def seat_counts(memberships) -> Counter:
    """Seats held per group, counted from memberships (members only, not observers or substitutes)."""
    return Counter(m.group for m in memberships if m.holds_seat)


class Venue(models.Model):
    """Where a board meets, with what visitors need to know to get there and in."""

    name = models.CharField(max_length=200, help_text="How the papers name it: '18 Smith Square'.")
    room = models.CharField(max_length=200, blank=True)
    building = models.CharField(max_length=200, blank=True)
    address = models.TextField(help_text="Street address, one line per line.")
    postcode = models.CharField(max_length=10)
    visitor_guidance = models.TextField(blank=True, help_text="Markdown: guidance notes for visitors.")
    directions = models.TextField(blank=True, help_text="Markdown: public transport, parking…")
    map_image = models.ImageField(upload_to="venues/", blank=True)
    map_alt_text = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name", "room"]

    def __str__(self):
        return self.one_line

    @property
    def one_line(self) -> str:
        """'Westminster Room, 8th Floor, 18 Smith Square, London, SW1P 3HZ'."""
        parts = [self.room, *self.address.splitlines(), self.postcode]
        return ", ".join(part.strip().rstrip(",") for part in parts if part.strip())

    @property
    def postal_address(self) -> str:
        """'18 Smith Square, London SW1P 3HZ'."""
        lines = [line.strip().rstrip(",") for line in self.address.splitlines() if line.strip()]
        return f"{', '.join(lines)} {self.postcode}".strip()

    def clean(self):
        if self.map_image and not self.map_alt_text:
            raise ValidationError({"map_alt_text": "Describe the map for people who cannot see it."})


NOTICE_CLEAR_DAYS = (
    5  # Local Government Act 1972, s.100B: the agenda is open to inspection 5 clear days before
)


def clear_days_between(published_on: datetime.date, meeting_on: datetime.date) -> int:
    """Working days (Monday to Friday) strictly between publication and the meeting: neither the
    day of publication nor the day of the meeting counts. Bank holidays are not modelled."""
    days = 0
    day = published_on + datetime.timedelta(days=1)
    while day < meeting_on:
        days += day.weekday() < 5
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
        help_text="Members of the board may read the pack while it is still a draft; the public may not.",
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
        """Its published revisions, without their stored page and PDF."""
        return list(self.revisions.defer("html", "pdf", "fingerprint").order_by("number"))

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
    number = models.PositiveSmallIntegerField()
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


class PackRevision(models.Model):
    """A published version of a meeting's pack, frozen as the public received it: the page and the
    PDF are stored, so downloading it again gives the same document. A change after publication is
    published as a new revision, saying what changed; earlier revisions stay available."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changes = models.JSONField(default=list, help_text="What changed from the revision before.")
    fingerprint = models.JSONField(default=dict, help_text="A hash of each part of the pack.")
    html = models.TextField(help_text="The pack's page as the public received it.")
    pdf = models.BinaryField(help_text="The pack's PDF as the public received it.")

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="unique_revision_number"),
        ]

    def __str__(self):
        return f"{self.meeting}, revision {self.number}"


class FrozenItem(models.Model):
    """One item of a published revision, as the public received it: its page, the page its PDF is
    made from, and (made on the first download, then kept) the PDF itself."""

    revision = models.ForeignKey(PackRevision, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    html = models.TextField()
    pdf_html = models.TextField()
    pdf = models.BinaryField(null=True, blank=True)

    class Meta:
        ordering = ["revision", "number"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "number"], name="unique_frozen_item_number"),
        ]

    def __str__(self):
        return f"{self.revision}, item {self.number}"
