from django.urls import path

from . import views

app_name = "mou"

urlpatterns = [
    path("", views.MouListView.as_view(), name="mou_list"),
    path("<year:year>/", views.MouDetailView.as_view(), name="mou_detail"),
    path("<year:year>/outturn/", views.OutturnView.as_view(), name="outturn"),
    path(
        "<year:year>/<slug:theme>/<str:reference>/",
        views.DeliverableDetailView.as_view(),
        name="deliverable_detail",
    ),
    path(
        "<year:year>/q<int:quarter>.pdf", views.QuarterlyReportPdfView.as_view(), name="quarterly_report_pdf"
    ),
    path("<year:year>/q<int:quarter>/", views.QuarterlyReportView.as_view(), name="quarterly_report"),
    path(
        "<year:year>/q<int:quarter>-returns.<str:fmt>",
        views.QuarterExportView.as_view(),
        name="quarter_export",
    ),
]
