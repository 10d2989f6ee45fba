"""Where officers and clerks keep the MoU: themes, deliverables and quarterly returns."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from rules.contrib.admin import ObjectPermissionsModelAdminMixin

from lgaboard import permissions
from lgaboard.admin import HistoryAdmin, KeepsSearchCurrentMixin
from lgaboard.admin_scope import ScopedSaveAdminMixin
from lgaboard.converters import BIGGEST_ID
from lgaboard.versioning import StaleEditAdminMixin
from meetings.admin import ActionAdmin, ReportAdmin

from . import services, sheet_imports, spreadsheets, year
from .forms import LeadOfficerForm, MouCopyForm, QuarterlyReturnForm
from .models import (
    QUARTERS,
    Deliverable,
    Mou,
    QuarterlyReturn,
    ReturnEvent,
    SheetImport,
    SubTarget,
    Theme,
    ThemeOutcome,
)
from .search import search_refresh_mou

REFRESH_SECONDS = 3  # how often the page of an import under way reloads itself


def sheet_import_url(record: SheetImport) -> str:
    return reverse("admin:mou_sheet_import", args=[record.mou_id, record.pk])


class DraftDeleteMixin:
    """Those who run the MoU remove from a draft MoU what is not carried into the new year; a published
    MoU keeps every part (mou/permissions.py, mou.delete_*). For an inline, `obj` is the row it
    sits in, which says whether its MoU is a draft."""

    def has_delete_permission(self, request, obj=None):
        perm = f"mou.delete_{self.opts.model_name}"
        allowed = super().has_delete_permission(request, obj)
        return allowed or (obj is not None and request.user.has_perm(perm, obj))


class RunsMouAdminMixin:
    """Admin pages and actions for those who run the MoU (mou.run_mou: approvers)."""

    def has_run_permission(self, request):
        return request.user.has_perm(year.RUN_MOU)

    def _page(self, request, template, title, **context):
        context = {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **context}
        return TemplateResponse(request, f"admin/mou/{template}", context)


class MouYearAdminMixin(RunsMouAdminMixin):
    """The MoU's year, for those who run it: copy an MoU into next year's draft, import its
    deliverables from a spreadsheet (or download them), publish the draft."""

    def year_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:mou_id>/copy/", view(self.copy_view), name="mou_mou_copy"),
            path(
                "<int:mou_id>/deliverables/import/",
                view(self.deliverables_import_view),
                name="mou_deliverables_import",
            ),
            path(
                "<int:mou_id>/deliverables.<str:fmt>",
                view(self.deliverables_export_view),
                name="mou_deliverables_export",
            ),
        ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.draft = True  # a new MoU starts as a draft, published by the action that checks it
        super().save_model(request, obj, form, change)

    def _mou_to_run(self, request, mou_id) -> Mou:
        if not self.has_run_permission(request):
            raise PermissionDenied
        return get_object_or_404(Mou, pk=mou_id)

    def copy_view(self, request, mou_id):
        """Copy an MoU into a new year's draft: its themes, outcomes and deliverables, not its figures."""
        source = self._mou_to_run(request, mou_id)
        form = MouCopyForm(request.POST or None, initial={"start_year": source.start_year + 1})
        if form.is_valid():
            try:
                mou = year.mou_copy(
                    source=source, start_year=form.cleaned_data["start_year"], by=request.user
                )
            except ValidationError as error:
                form.add_error("start_year", error)
            else:
                self.log_addition(request, mou, f"Copied from {source}.")
                self._copied_message(request, source, mou)
                return redirect(reverse("admin:mou_mou_change", args=[mou.pk]))
        return self._page(
            request, "mou_copy.html", f"Copy {source} into a new year", source=source, form=form
        )

    def _copied_message(self, request, source, mou):
        count = Deliverable.objects.filter(theme__mou=mou).count()
        self.message_user(
            request,
            f"{mou} is a draft copied from {source}: {mou.themes.count()} themes and {count} "
            "deliverables with their lead officers, no returns. Only staff see it until you publish it.",
        )
        undated = year.milestones_without_due(mou)
        if undated:
            names = ", ".join(str(d) for d in undated)
            self.message_user(
                request,
                f"{len(undated)} milestones need the date they are due by: {names}.",
                messages.WARNING,
            )

    def deliverables_import_view(self, request, mou_id):
        """Upload a deliverables sheet: every row checked, nothing saved unless all are good."""
        mou = self._mou_to_run(request, mou_id)
        problems = []
        if request.method == "POST" and request.FILES.get("file"):
            upload = request.FILES["file"]
            try:
                kind = SheetImport.Kind.DELIVERABLES
                if kept := sheet_imports.queued_if_long(kind=kind, mou=mou, upload=upload, by=request.user):
                    return redirect(sheet_import_url(kept))
                result = year.import_deliverables(mou=mou, upload=upload, by=request.user)
            except spreadsheets.ImportRefused as refused:
                problems = refused.problems
                messages.error(request, f"Nothing was imported: {len(problems)} problem(s) in the file.")
            else:
                done = year.describe_import(result)
                self.log_change(request, mou, f"Deliverables imported: {done}.")
                self.message_user(request, f"{mou}: {done}.")
                return redirect(reverse("admin:mou_mou_change", args=[mou.pk]))
        return self._page(
            request, "deliverables_import.html", f"{mou}: import deliverables", mou=mou, problems=problems,
            limits=spreadsheets.UPLOAD_LIMITS, how_to=year.HOW_TO, headers=year.HEADERS,
        )  # fmt: skip

    def deliverables_export_view(self, request, mou_id, fmt):
        """The MoU's deliverables in the import's columns (a template for next year's sheet)."""
        mou = get_object_or_404(Mou, pk=mou_id)
        if fmt not in ("csv", "xlsx") or not self.has_view_permission(request, mou):
            raise Http404("No such download.")
        rows, name = year.export_deliverables(mou), f"mou-{mou.slug}-deliverables.{fmt}"
        if fmt == "csv":
            body, kind = year.deliverables_csv(rows), "text/csv; charset=utf-8"
        else:
            body = year.deliverables_xlsx(rows, f"Deliverables {mou.slug}")
            kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return HttpResponse(
            body, content_type=kind, headers={"Content-Disposition": f'attachment; filename="{name}"'}
        )

    @admin.action(description="Copy the selected MoU into a new year", permissions=["run"])
    def copy_into_new_year(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select one MoU to copy.", messages.ERROR)
            return None
        return redirect(reverse("admin:mou_mou_copy", args=[queryset.get().pk]))

    @admin.action(description="Publish the selected draft MoUs", permissions=["run"])
    def publish(self, request, queryset):
        for mou in queryset:
            try:
                year.mou_publish(mou=mou, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{mou} not published: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.log_change(request, mou, "Published.")
                self.message_user(request, f"{mou} is published: the public sees it now.")


class ThemeInline(DraftDeleteMixin, admin.TabularInline):
    model = Theme
    extra = 0
    fields = ["order", "key", "title"]
    show_change_link = True


@admin.register(Mou)
class MouAdmin(KeepsSearchCurrentMixin, DraftDeleteMixin, MouYearAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "title", "grant", "signed_on", "draft", "entry_links"]
    inlines = [ThemeInline]
    actions = ["copy_into_new_year", "publish"]
    readonly_fields = ["draft"]  # "Publish the selected draft MoUs" publishes, once it is complete

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
            path(
                "<int:mou_id>/imports/<int:import_id>/",
                self.admin_site.admin_view(self.sheet_import_view),
                name="mou_sheet_import",
            ),
            *self.year_urls(),
            *super().get_urls(),
        ]

    def _mou_quarter(self, request, mou_id, quarter) -> Mou:
        """The MoU whose quarter is being entered, or 404 (also for those who may not change it)."""
        mou = get_object_or_404(Mou, pk=mou_id)
        if quarter not in QUARTERS or not request.user.has_perm("mou.change_quarterlyreturn"):
            raise Http404("No such quarter.")
        return mou

    def sheet_import_view(self, request, mou_id, import_id):
        """How the import of a long sheet is going: refreshes itself (no JavaScript) until it is done,
        then says what was imported or lists every problem. Only for the one who uploaded it (and
        superusers): it names their file and their rows."""
        if max(mou_id, import_id) > BIGGEST_ID:  # beyond what a database can hold: no such row
            raise Http404("No such import.")
        record = get_object_or_404(SheetImport.objects.select_related("mou"), pk=import_id, mou_id=mou_id)
        if record.requested_by_id != request.user.pk and not request.user.is_superuser:
            raise Http404("No such import.")
        if record.kind == SheetImport.Kind.RETURNS:
            again = reverse("admin:mou_quarter_import", args=[record.mou_id, record.quarter])
            after = reverse("admin:mou_quarter_entry", args=[record.mou_id, record.quarter])
            after_label = f"the {QUARTERS[record.quarter][0]} entry screen"
        else:
            again = reverse("admin:mou_deliverables_import", args=[record.mou_id])
            after = reverse("admin:mou_mou_change", args=[record.mou_id])
            after_label = str(record.mou)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": (
                f"Import of {QUARTERS[record.quarter][0]} returns: {record.mou}"
                if record.kind == SheetImport.Kind.RETURNS
                else f"Import of deliverables: {record.mou}"
            ),
            "record": record,
            "again": again,
            "after": after,
            "after_label": after_label,
            # Refreshing is the officer's to stop (WCAG 2.2.1): "?refresh=off" keeps the page still.
            "refreshing": record.is_active and not record.timed_out,
            "refresh_seconds": REFRESH_SECONDS if request.GET.get("refresh") != "off" else None,
        }
        return TemplateResponse(request, "admin/mou/sheet_import.html", context)

    def quarter_import_view(self, request, mou_id, quarter):
        """Upload an edited download: every row is checked, and nothing is saved unless all are good."""
        mou = self._mou_quarter(request, mou_id, quarter)
        problems = []
        if request.method == "POST" and request.FILES.get("file"):
            upload = request.FILES["file"]
            try:
                kept = sheet_imports.queued_if_long(
                    kind=SheetImport.Kind.RETURNS, mou=mou, quarter=quarter, upload=upload, by=request.user
                )
                if kept:
                    return redirect(sheet_import_url(kept))
                saved = spreadsheets.import_quarter(mou=mou, quarter=quarter, upload=upload, by=request.user)
            except spreadsheets.ImportRefused as refused:
                problems = refused.problems
                messages.error(request, f"Nothing was imported: {len(problems)} problem(s) in the file.")
            else:
                done = spreadsheets.describe_quarter_import(saved)
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
        """One screen per MoU, theme and quarter: a card per deliverable, the officer's own by default."""
        mou = self._mou_quarter(request, mou_id, quarter)
        show = request.GET.get("show")
        show = show if show in ("mine", "all") else services.quarter_entry_default_show(request.user)
        themes = services.quarter_entry_themes(mou=mou, user=request.user)
        theme = services.quarter_entry_theme(themes, key=request.GET.get("theme"), show=show)
        if theme is None:
            raise Http404("This MoU has no themes yet.")
        data = request.POST if request.method == "POST" else None
        rows = services.quarter_entry_forms(
            theme=theme, quarter=quarter, user=request.user, data=data, only_led=show == "mine"
        )
        if data is not None:
            try:
                saved = services.quarter_entry_save(rows=rows, by=request.user)
            except ValidationError:
                pass  # nothing saved; each problem is shown on its row and in the summary
            else:
                messages.success(request, f"{theme.title}, Q{quarter}: {saved} returns saved.")
                return redirect(f"{request.path}?theme={theme.key}&show={show}")
        context = {
            **self.admin_site.each_context(request),
            "title": f"{mou}: {theme.title}, {QUARTERS[quarter][0]} ({QUARTERS[quarter][1]})",
            "mou": mou,
            "theme": theme,
            "themes": themes,
            "quarter": quarter,
            "quarters": QUARTERS,
            "show": show,
            "rows": rows,
            "errors": [link for row in rows for link in row.error_links],
        }
        return TemplateResponse(request, "admin/mou/quarter_entry.html", context)

    def search_refresh_for(self, obj):
        search_refresh_mou(obj)


