"""Thin views over mou.selectors."""

import datetime

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View

from lgaboard.csv_export import csv_response
from lgaboard.fingerprints import fingerprint
from lgaboard.pdf import PdfMixin

from . import downloads, rules, selectors, spreadsheets
from .models import QUARTERS


def parse_as_at(value: str | None) -> datetime.datetime | None:
    """'2017-10-15' → the end of that day (London time); a bad date is a 404, not a silent today."""
    if not value:
        return None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError as error:
        raise Http404("Give the date as YYYY-MM-DD.") from error
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def crumbs(*extra):
    return [("Home", reverse("meetings:home")), ("MoU", reverse("mou:mou_list")), *extra]


class MouListView(TemplateView):
    template_name = "mou/mou_list.html"

    def get_context_data(self, **kwargs):
        breadcrumbs = [("Home", reverse("meetings:home")), ("MoU", None)]
        mous = selectors.mous_visible_to(self.request.user)
        return super().get_context_data(mous=mous, breadcrumbs=breadcrumbs, **kwargs)


class MouDetailView(TemplateView):
    """The MoU: themes, outcomes and each deliverable's progress against its target."""

    template_name = "mou/mou_detail.html"

    def get_context_data(self, **kwargs):
        mou = selectors.mou_for(self.kwargs["year"], self.request.user)
        return super().get_context_data(
            mou=mou,
            themes=selectors.mou_detail(mou, user=self.request.user),
            quarters=QUARTERS,
            breadcrumbs=crumbs((f"MoU {mou.label}", None)),
            **kwargs,
        )


class QuarterlyReportView(TemplateView):
    """The quarterly progress report in the two forms the board uses, and RAG counts per theme."""

    template_name = "mou/quarterly_report.html"

    def get_context_data(self, **kwargs):
        quarter = kwargs.pop("quarter")
        if quarter not in QUARTERS:
            raise Http404("A year has four quarters.")
        mou = selectors.mou_for(self.kwargs["year"], self.request.user)
        as_at = parse_as_at(self.request.GET.get("as_at"))
        themes = selectors.mou_progress(mou, up_to_quarter=quarter, as_at=as_at, user=self.request.user)
        return super().get_context_data(
            # The report's tables are rendered again only when what they show has changed.
            report_fingerprint=fingerprint(mou, quarter, themes),
            as_at=as_at,
            pdf_header=[
                f"MoU {mou.label} progress report",
                f"{QUARTERS[quarter][0]} ({QUARTERS[quarter][1]})",
            ],
            mou=mou,
            quarter=quarter,
            quarter_name=QUARTERS[quarter],
            quarter_end=mou.quarter_end(quarter),
            themes=themes,
            quarters=QUARTERS,
            chart=selectors.rag_chart(themes),
            breadcrumbs=crumbs(
                (f"MoU {mou.label}", reverse("mou:mou_detail", args=[mou.slug])), (f"Q{quarter}", None)
            ),
            **kwargs,
        )


class DeliverableDetailView(TemplateView):
    """A deliverable: what was promised, what was delivered each quarter, the programme work that
    serves it, and what the board said and asked about it."""

    template_name = "mou/deliverable_detail.html"

    def get_context_data(self, **kwargs):
        mou = selectors.mou_for(self.kwargs["year"], self.request.user)
        thread = selectors.deliverable_thread(
            mou, self.kwargs["theme"], self.kwargs["reference"], self.request.user
        )
        deliverable = thread.deliverable
        return super().get_context_data(
            mou=mou,
            thread=thread,
            deliverable=deliverable,
            quarter_rows=[(*QUARTERS[q][:2], record) for q, record in thread.progress.quarters],
            breadcrumbs=crumbs(
                (f"MoU {mou.label}", reverse("mou:mou_detail", args=[mou.slug])),
                (f"{deliverable.theme.title} {deliverable.reference}", None),
            ),
            **kwargs,
        )


class QuarterExportView(View):
    """A quarter's returns as CSV or XLSX, in the columns the upload expects (the public's: approved
    returns only)."""

    def get(self, request, year, quarter, fmt):
        if quarter not in QUARTERS or fmt not in ("csv", "xlsx"):
            raise Http404("A year has four quarters.")
        mou = selectors.mou_for(year, request.user)
        rows = spreadsheets.export_rows(mou, quarter, user=request.user)
        name = f"mou-{mou.slug}-q{quarter}-returns"
        if fmt == "csv":
            return csv_response(rows, headers=spreadsheets.HEADERS, filename=f"{name}.csv")
        return HttpResponse(
            spreadsheets.to_xlsx(rows, f"Q{quarter} {mou.label}".replace("/", "-")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )


class DeliverablesCsvView(View):
    """The MoU's deliverables with their progress as CSV: the public's figures (approved returns
    only), whoever asks."""

    def get(self, request, year):
        mou = selectors.mou_for(year)
        themes = selectors.mou_progress(mou)
        return csv_response(
            downloads.deliverable_rows(themes, absolute=request.build_absolute_uri),
            headers=downloads.DELIVERABLE_HEADERS,
            filename=f"mou-{mou.slug}-deliverables.csv",
        )


class OutturnView(TemplateView):
    """The year-end outturn: deliverables fully met, partially met and not met."""

    template_name = "mou/outturn.html"

    def get_context_data(self, **kwargs):
        mou = selectors.mou_for(self.kwargs["year"], self.request.user)
        themes = selectors.mou_progress(mou, up_to_quarter=4, user=self.request.user)
        counts = selectors.outturn_counts(themes)
        return super().get_context_data(
            mou=mou,
            themes=themes,
            counts=counts,
            labels=rules.OUTTURN_LABELS,
            total=sum(counts.values()),
            breadcrumbs=crumbs(
                (f"MoU {mou.label}", reverse("mou:mou_detail", args=[mou.slug])), ("Outturn", None)
            ),
            **kwargs,
        )


class QuarterlyReportPdfView(PdfMixin, QuarterlyReportView):
    def get_pdf_filename(self, context):
        return f"mou-{context['mou'].slug}-q{context['quarter']}-progress-report.pdf"
