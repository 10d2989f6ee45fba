from django.urls import path

from lgaboard.public_pages import kept_for_the_public as public

from . import views
from .feeds import QuarterlyReportsFeed

app_name = "mou"

urlpatterns = [
    path("", public(views.MouListView.as_view()), name="mou_list"),
    path("feed/", public(QuarterlyReportsFeed()), name="quarterly_reports_feed"),
    path("<year:year>/", public(views.MouDetailView.as_view()), name="mou_detail"),
    path("<year:year>/outturn/", public(views.OutturnView.as_view()), name="outturn"),
    path(
        "<year:year>/deliverables.csv",
        public(views.DeliverablesCsvView.as_view()),
        name="deliverables_csv",
    ),
    path(
        "<year:year>/<slug:theme>/<str:reference>/",
        public(views.DeliverableDetailView.as_view()),
        name="deliverable_detail",
    ),
    path(
        "<year:year>/q<int:quarter>.pdf",
        public(views.QuarterlyReportPdfView.as_view()),
        name="quarterly_report_pdf",
    ),
    path("<year:year>/q<int:quarter>/", public(views.QuarterlyReportView.as_view()), name="quarterly_report"),
    path(
        "<year:year>/q<int:quarter>-returns.<str:fmt>",
        public(views.QuarterExportView.as_view()),
        name="quarter_export",
    ),
]