class ThemeOutcomeInline(DraftDeleteMixin, admin.TabularInline):
    model = ThemeOutcome
    extra = 0


class DeliverableInline(DraftDeleteMixin, admin.TabularInline):
    model = Deliverable
    extra = 0
    fields = ["order", "reference", "short_title", "target", "comparator", "unit", "rule", "due"]
    show_change_link = True


@admin.register(Theme)
class ThemeAdmin(KeepsSearchCurrentMixin, DraftDeleteMixin, admin.ModelAdmin):
    list_display = ["title", "mou", "order"]
    list_select_related = ["mou"]
    list_filter = ["mou"]
    inlines = [ThemeOutcomeInline, DeliverableInline]

    def search_refresh_for(self, obj):
        search_refresh_mou(obj.mou)


class SubTargetInline(DraftDeleteMixin, admin.TabularInline):
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
class DeliverableAdmin(KeepsSearchCurrentMixin, DraftDeleteMixin, RunsMouAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "short_form", "target_label", "rule", "lead_officer"]
    list_select_related = ["theme", "lead_officer"]
    actions = ["assign_lead"]
    list_filter = ["theme__mou", "theme", "rule"]
    search_fields = ["reference", "commitment", "unit"]
    # The thread from commitment to decision: papers, decisions and actions that concern it.
    autocomplete_fields = ["lead_officer", "reports", "decisions", "actions"]
    inlines = [SubTargetInline, QuarterlyReturnInline]

    @admin.action(description="Assign a lead officer to the selected deliverables", permissions=["run"])
    def assign_lead(self, request, queryset):
        """Asks whom, then makes them the lead of every deliverable selected (kept in each one's history)."""
        form = LeadOfficerForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            deliverables = queryset.select_related("theme__mou", "lead_officer")
            return self._page(
                request, "assign_lead.html", "Assign a lead officer", deliverables=deliverables, form=form
            )
        lead = form.cleaned_data["lead_officer"]
        selected = list(queryset)
        changed = year.leads_assign(deliverables=selected, lead_officer=lead, by=request.user)
        for deliverable in changed:
            self.log_change(request, deliverable, f"Lead officer: {lead} (assigned in bulk).")
        self.message_user(
            request, f"{lead} now leads the {len(selected)} deliverables selected ({len(changed)} changed)."
        )
        return None

    def search_refresh_for(self, obj):
        search_refresh_mou(obj.theme.mou)


