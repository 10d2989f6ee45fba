"""Forms of the portal's own account pages (Django's, with GOV.UK wording)."""

from functools import partial

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.template import loader

from lgaboard.tasks import send_email


class PasswordResetRequestForm(auth_forms.PasswordResetForm):
    """Django's form (no e-mail for unknown, inactive or password-less accounts), except that the
    e-mails are kept in `outgoing`, to be handed to the background worker (tasks.send_email) once the
    response has gone: an address with an account then takes no longer to answer than one without."""

    email = forms.EmailField(label="Email address", max_length=254)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outgoing = []

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        self.outgoing.append(partial(send_email.enqueue, subject, body, [to_email], from_email))


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
