"""Boards, their former names and their years (terms of reference, quorum, seats), and who sits
on them: the membership."""

import math
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from lgaboard.years import FinancialYear

from .directory import Authority, Person, PoliticalGroup


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
