"""Where clerks build boards, years, memberships, venues, meetings, items, reports and annexes."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from . import services
from .models import (
    AgendaItem,
    Annex,
    Authority,
    Board,
    BoardFormerName,
    BoardYear,
    Meeting,
    Membership,
    Person,
    PoliticalGroup,
    Recommendation,
    Report,
    ReportContact,
    SeatAllocation,
    Venue,
)


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "authority_type"]
    list_filter = ["authority_type"]
    search_fields = ["name"]


@admin.register(PoliticalGroup)
class PoliticalGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "office_phone", "office_email"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "position", "email", "phone"]
    search_fields = ["first_name", "last_name", "position", "email"]
    prepopulated_fields = {"slug": ["first_name", "last_name"]}


class BoardFormerNameInline(admin.TabularInline):
    model = BoardFormerName
    extra = 0


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "former_names__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [BoardFormerNameInline]


class SeatAllocationInline(admin.TabularInline):
    model = SeatAllocation
    extra = 0
    verbose_name = "seats in the terms of reference"
    verbose_name_plural = "political composition (terms of reference)"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person", "authority"]
    fields = ["person", "group", "authority", "organisation", "role", "order"]


@admin.register(BoardYear)
class BoardYearAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meetings_per_year"]
    list_filter = ["board"]
    inlines = [SeatAllocationInline, MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "board_year", "group", "authority", "role"]
    list_filter = ["board_year", "group", "role"]
    search_fields = ["person__first_name", "person__last_name", "authority__name"]
    autocomplete_fields = ["person", "authority"]


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "room", "postcode"]
    search_fields = ["name", "room", "address", "postcode"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["number", "title", "note", "report_link"]
    readonly_fields = ["report_link"]

    @admin.display(description="Report")
    def report_link(self, item):
        if not item.pk:
            return "–"
        return format_html(
            '<a href="{}">Edit item and report</a>',
            reverse("admin:meetings_agendaitem_change", args=[item.pk]),
        )


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "date", "venue", "status", "published_at"]
    list_filter = ["board", "board_year", "status"]
    search_fields = ["board__name", "items__title"]
    date_hierarchy = "date"
    autocomplete_fields = ["venue", "contact_officer"]
    readonly_fields = ["status", "published_at", "published_by"]
    inlines = [AgendaItemInline]
    actions = ["publish"]

    @admin.action(description="Publish the selected meetings")
    def publish(self, request, queryset):
        for meeting in queryset:
            try:
                services.meeting_publish(meeting=meeting, by=request.user)
            except ValidationError as error:
                problems = " ".join(error.messages)
                self.message_user(request, f"{meeting} was not published: {problems}", messages.ERROR)
            else:
                self.message_user(request, f"{meeting} is published.", messages.SUCCESS)


class ReportInline(admin.StackedInline):
    model = Report
    extra = 0
    max_num = 1
    show_change_link = True
    fields = ["title", ("for_information", "for_discussion", "for_decision", "for_direction"), "purpose_text"]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting"]
    list_filter = ["meeting__board", "meeting"]
    search_fields = ["title", "report__body"]
    inlines = [ReportInline]


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0


class ReportContactInline(admin.TabularInline):
    model = ReportContact
    extra = 0
    autocomplete_fields = ["person"]


class AnnexInline(admin.StackedInline):
    model = Annex
    extra = 0


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "item", "purpose_label"]
    list_filter = ["item__meeting__board", "item__meeting"]
    search_fields = ["title", "item__title", "summary", "body"]
    inlines = [RecommendationInline, ReportContactInline, AnnexInline]
    fieldsets = [
        (None, {"fields": ["item", "title"]}),
        (
            "Purpose",
            {
                "fields": [
                    ("for_information", "for_discussion", "for_decision", "for_direction"),
                    "purpose_text",
                ]
            },
        ),
        ("Front sheet", {"fields": ["summary", "recommendations_intro", "action"]}),
        ("Report", {"fields": ["body", "implications_for_wales", "financial_implications", "next_steps"]}),
    ]
