"""Your account: who you are in the board's directory, whether you are e-mailed when papers are
published or changed, and the way to two-factor sign-in. For signed-in users; each sees and
changes only their own record."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.views.generic import FormView

from . import notifications
from .models import Person
from .rendering import breadcrumbs_for


class PapersByEmailForm(forms.Form):
    papers_by_email = forms.BooleanField(
        label="E-mail me when papers are published or changed",
        required=False,
        help_text="For the boards you sit on, and papers that name you as a contact officer: when a pack "
        "is published, when it is revised (with what changed) and when a draft is released to members.",
    )


class AccountView(LoginRequiredMixin, FormView):
    """Your account page. A login with no person in the directory has nothing to choose."""

    template_name = "meetings/account.html"
    form_class = PapersByEmailForm

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        self.person = Person.objects.filter(user=user).first() if user.is_authenticated else None
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"papers_by_email": self.person.papers_by_email if self.person else False}

    def get_context_data(self, **kwargs):
        crumbs = [*breadcrumbs_for()[:1], ("Your account", None)]
        return super().get_context_data(person=self.person, breadcrumbs=crumbs, **kwargs)

    def form_valid(self, form):
        if self.person is None:
            return redirect("meetings:account")
        choice = form.cleaned_data["papers_by_email"]
        notifications.person_choose_papers_by_email(
            person=self.person, by=self.request.user, papers_by_email=choice
        )
        messages.success(
            self.request,
            "You will be e-mailed when papers are published or changed."
            if choice
            else "You will not be e-mailed about papers any more.",
        )
        return redirect("meetings:account")
