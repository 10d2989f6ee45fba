"""Where officers keep programmes, outputs and participation figures, and clerks set up live annexes."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from rules.contrib.admin import ObjectPermissionsModelAdminMixin

from lgaboard import permissions
from lgaboard.admin import HistoryAdmin, KeepsSearchCurrentMixin
from lgaboard.admin_scope import ScopedSaveAdminMixin

from .annexes import live_annex_save
from .forms import BreakdownForm
from .models import (
    Activity,
    Dimension,
    LiveAnnex,
    Output,
    Participation,
    ParticipationColumn,
    Priority,
    Programme,
    SectorUpdate,
    SectorUpdateTheme,
    Workstream,
)
from .participation import breakdowns_for
from .search import search_refresh_programmes
from .services import breakdown_save


class WorkstreamInline(admin.TabularInline):
    model = Workstream
    extra = 0
    fields = ["order", "name", "slug", "parent", "report_paragraph"]
    show_change_link = True


@admin.register(Programme)
class ProgrammeAdmin(KeepsSearchCurrentMixin, admin.ModelAdmin):
    list_display = ["name", "contact_officer", "order"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["contact_officer"]
    inlines = [WorkstreamInline]

    def search_refresh_for(self, obj):
        search_refresh_programmes()


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["title", "board_year", "member_lead", "order"]
    list_filter = ["board_year"]
    autocomplete_fields = ["member_lead"]
    filter_horizontal = ["programmes"]


class ActivityInline(admin.StackedInline):
    model = Activity
    extra = 0


class OutputInline(admin.StackedInline):
    model = Output
    extra = 0
    fields = [
        ("start_year", "quarter", "order"),
        "delivered",
        ("rag", "report_reference"),
        ("savings", "councils_supported"),
        "highlight",
    ]


class LedProgrammeAdminMixin(ScopedSaveAdminMixin, ObjectPermissionsModelAdminMixin):
    """Officers see, add and change only the work of the programmes they lead, and cannot move it
    to a programme they do not lead (programmes/permissions.py, lgaboard/admin_scope.py)."""

    programme_path = "programme"
    scoped_choices = {
        "programme": "contact_officer",
        "workstream": "programme__contact_officer",
        "parent": "programme__contact_officer",
    }

    def get_queryset(self, request):
        scope = permissions.officer_scope(request.user, f"{self.programme_path}__contact_officer")
        queryset = super().get_queryset(request)
        return queryset if scope is None else queryset.filter(scope)


@admin.register(Workstream)
class WorkstreamAdmin(KeepsSearchCurrentMixin, LedProgrammeAdminMixin, admin.ModelAdmin):
    list_display = ["name", "programme", "parent", "order"]
    list_filter = ["programme"]
    search_fields = ["name", "summary"]
    autocomplete_fields = ["deliverables"]
    inlines = [ActivityInline, OutputInline]

    def search_refresh_for(self, obj):
        search_refresh_programmes()


@admin.register(Output)
class OutputAdmin(KeepsSearchCurrentMixin, LedProgrammeAdminMixin, HistoryAdmin):
    programme_path = "workstream__programme"

    list_display = ["workstream", "start_year", "quarter", "rag", "report_reference"]
    list_filter = ["workstream__programme", "start_year", "quarter", "rag"]
    search_fields = ["delivered", "highlight"]

    def search_refresh_for(self, obj):
        search_refresh_programmes()


class ParticipationColumnInline(admin.TabularInline):
    model = ParticipationColumn
    extra = 0


@admin.register(Participation)
class ParticipationAdmin(LedProgrammeAdminMixin, admin.ModelAdmin):
    list_display = ["programme", "period", "as_at", "breakdown_links"]
    list_filter = ["programme"]
    inlines = [ParticipationColumnInline]

    @admin.display(description="Enter a breakdown")
    def breakdown_links(self, participation):
        links = (
            (reverse("admin:programmes_breakdown", args=[participation.pk, dimension]), label)
            for dimension, label in Dimension.choices
        )
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    def get_urls(self):
        view = self.admin_site.admin_view(self.breakdown_view)
        return [
            path("<int:participation_id>/breakdown/<str:dimension>/", view, name="programmes_breakdown"),
            *super().get_urls(),
        ]

    def breakdown_view(self, request, participation_id, dimension):
        """A dimension's counts as a grid; saved only if every total agrees with the other breakdowns."""
        participation = get_object_or_404(Participation, pk=participation_id)
        if dimension not in Dimension.values or not self.has_change_permission(request, participation):
            raise Http404("No such breakdown.")
        data = request.POST if request.method == "POST" else None
        form = BreakdownForm(data, participation=participation, dimension=dimension)
        if form.is_bound and form.is_valid():
            try:
                breakdown_save(participation=participation, dimension=dimension, rows=form.rows())
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, f"Saved the breakdown by {Dimension(dimension).label.lower()}.")
                return redirect(reverse("admin:programmes_participation_change", args=[participation.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": f"{participation}: by {Dimension(dimension).label.lower()}",
            "participation": participation,
            "form": form,
            "dimension_label": Dimension(dimension).label,
            "others": [b for b in breakdowns_for(participation) if b.dimension != dimension],
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/programmes/breakdown.html", context)


@admin.register(LiveAnnex)
class LiveAnnexAdmin(admin.ModelAdmin):
    list_display = ["annex", "kind", "frozen_at"]
    list_filter = ["kind"]
    readonly_fields = ["frozen_at", "preview_link"]
    fields = [
        "annex",
        "kind",
        ("programme", "start_year", "quarter"),
        "theme",
        "board_year",
        "participation",
        "frozen_at",
        "preview_link",
    ]

    def save_model(self, request, obj, form, change):
        live_annex_save(live=obj)  # added to a published meeting, it is frozen at once

    @admin.display(description="See it in the paper")
    def preview_link(self, live):
        if not live.pk:
            return "-"
        item = live.annex.report.item
        return format_html('<a href="{}#{}">{}</a>', item.get_absolute_url(), live.annex.anchor, item)


class SectorUpdateThemeInline(admin.StackedInline):
    model = SectorUpdateTheme
    extra = 0


@admin.register(SectorUpdate)
class SectorUpdateAdmin(KeepsSearchCurrentMixin, admin.ModelAdmin):
    list_display = ["__str__", "mou", "quarter"]
    inlines = [SectorUpdateThemeInline]

    def view_on_site(self, update):
        return update.get_absolute_url()

    def search_refresh_for(self, obj):
        search_refresh_programmes()
