"""Signing in and out of the portal itself (members are not staff, so the admin's login is not theirs)."""

from django.contrib.auth import views as auth_views


class SignInView(auth_views.LoginView):
    """Members, officers, approvers and clerks sign in here; django-axes limits wrong passwords."""

    template_name = "registration/sign_in.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Sign-out is a POST (a button in the header), so no link or prefetch can sign anyone out."""

    next_page = "/"
