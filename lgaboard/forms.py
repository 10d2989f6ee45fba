"""Forms of the portal's own account pages (Django's, with GOV.UK wording)."""

from functools import partial

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation


class PasswordResetRequestForm(auth_forms.PasswordResetForm):
    """Django's form (no e-mail for unknown, inactive or password-less accounts), except that the
    e-mails are kept in `outgoing` to be sent once the response has gone: an address with an account
    then takes no longer to answer than one without."""

    email = forms.EmailField(label="Email address", max_length=254)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outgoing = []

    def send_mail(self, *args, **kwargs):
        self.outgoing.append(partial(super().send_mail, *args, **kwargs))


class NewPasswordForm(auth_forms.SetPasswordForm):
    """Django's form; the validators' messages sit beside the new password, not its confirmation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password2"].label = "Confirm new password"

    def password_rules(self) -> list[str]:
        """What the validators ask of a password, shown as the hint of the first field."""
        return password_validation.password_validators_help_texts()

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return self.cleaned_data
