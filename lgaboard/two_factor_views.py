"""The pages of two-factor sign-in: the code asked for after the password, and setting it up."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView, TemplateView

from . import two_factor


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        error_messages={"required": "Type the 6-digit code from your app, or a recovery code."},
    )


def safe_next(request, default: str = "/") -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure())
    return wanted if ok else default


class TwoFactorVerifyView(LoginRequiredMixin, FormView):
    """After the password: the code from the app, or a recovery code."""

    template_name = "registration/two_factor_verify.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not two_factor.is_required(user):
            return redirect(safe_next(request))
        if user.is_authenticated and not two_factor.user_has_device(user):
            return redirect("two_factor_setup")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, next=safe_next(self.request, ""))

    def form_valid(self, form):
        if wait := two_factor.wait_message(self.request.user, form.cleaned_data["code"]):
            form.add_error("code", wait)
            return self.form_invalid(form)
        if not two_factor.verify(request=self.request, code=form.cleaned_data["code"]):
            form.add_error("code", "That code is not right. Check your app and type the code it shows now.")
            return self.form_invalid(form)
        return redirect(safe_next(self.request))


class TwoFactorSetupView(LoginRequiredMixin, TemplateView):
    """Turn two-factor sign-in on (scan a QR code or type the secret, then confirm with a code),
    replace the recovery codes, or turn it off where it is not required."""

    template_name = "registration/two_factor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        # Whoever has a device changes nothing here before giving a code from it: a password alone
        # must not be enough to replace someone's second factor.
        user = request.user
        if user.is_authenticated and not user.is_verified() and two_factor.user_has_device(user):
            return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': request.get_full_path()})}")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context.update(
            active=two_factor.has_app(user),
            required=two_factor.staff_must_use_it(user),
            form=form or CodeForm(),
            next=safe_next(self.request, ""),
        )
        if not context["active"]:
            device = two_factor.pending_app(user) or two_factor.app_setup_start(user=user)
            context.update(
                qr_code=two_factor.qr_code_data_uri(device), secret=two_factor.secret_for_typing(device)
            )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "new-codes" and two_factor.has_app(request.user) and request.user.is_verified():
            return self.show_codes(two_factor.recovery_codes_replace(user=request.user))
        if action == "turn-off" and request.user.is_verified():
            try:
                two_factor.two_factor_turn_off(user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, "Two-factor sign-in is off.")
            return redirect("two_factor_setup")
        return self.confirm(request)

    def confirm(self, request):
        form = CodeForm(request.POST)
        device = two_factor.pending_app(request.user)
        if form.is_valid() and device is not None:
            try:
                codes = two_factor.app_setup_confirm(
                    request=request, device=device, code=form.cleaned_data["code"]
                )
            except ValidationError as error:
                form.add_error("code", error)
            else:
                return self.show_codes(codes)
        elif device is None:
            return redirect("two_factor_setup")
        return self.render_to_response(self.get_context_data(form=form))

    def show_codes(self, codes: list[str]):
        context = {"codes": codes, "next": safe_next(self.request, "")}
        return self.response_class(
            request=self.request, template="registration/two_factor_codes.html", context=context
        )
