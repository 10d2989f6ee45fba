"""Signing in and out of the portal itself (members are not staff, so the admin's login is not theirs),
resetting a forgotten password by e-mail, and the load balancer's health check."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.timesince import timeuntil

from lgaboard.forms import NewPasswordForm, PasswordResetRequestForm
from lgaboard.mail import RedirectThenSend
from lgaboard.throttle import Throttle, client_address

TOO_MANY_RESET_REQUESTS = "Too many requests to reset a password have been made. Try again in an hour."


class SignInView(auth_views.LoginView):
    """Members, officers, approvers and clerks sign in here; django-axes limits wrong passwords."""

    template_name = "registration/sign_in.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Sign-out is a POST (a button in the header), so no link or prefetch can sign anyone out."""

    next_page = "/"


def reset_link_lifetime() -> str:
    """How long a reset link works (PASSWORD_RESET_TIMEOUT), in words: "1 day", "3 hours"."""
    now = timezone.now()
    return timeuntil(now + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT), now)


class ResetLinkLifetimeMixin:
    """Every page of the reset says how long a link works."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(link_lifetime=reset_link_lifetime(), **kwargs)


class PasswordResetView(ResetLinkLifetimeMixin, auth_views.PasswordResetView):
    """Anyone may ask for a link. The answer is the same page, as fast, whether or not an account uses
    the address (the e-mail goes after the response); requests are limited per address and per e-mail
    address (PASSWORD_RESET_LIMIT an hour), so the form can be used neither to flood an inbox nor to
    probe many addresses."""

    form_class = PasswordResetRequestForm
    template_name = "registration/password_reset_form.html"
    subject_template_name = "registration/password_reset_subject.txt"
    email_template_name = "registration/password_reset_email.txt"

    @property
    def extra_email_context(self):
        return {"link_lifetime": reset_link_lifetime()}

    def form_valid(self, form):
        throttle = Throttle("password-reset", limit=settings.PASSWORD_RESET_LIMIT, period=60 * 60)
        client = f"address:{client_address(self.request)}"  # as django-axes sees it
        if not throttle.allow(client, f"email:{form.cleaned_data['email']}"):
            form.add_error("email", TOO_MANY_RESET_REQUESTS)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        super().form_valid(form)  # finds the accounts and writes their e-mails into form.outgoing
        return RedirectThenSend(self.get_success_url(), sends=form.outgoing)


class PasswordResetSentView(ResetLinkLifetimeMixin, auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_sent.html"


class PasswordResetConfirmView(ResetLinkLifetimeMixin, auth_views.PasswordResetConfirmView):
    """The link from the e-mail. Django checks it (a bad, used or expired link, or a malformed one,
    gets the "expired or used" page) and moves the token out of the address before the form shows."""

    form_class = NewPasswordForm
    template_name = "registration/password_reset_confirm.html"


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


def health(request):
    """For a load balancer: 200 "ok" when this server can reach its database and its file storage,
    503 naming what it cannot reach otherwise. Says nothing else about the portal."""
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        problems.append("database")
    try:
        default_storage.exists("health-check")
    except Exception:
        problems.append("storage")
    body, status = ("ok\n", 200) if not problems else (f"unavailable: {', '.join(problems)}\n", 503)
    return HttpResponse(body, status=status, content_type="text/plain", headers={"Cache-Control": "no-store"})
