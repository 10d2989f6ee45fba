from django.contrib import admin
from django.urls import include, path, register_converter

from lgaboard.converters import IsoDateConverter
from lgaboard.views import SignInView, SignOutView

register_converter(IsoDateConverter, "isodate")

admin.site.site_header = "Board papers administration"
admin.site.site_title = "Board papers"
admin.site.index_title = "Boards, meetings and papers"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sign-in/", SignInView.as_view(), name="sign_in"),
    path("sign-out/", SignOutView.as_view(), name="sign_out"),
    path("", include("programmes.urls")),
    path("mou/", include("mou.urls")),
    path("", include("meetings.urls")),
]
