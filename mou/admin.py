"""Where officers and clerks keep the MoU: themes, deliverables and quarterly returns."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from rules.contrib.admin import ObjectPermissionsModelAdminMixin

from lgaboard import permissions
from lgaboard.admin import HistoryAdmin
from lgaboard.admin_scope import ScopedSaveAdminMixin
from lgaboard.versioning import StaleEditAdminMixin

from . import services, spreadsheets
from .forms import QuarterlyReturnForm
from .models import QUARTERS, Deliverable, Mou, QuarterlyReturn, ReturnEvent, SubTarget, Theme, ThemeOutcome


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0
    fields = ["order", "key", "title"]
    show_change_link = True


@admin.register(Mou)
class MouAdmin(admin.ModelAdmin):
    list_display = ["__str__", "title", "grant", "signed_on", "entry_links"]
    inlines = [ThemeInline]

    @admin.display(description="Enter a quarter")
    def entry_links(self, mou):
        links = [
            format_html('<a href="{}">Q{}</a>', reverse("admin:mou_quarter_entry", args=[mou.pk, q]), q)
            for q in QUARTERS
        ]
        return format_html_join(" · ", "{}", ((link,) for link in links))

    def get_urls(self):
        entry = self.admin_site.admin_view(self.quarter_entry_view)
        return [
            path("<int:mou_id>/quarter/<int:quarter>/", entry, name="mou_quarter_entry"),
            path(
                "<int:mou_id>/quarter/<int:quarter>/import/",
                self.admin_site.admin_view(self.quarter_import_view),
                name="mou_quarter_import",
            ),
            *super().get_urls(),
        ]

    def _mou_quarter(self, request, mou_id, quarter) -> Mou:
        """The MoU whose quarter is being entered, or 404 (also for those who may not change it)."""
        mou = get_object_or_404(Mou, pk=mou_id)
        if quarter not in QUARTERS or not request.user.has_perm("mou.change_quarterlyreturn"):
            raise Http404("No such quarter.")
        return mou

    def quarter_import_view(self, request, mou_id, quarter):
        """Upload an edited download: every row is checked, and nothing is saved unless all are good."""
        mou = self._mou_quarter(request, mou_id, quarter)
        problems = []
        if request.method == "POST" and request.FILES.get("file"):
            try:
                saved = spreadsheets.import_quarter(
                    mou=mou, quarter=quarter, upload=request.FILES["file"], by=request.user
                )
            except spreadsheets.ImportRefused as refused:
                problems = refused.problems
                messages.error(request, f"Nothing was imported: {len(problems)} problem(s) in the file.")
            else:
                done = f"{saved} returns imported." if saved else "no changes; 0 returns imported."
                messages.success(request, f"Q{quarter}: {done}")
                return redirect(reverse("admin:mou_quarter_entry", args=[mou.pk, quarter]))
        context = {
            **self.admin_site.each_context(request),
            "title": f"{mou}: import {QUARTERS[quarter][0]} returns",
            "mou": mou,
            "quarter": quarter,
            "problems": problems,
            "limits": spreadsheets.UPLOAD_LIMITS,
        }
        return TemplateResponse(request, "admin/mou/quarter_import.html", context)

    def quarter_entry_view(self, request, mou_id, quarter):
        """One screen per MoU, theme and quarter: every deliverable's row at once."""
        mou = self._mou_quarter(request, mou_id, quarter)
        themes = list(mou.themes.order_by("order"))
        theme = next((t for t in themes if t.key == request.GET.get("theme")), themes[0] if themes else None)
        if theme is None:
            raise Http404("This MoU has no themes yet.")
        rows = services.quarter_entry_forms(
            theme=theme, quarter=quarter, data=request.POST or None, user=request.user
        )
        if request.method == "POST":
            saved = services.quarter_entry_save(rows=rows, by=request.user)
            if saved >= 0:
                messages.success(request, f"{theme.title}, Q{quarter}: {saved} returns saved.")
                return redirect(f"{request.path}?theme={theme.key}")
            messages.error(request, "Nothing was saved: correct the rows marked below.")
        context = {
            **self.admin_site.each_context(request),
            "title": f"{mou}: {theme.title}, {QUARTERS[quarter][0]} ({QUARTERS[quarter][1]})",
            "mou": mou,
            "theme": theme,
            "themes": themes,
            "quarter": quarter,
            "quarters": QUARTERS,
            "rows": [(d, form, [r for r in d.returns.all() if r.quarter < quarter]) for d, form in rows],
        }
        return TemplateResponse(request, "admin/mou/quarter_entry.html", context)


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
    form = QuarterlyReturnForm  # the same limits and text rules as the entry screen and imports
    extra = 0
    fields = [
        ("quarter", "figure", "not_applicable", "milestone_met", "rag"),
        "narrative", "commentary", "correction_reason", "highlight", "edit_version",
    ]  # fmt: skip


