"""The directory: people, the authorities and political groups they come from, and the venues
boards meet at."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


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
    papers_by_email = models.BooleanField(
        "e-mail me when papers are published or changed",
        default=True,
        help_text="Members and contact officers are e-mailed when a pack is published, revised or "
        "released to members in draft; each may turn it off on their account page.",
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