class ReturnEventInline(admin.TabularInline):
    model = ReturnEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "by", "at", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(QuarterlyReturn)
class QuarterlyReturnAdmin(
    KeepsSearchCurrentMixin,
    StaleEditAdminMixin,
    ScopedSaveAdminMixin,
    ObjectPermissionsModelAdminMixin,
    HistoryAdmin,
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

    def search_refresh_for(self, obj):
        """An approved return deleted: its text leaves the search. (An approved return cannot be
        changed here, and a draft's or submitted one's text is not in the search.)"""
        if obj.status == QuarterlyReturn.Status.APPROVED:
            search_refresh_mou(obj.deliverable.theme.mou)


class DeliverableLinkInline(admin.TabularInline):
    """The MoU deliverables a paper or action concerns (the link is kept on the deliverable, whose
    page shows what the board said and asked about it)."""

    extra = 0
    autocomplete_fields = ["deliverable"]


class ReportDeliverableInline(DeliverableLinkInline):
    model = Deliverable.reports.through
    verbose_name = "MoU deliverable this report discusses"
    verbose_name_plural = "MoU deliverables this report discusses"


class ActionDeliverableInline(DeliverableLinkInline):
    model = Deliverable.actions.through
    verbose_name = "MoU deliverable this action concerns"
    verbose_name_plural = "MoU deliverables this action concerns"


# On the report's and the action's pages in the meetings admin, after their own inlines (the hook
# meetings/admin.py offers to later apps, so that meetings imports no MoU).
ReportAdmin.inlines = [*ReportAdmin.inlines, ReportDeliverableInline]
ActionAdmin.inlines = [*ActionAdmin.inlines, ActionDeliverableInline]
