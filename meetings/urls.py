from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("boards/", views.BoardListView.as_view(), name="board_list"),
    path("boards/<slug:board_slug>/", views.BoardDetailView.as_view(), name="board_detail"),
    path("boards/<slug:board_slug>/actions/", views.ActionListView.as_view(), name="action_list"),
    path(
        "boards/<slug:board_slug>/attendance/<year:year>/",
        views.AttendanceRegisterView.as_view(),
        name="attendance_register",
    ),
    path(
        "boards/<slug:board_slug>/<isodate:date>/",
        views.MeetingDetailView.as_view(),
        name="meeting_detail",
    ),
    path("boards/<slug:board_slug>/<isodate:date>/pack.pdf", views.PackPdfView.as_view(), name="pack_pdf"),
    path(
        "boards/<slug:board_slug>/<isodate:date>/revisions/<int:number>/",
        views.PackRevisionView.as_view(),
        name="pack_revision",
    ),
    path(
        "boards/<slug:board_slug>/<isodate:date>/revisions/<int:number>.pdf",
        views.PackRevisionView.as_view(as_pdf=True),
        name="pack_revision_pdf",
    ),
    path(
        "boards/<slug:board_slug>/<isodate:date>/minutes.pdf",
        views.MinutesPdfView.as_view(),
        name="minutes_pdf",
    ),
    path(
        "boards/<slug:board_slug>/<isodate:date>/items/<int:number>.pdf",
        views.AgendaItemPdfView.as_view(),
        name="item_pdf",
    ),
    path(
        "boards/<slug:board_slug>/attendance/<year:year>.pdf",
        views.AttendanceRegisterPdfView.as_view(),
        name="attendance_register_pdf",
    ),
    path(
        "boards/<slug:board_slug>/<isodate:date>/minutes/",
        views.MinutesDetailView.as_view(),
        name="minutes_detail",
    ),
    path(
        "boards/<slug:board_slug>/<isodate:date>/items/<int:number>/",
        views.AgendaItemDetailView.as_view(),
        name="item_detail",
    ),
    path(
        "boards/<slug:board_slug>/<isodate:date>/items/<int:number>/annex-<slug:letter>.pdf",
        views.AnnexPdfView.as_view(),
        name="annex_pdf",
    ),
]
