"""Thin views over programmes.selectors."""

from django.urls import reverse
from django.views.generic import TemplateView

from lgaboard.pdf import PdfMixin
from mou.selectors import mou_for

from . import selectors


def crumbs(*extra):
    return [("Home", reverse("meetings:home")), *extra]


class ProgrammeListView(TemplateView):
    """Every programme with its contact officer, and the board's priorities with their member leads."""

    template_name = "programmes/programme_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            programmes=selectors.programme_list(),
            priorities=selectors.latest_priorities(),
            breadcrumbs=crumbs(("Programmes", None)),
            **kwargs,
        )


class ProgrammeDetailView(TemplateView):
    """A programme: lead, workstreams and projects, linked deliverables, activities, outputs by
    quarter and participation figures."""

    template_name = "programmes/programme_detail.html"

    def get_context_data(self, **kwargs):
        detail = selectors.programme_detail(self.kwargs["slug"])
        return super().get_context_data(
            detail=detail,
            programme=detail.programme,
            breadcrumbs=crumbs(
                ("Programmes", reverse("programmes:programme_list")), (detail.programme.name, None)
            ),
            **kwargs,
        )


class SectorUpdateView(TemplateView):
    """The sector-led improvement update: per theme the summary, the highlights officers marked
    on returns and outputs, and the figures to date."""

    template_name = "programmes/sector_update.html"

    def get_context_data(self, **kwargs):
        mou = mou_for(self.kwargs["year"], self.request.user)
        update, sections = selectors.sector_update_for(mou, user=self.request.user)
        return super().get_context_data(
            mou=mou,
            update=update,
            sections=sections,
            quarter_end=mou.quarter_end(update.quarter),
            pdf_header=[update.title, update.issued],
            breadcrumbs=crumbs(
                ("MoU", reverse("mou:mou_list")),
                (f"MoU {mou.label}", reverse("mou:mou_detail", args=[mou.slug])),
                ("Sector-led improvement update", None),
            ),
            **kwargs,
        )


class SectorUpdatePdfView(PdfMixin, SectorUpdateView):
    def get_pdf_filename(self, context):
        return f"sector-led-improvement-update-{context['mou'].slug}-q{context['update'].quarter}.pdf"
