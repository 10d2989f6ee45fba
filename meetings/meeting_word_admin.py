"""“Reports from Word…” on a meeting's admin page: upload the bundle of papers (several .docx at once),
see where each goes (the agenda item with its title, or a new item at the end) and each report as the
pack will show it, change where any goes, then save them all in one transaction. The clerk needs to
change the meeting and to add and change its items and reports; it is asked again on the save."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from lgaboard.converters import BIGGEST_ID
from lgaboard.versioning import StaleEdit

from . import report_import
from .forms import WordDocumentsForm, WordDocumentTargetForm
from .models import Meeting
from .report_import import NEW_ITEM, BundleDocument

NEEDED = [
    "meetings.add_report",
    "meetings.change_report",
    "meetings.add_agendaitem",
    "meetings.change_agendaitem",
]


class ReportsFromWordMeetingMixin:
    """For MeetingAdmin: the upload page, the preview (a POST that saves nothing) and the save."""

    def get_urls(self):
        return [
            path(
                "<int:meeting_id>/reports-from-word/",
                self.admin_site.admin_view(self.reports_from_word_view),
                name="meetings_meeting_reports_from_word",
            ),
            path(
                "<int:meeting_id>/reports-from-word/save/",
                self.admin_site.admin_view(self.reports_from_word_save_view),
                name="meetings_meeting_reports_from_word_save",
            ),
            *super().get_urls(),
        ]

    def _meeting_to_fill(self, request, meeting_id) -> Meeting:
        if meeting_id > BIGGEST_ID:
            raise Http404("No such meeting.")
        meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=meeting_id)
        if not (self.has_change_permission(request, meeting) and request.user.has_perms(NEEDED)):
            raise PermissionDenied
        return meeting

    def reports_from_word_view(self, request, meeting_id):
        """The upload; valid documents are answered with their preview (nothing saved)."""
        meeting = self._meeting_to_fill(request, meeting_id)
        posted = request.method == "POST"
        form = WordDocumentsForm(request.POST, request.FILES) if posted else WordDocumentsForm()
        if posted and form.is_valid():
            try:
                read = report_import.read_word_documents(form.cleaned_data["documents"])
            except ValidationError as error:
                form.add_error("documents", error)
            else:
                return self._first_preview(request, meeting, read)
        return self._page(request, "reports_from_word.html", meeting, form=form)

    def reports_from_word_save_view(self, request, meeting_id):
        """Save every previewed document where the clerk aimed it, all at once, or show why not;
        "Check where they go" shows the preview again with the targets chosen."""
        meeting = self._meeting_to_fill(request, meeting_id)
        if request.method != "POST":
            return redirect(reverse("admin:meetings_meeting_reports_from_word", args=[meeting.pk]))
        token = request.POST.get("preview", "")
        try:
            documents, versions = report_import.from_bundle_token(token, meeting=meeting, user=request.user)
        except ValidationError as error:
            return self._upload_again(request, meeting, error)
        items = self._items(meeting)
        forms = [
            WordDocumentTargetForm(request.POST, prefix=f"doc{n}", items=items) for n in range(len(documents))
        ]
        if not all(form.is_valid() for form in forms):
            return self._preview(request, meeting, items, documents, forms, token)
        for document, form in zip(documents, forms, strict=True):
            chosen = form.cleaned_data["target"]
            document.target = None if chosen == NEW_ITEM else int(chosen)
        problems = report_import.target_problems(documents, items)
        if problems or "again" in request.POST:
            return self._preview(request, meeting, items, documents, forms, token, problems=problems)
        purposes = [form.cleaned_data["purposes"] for form in forms]
        try:
            saved = report_import.reports_fill_from_word(
                meeting=meeting, documents=documents, purposes=purposes, versions=versions
            )
        except StaleEdit as error:
            return self._upload_again(request, meeting, error)
        except ValidationError as error:
            return self._preview(request, meeting, items, documents, forms, token, problems=error.messages)
        return self._saved(request, meeting, saved, documents)

    def _items(self, meeting):
        return list(meeting.items.select_related("report", "meeting").order_by("number"))

    def _first_preview(self, request, meeting, read):
        """The documents matched to the agenda, purposes ticked as each document (or the report it
        replaces) states them, and the preview signed with every report's version."""
        items = self._items(meeting)
        targets = report_import.matched_targets(items, read)
        documents = [BundleDocument(filled, target) for filled, target in zip(read, targets, strict=True)]
        reports = {item.pk: getattr(item, "report", None) for item in items}
        versions = {pk: report.version if report else None for pk, report in reports.items()}
        forms = []
        for n, document in enumerate(documents):
            report = reports.get(document.target)
            purposes = report_import.default_purposes(document.filled, report)
            initial = {"target": document.target or NEW_ITEM, "purposes": purposes}
            forms.append(WordDocumentTargetForm(prefix=f"doc{n}", items=items, initial=initial))
        token = report_import.bundle_token(
            meeting=meeting, documents=documents, user=request.user, versions=versions
        )
        problems = report_import.target_problems(documents, items)
        return self._preview(request, meeting, items, documents, forms, token, problems=problems)

    def _preview(self, request, meeting, items, documents, forms, token, problems=()):
        purposes = [
            form.data.getlist(form.add_prefix("purposes")) if form.is_bound else form.initial["purposes"]
            for form in forms
        ]
        rows = report_import.bundle_rows(meeting=meeting, items=items, documents=documents, purposes=purposes)
        for row, form in zip(rows, forms, strict=True):
            row.form = form
        problems = [*problems, *(e for form in forms for errors in form.errors.values() for e in errors)]
        return self._page(
            request, "reports_from_word_preview.html", meeting, rows=rows, token=token, problems=problems
        )

    def _upload_again(self, request, meeting, error):
        """The preview cannot be saved (too old, altered, overtaken): the upload page says why."""
        return self._page(
            request, "reports_from_word.html", meeting, form=WordDocumentsForm(), problems=error.messages
        )

    def _saved(self, request, meeting, reports, documents):
        new = [
            report.item.number
            for report, document in zip(reports, documents, strict=True)
            if not document.target
        ]
        for report, document in zip(reports, documents, strict=True):
            said = f"Filled from the Word document “{document.filled.filename}”."
            if not document.target:
                self.log_addition(request, report.item, said)
            (self.log_change if report.version > 1 else self.log_addition)(request, report, said)
        self.message_user(request, _saved_message(reports, new), messages.SUCCESS)
        return redirect(reverse("admin:meetings_meeting_change", args=[meeting.pk]) + "#items-group")

    def _page(self, request, template, meeting, **context):
        context = {
            **self.admin_site.each_context(request),
            "title": "Reports from Word documents",
            "subtitle": str(meeting),
            "opts": self.opts,
            "meeting": meeting,
            "max_documents": report_import.MAX_DOCUMENTS,
            "max_megabytes": report_import.MAX_BYTES // 1024 // 1024,
            "max_bundle_megabytes": report_import.MAX_BUNDLE_BYTES // 1024 // 1024,
            **context,
        }
        return TemplateResponse(request, f"admin/meetings/meeting/{template}", context)


def _saved_message(reports, new: list[int]) -> str:
    """ "3 reports filled from Word: items 3, 4 and 5 (item 5 is new)." """
    numbers = sorted(report.item.number for report in reports)
    said = f"{len(reports)} report{'s' if len(reports) != 1 else ''} filled from Word: "
    said += f"item{'s' if len(numbers) != 1 else ''} {_listed(numbers)}"
    if new:
        said += f" (item {new[0]} is new)" if len(new) == 1 else f" (items {_listed(new)} are new)"
    return said + "."


def _listed(numbers: list[int]) -> str:
    words = [str(number) for number in numbers]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
