"""No lost updates: a version number on the row, checked when a form is submitted and again, in the
database, when the row is saved. A transaction lock cannot cover the minutes between a form being
opened and submitted; this can."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

STALE_MESSAGE = (
    "Someone else saved this since you opened it, so your changes have not been saved. They are "
    "still in the form below: open the latest version in a new tab, then apply your changes to it."
)


class StaleEdit(ValidationError):
    """The row changed in the database after the edit being saved was started."""


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Raised by one at every save; an edit of an older version is refused.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk is not None:
            expected = getattr(self, "expected_version", None) or self.version
            bumped = (
                type(self)._base_manager.filter(pk=self.pk, version=expected).update(version=expected + 1)
            )
            if not bumped:
                raise StaleEdit(STALE_MESSAGE)
            self.version = expected + 1
            self.expected_version = None
        super().save(*args, **kwargs)


class VersionedModelForm(forms.ModelForm):
    """Carries the version the user opened; refuses the save, keeping their input, if it has moved on.
    Admin fieldsets must list "edit_version" for the hidden field to be rendered."""

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["edit_version"].initial = self.instance.version

    @property
    def changed_data(self):
        # The version the user opened is bookkeeping, not a change they made.
        return [name for name in super().changed_data if name != "edit_version"]

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("edit_version")
        if self.instance.pk is not None and opened is not None:
            current = (
                type(self.instance)
                ._base_manager.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current != opened:
                raise ValidationError(STALE_MESSAGE, code="stale")
            self.instance.expected_version = opened
        return cleaned


class StaleEditAdminMixin:
    """The form's check catches an overlapping edit and keeps the input; if another save lands in
    the instant between that check and the save, the database refuses it and the admin says so
    (that editor reloads and applies their change again) instead of failing."""

    def changeform_view(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.shortcuts import redirect

        try:
            return super().changeform_view(request, *args, **kwargs)
        except StaleEdit:
            messages.error(request, STALE_MESSAGE.split(":")[0] + ". Apply your changes to this version.")
            return redirect(request.get_full_path())
