"""The open data API (OParl 1.1) under /api/: every answer is the same for everyone (the public's),
so each is kept for the public like the portal's pages (lgaboard.public_pages)."""

from django.urls import path

from lgaboard.public_pages import kept_for_the_public as public

from . import views

app_name = "opendata"

OPARL = "oparl/v1.1/"

urlpatterns = [
    path(OPARL, public(views.system), name="system"),
    path(f"{OPARL}body/", public(views.body_list), name="body_list"),
    path(f"{OPARL}body/<slug:body>/", public(views.body), name="body"),
    path(f"{OPARL}body/<slug:body>/<slug:kind>/", public(views.object_list), name="list"),
    path(
        f"{OPARL}organization/<slug:pk>/meeting/",
        public(views.organization_meetings),
        name="organization_meetings",
    ),
    path(f"{OPARL}<slug:kind>/<slug:key>/", public(views.object_detail), name="object"),
    # Any other address under the API is a 404 in JSON, as the API's own are.
    path(f"{OPARL}<path:rest>", views.not_found),
]
