"""Where officers and clerks keep the MoU: themes, deliverables and quarterly returns."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Deliverable, Mou, QuarterlyReturn, SubTarget, Theme, ThemeOutcome


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0
    fields = ["order", "key", "title"]
    show_change_link = True


@admin.register(Mou)
class MouAdmin(admin.ModelAdmin):
    list_display = ["__str__", "title", "grant", "signed_on"]
    inlines = [ThemeInline]


class ThemeOutcomeInline(admin.TabularInline):
    model = ThemeOutcome
    extra = 0


class DeliverableInline(admin.TabularInline):
    model = Deliverable
    extra = 0
    fields = ["order", "reference", "target", "comparator", "unit", "rule", "due"]
    show_change_link = True


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["title", "mou", "order"]
    list_filter = ["mou"]
    inlines = [ThemeOutcomeInline, DeliverableInline]


class SubTargetInline(admin.TabularInline):
    model = SubTarget
    extra = 0


class QuarterlyReturnInline(admin.StackedInline):
    model = QuarterlyReturn
    extra = 0
    fields = [
        ("quarter", "figure", "not_applicable", "milestone_met", "rag"),
        "narrative", "commentary", "correction_reason",
    ]  # fmt: skip


@admin.register(Deliverable)
class DeliverableAdmin(admin.ModelAdmin):
    list_display = ["__str__", "target_label", "rule", "lead_officer"]
    list_filter = ["theme__mou", "theme", "rule"]
    search_fields = ["reference", "commitment", "unit"]
    autocomplete_fields = ["lead_officer"]
    inlines = [SubTargetInline, QuarterlyReturnInline]


@admin.register(QuarterlyReturn)
class QuarterlyReturnAdmin(SimpleHistoryAdmin):
    """Every change to a return is in its history (who, when, old and new values)."""

    list_display = ["__str__", "figure", "rag", "status", "entered_by", "entered_at"]
    list_filter = ["deliverable__theme__mou", "deliverable__theme", "quarter", "rag", "status"]
    search_fields = ["deliverable__commitment", "narrative"]
    history_list_display = ["figure", "rag", "narrative"]

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)
