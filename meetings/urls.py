from django.urls import path

from lgaboard.public_pages import kept_for_the_public as public

from . import account_views, alerts_views, download_views, views
from .feeds import board_feed

app_name = "meetings"

urlpatterns = [
    path("", public(views.HomeView.as_view()), name="home"),
    path("account/", account_views.AccountView.as_view(), name="account"),
    path("your-papers/", views.FrontPageView.as_view(), name="front_page"),
    path("boards/", public(views.BoardListView.as_view()), name="board_list"),
    path("meetings.ics", public(views.CalendarView.as_view()), name="calendar"),
    path("boards/<slug:board_slug>/feed/", public(board_feed), name="board_feed"),
    path("boards/<slug:board_slug>/alerts/", alerts_views.AlertsView.as_view(), name="alerts"),
    path("alerts/<slug:token>/confirm/", alerts_views.AlertsConfirmView.as_view(), name="alerts_confirm"),
    path(
        "alerts/<slug:token>/unsubscribe/",
        alerts_views.AlertsUnsubscribeView.as_view(),
        name="alerts_unsubscribe",
    ),
    path(
        "boards/<slug:board_slug>/meetings.ics",
        public(views.BoardCalendarView.as_view()),
        name="board_calendar",
    ),
    path("boards/<slug:board_slug>/", public(views.BoardDetailView.as_view()), name="board_detail"),
    path(
        "boards/<slug:board_slug>/meetings.csv",
        public(download_views.BoardMeetingsCsvView.as_view()),
        name="board_meetings_csv",
    ),
    path("boards/<slug:board_slug>/actions/", public(views.ActionListView.as_view()), name="action_list"),
    path(
        "boards/<slug:board_slug>/actions.csv",
        public(download_views.ActionsCsvView.as_view()),
        name="actions_csv",
    ),
    path(
        "boards/<slug:board_slug>/members/<year:year>.csv",
        public(download_views.BoardMembersCsvView.as_view()),
        name="members_csv",
    ),
    path(
        "boards/<slug:board_slug>/attendance/<year:year>/",
        public(views.AttendanceRegisterView.as_view()),
        name="attendance_register",
    ),
    path(
        "boards/<slug:board_slug>/<isodate:date>/",
        public(views.MeetingDetailView.as_view()),
        name="meeting_detail",
    ),
    path(
        "boards/<slug:board_slug>/<isodate:date>/pack.pdf",
        public(views.PackPdfView.as_view()),
        name="pack_pdf",
    ),
    path(
        "boards/<slug:board_slug>/<isodate:date>/revisions/<int:number>/",
        public(views.PackRevisionView.as_view()),
        name="pack_revision",
    ),
    path(
        "boards/<slug:board_slug>/<isodate:date>/revisions/<int:number>.pdf",
        public(views.PackRevisionView.as_view(as_pdf=True)),
        name="pack_revision_pdf",
    ),
    path(
        "boards/<slug:board_slug>/<isodate:date>/minutes.pdf",
        public(views.MinutesPdfView.as_view()),
        name="minutes_pdf",
    ),
    path(
        "boards/<slug:board_slug>/<isodate:date>/items/<int:number>.pdf",
        public(views.AgendaItemPdfView.as_view()),
        name="item_pdf",
    ),
    path(
        "boards/<slug:board_slug>/attendance/<year:year>.pdf",
        public(views.AttendanceRegisterPdfView.as_view()),
        name="attendance_register_pdf",
    ),
    path(
        "boards/<slug:board_slug>/<isodate:date>/minutes/",
        public(views.MinutesDetailView.as_view()),
        name="minutes_detail",
    ),
    path(
        "boards/<slug:board_slug>/<isodate:date>/items/<int:number>/",
        public(views.AgendaItemDetailView.as_view()),
        name="item_detail",
    ),
    path(
        "boards/<slug:board_slug>/<isodate:date>/items/<int:number>/annex-<slug:letter>.pdf",
        public(views.AnnexPdfView.as_view()),
        name="annex_pdf",
    ),
]
