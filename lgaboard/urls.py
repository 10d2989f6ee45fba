from django.contrib import admin
from django.urls import include, path, register_converter

from lgaboard.converters import FinancialYearConverter, IsoDateConverter
from lgaboard.public_pages import kept_for_the_public as public
from lgaboard.search.views import SearchView
from lgaboard.two_factor_views import TwoFactorSetupView, TwoFactorVerifyView
from lgaboard.views import (
    PasswordResetCompleteView,
    PasswordResetConfirmView,
    PasswordResetSentView,
    PasswordResetView,
    SignInView,
    SignOutView,
    health,
)

register_converter(IsoDateConverter, "isodate")
register_converter(FinancialYearConverter, "year")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("search/", public(SearchView.as_view()), name="search"),
    path("sign-in/", SignInView.as_view(), name="sign_in"),
    path("sign-out/", SignOutView.as_view(), name="sign_out"),
    # Django's password reset on the portal's pages (the names are the ones Django's views expect).
    path("sign-in/forgotten-password/", PasswordResetView.as_view(), name="password_reset"),
    path("sign-in/forgotten-password/sent/", PasswordResetSentView.as_view(), name="password_reset_done"),
    path("sign-in/reset/done/", PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path(
        "sign-in/reset/<uidb64>/<token>/", PasswordResetConfirmView.as_view(), name="password_reset_confirm"
    ),
    path("sign-in/code/", TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("account/two-factor/", TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path("api/", include("opendata.urls")),
    path("", include("programmes.urls")),
    path("mou/", include("mou.urls")),
    path("", include("meetings.urls")),
]
