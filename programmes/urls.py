from django.urls import path

from lgaboard.public_pages import kept_for_the_public as public

from . import views

app_name = "programmes"

urlpatterns = [
    path("programmes/", public(views.ProgrammeListView.as_view()), name="programme_list"),
    path("programmes/<slug:slug>/", public(views.ProgrammeDetailView.as_view()), name="programme_detail"),
    path("mou/<year:year>/update/", public(views.SectorUpdateView.as_view()), name="sector_update"),
    path("mou/<year:year>/update.pdf", public(views.SectorUpdatePdfView.as_view()), name="sector_update_pdf"),
]