@admin.register(Deliverable)
class DeliverableAdmin(admin.ModelAdmin):
    list_display = ["__str__", "target_label", "rule", "lead_officer"]
    list_filter = ["theme__mou", "theme", "rule"]
    search_fields = ["reference", "commitment", "unit"]
    # The thread from commitment to decision: papers, decisions and actions that concern it.
    autocomplete_fields = ["lead_officer", "reports", "decisions", "actions"]
    inlines = [SubTargetInline, QuarterlyReturnInline]


class ReturnEventInline(admin.TabularInline):
    model = ReturnEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "by", "at", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(QuarterlyReturn)
class QuarterlyReturnAdmin(
    StaleEditAdminMixin, ScopedSaveAdminMixin, ObjectPermissionsModelAdminMixin, HistoryAdmin
):
    """Every change to a return is in its history (who, when, old and new values). Officers see,
    add and change only the returns of the deliverables they lead; approvers sign them off."""

    form = QuarterlyReturnForm  # the same limits and text rules as the entry screen and imports
    scoped_choices = {"deliverable": "lead_officer"}
    approvers_see_all = True
    fields = [
        "deliverable", "quarter", "figure", "not_applicable", "milestone_met", "narrative", "rag",
        "commentary", "correction_reason", "highlight", "edit_version", "status",
    ]  # fmt: skip

    list_display = ["__str__", "figure", "rag", "status", "entered_by", "entered_at"]
    list_filter = ["deliverable__theme__mou", "deliverable__theme", "quarter", "rag", "status"]
    search_fields = ["deliverable__commitment", "narrative"]
    history_list_display = ["figure", "rag", "narrative"]
    readonly_fields = ["status"]
    inlines = [ReturnEventInline]
    actions = ["submit", "approve", "reopen"]

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)

    def _apply(self, request, queryset, service, done, **extra):
        for record in queryset:
            try:
                service(quarterly_return=record, by=request.user, **extra)
            except ValidationError as error:
                self.message_user(request, f"{record}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"{record} {done}.")

    def get_queryset(self, request):
        scope = permissions.officer_scope(request.user, "deliverable__lead_officer", approvers_see_all=True)
        queryset = super().get_queryset(request)
        return queryset if scope is None else queryset.filter(scope)

    def has_change_permission(self, request, obj=None):
        # An approved return is locked: shown read only, and a posted change is refused (403), until
        # an approver reopens it with a reason.
        return super().has_change_permission(request, obj) and not (obj is not None and obj.is_locked)

    def has_approve_permission(self, request):
        return request.user.has_perm("mou.approve_quarterlyreturn")

    @admin.action(description="Submit the selected returns", permissions=["approve"])
    def submit(self, request, queryset):
        self._apply(request, queryset, services.return_submit, "submitted")

    @admin.action(description="Approve the selected returns (they lock)", permissions=["approve"])
    def approve(self, request, queryset):
        self._apply(request, queryset, services.return_approve, "approved and locked")

    @admin.action(
        description="Reopen the selected approved returns, giving a reason", permissions=["approve"]
    )
    def reopen(self, request, queryset):
        reason = request.POST.get("reason", "").strip()
        if "apply" in request.POST and reason:
            self._apply(request, queryset, services.return_reopen, "reopened", reason=reason)
            return None
        if "apply" in request.POST:
            self.message_user(request, "Give the reason for reopening.", messages.ERROR)
        context = {
            **self.admin_site.each_context(request),
            "title": "Reopen approved returns",
            "returns": queryset,
        }
        return TemplateResponse(request, "admin/mou/reopen_returns.html", context)
