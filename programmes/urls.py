from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("programmes/", views.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/<slug:slug>/", views.ProgrammeDetailView.as_view(), name="programme_detail"),
    path("mou/<year:year>/update/", views.SectorUpdateView.as_view(), name="sector_update"),
    path("mou/<year:year>/update.pdf", views.SectorUpdatePdfView.as_view(), name="sector_update_pdf"),
]
