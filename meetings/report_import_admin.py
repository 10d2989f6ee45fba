"""“Fill from a Word document…” on a report's admin page and an agenda item's: upload the .docx, see the
report as the pack will show it with what could not be converted, then save it into the report.
The clerk needs the permission to change the report (or to add one, for an item without a report);
it is asked again on the save."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from lgaboard.converters import BIGGEST_ID
from lgaboard.versioning import StaleEdit

from . import report_import
from .forms import WordDocumentForm, WordDocumentSaveForm
from .models import AgendaItem, Report


class ReportFromWordAdminMixin:
    """For ReportAdmin: the upload page, the preview (a POST that saves nothing) and the save."""

    def get_urls(self):
        return [
            path(
                "from-word/<int:item_id>/",
                self.admin_site.admin_view(self.from_word_view),
                name="meetings_report_from_word",
            ),
            path(
                "from-word/<int:item_id>/save/",
                self.admin_site.admin_view(self.from_word_save_view),
                name="meetings_report_from_word_save",
            ),
            *super().get_urls(),
        ]

    def _item_to_fill(self, request, item_id) -> tuple[AgendaItem, Report | None]:
        if item_id > BIGGEST_ID:
            raise Http404("No such agenda item.")
        item = get_object_or_404(AgendaItem.objects.select_related("meeting__board"), pk=item_id)
        report = Report.objects.filter(item=item).first()
        allowed = self.has_change_permission(request, report) if report else self.has_add_permission(request)
        if not allowed:
            raise PermissionDenied
        return item, report

    def from_word_view(self, request, item_id):
        """The upload; a valid document is answered with its preview (nothing saved)."""
        item, report = self._item_to_fill(request, item_id)
        form = (
            WordDocumentForm(request.POST, request.FILES) if request.method == "POST" else WordDocumentForm()
        )
        if request.method == "POST" and form.is_valid():
            try:
                filled = report_import.read_word_document(form.cleaned_data["document"])
            except ValidationError as error:
                form.add_error("document", error)
            else:
                return self._preview(request, item, report, filled)
        return self._page(request, "from_word.html", item, report, form=form)

    def from_word_save_view(self, request, item_id):
        """Save the previewed document into the report, all at once, or show why not."""
        item, report = self._item_to_fill(request, item_id)
        if request.method != "POST":
            return redirect(reverse("admin:meetings_report_from_word", args=[item.pk]))
        try:
            filled, version = report_import.from_preview_token(
                request.POST.get("preview", ""), item=item, user=request.user
            )
        except ValidationError as error:
            return self._upload_again(request, item, report, error)
        form = WordDocumentSaveForm(request.POST)
        if form.is_valid():
            try:
                saved = report_import.report_fill_from_word(
                    item=item, filled=filled, purposes=form.cleaned_data["purposes"], version=version
                )
            except StaleEdit as error:
                return self._upload_again(request, item, report, error)
            except ValidationError as error:
                form.add_error("purposes", ValidationError(error.messages))
            else:
                return self._saved(request, saved, created=report is None, filename=filled.filename)
        return self._preview(request, item, report, filled, form=form)

    def _upload_again(self, request, item, report, error):
        """The preview cannot be saved (too old, altered, overtaken): the upload page says why."""
        return self._page(
            request, "from_word.html", item, report, form=WordDocumentForm(), problems=error.messages
        )

    def _saved(self, request, report, *, created: bool, filename: str):
        said = f"Filled from the Word document “{filename}”."
        (self.log_addition if created else self.log_change)(request, report, said)
        self.message_user(
            request,
            f"Item {report.item.number}'s report was filled from “{filename}”, as the preview showed.",
            messages.SUCCESS,
        )
        # Back to the agenda, where the next item's report is one click away.
        return redirect(
            reverse("admin:meetings_meeting_change", args=[report.item.meeting_id]) + "#items-group"
        )

    def _preview(self, request, item, report, filled, form=None):
        if form is None:
            purposes = report_import.default_purposes(filled, report)
            token = report_import.preview_token(
                filled=filled, item=item, user=request.user, version=report.version if report else None
            )
            form = WordDocumentSaveForm(initial={"preview": token, "purposes": purposes})
        purposes = form.data.getlist("purposes") if form.is_bound else form.initial["purposes"]
        return self._page(
            request,
            "from_word_preview.html",
            item,
            report,
            form=form,
            filled=filled,
            preview=report_import.ReportPreview(item=item, filled=filled, purposes=purposes),
            changes=report_import.changes_to_know(report, filled),
        )

    def _page(self, request, template, item, report, **context):
        context = {
            **self.admin_site.each_context(request),
            "title": f"Fill item {item.number}’s report from a Word document",
            "subtitle": f"{item.title} – {item.meeting}",
            "opts": self.opts,
            "item": item,
            "report": report,
            "max_megabytes": report_import.MAX_BYTES // 1024 // 1024,
            **context,
        }
        return TemplateResponse(request, f"admin/meetings/report/{template}", context)
