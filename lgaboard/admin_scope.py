"""The admin checks what is about to be saved, not only the page that shows the form.

A role's add and change forms offer only the deliverables, programmes and workstreams it may work
on, and the object a form would save is asked the same per-object rule (each app's permissions.py)
as the page that shows it: a choice outside the user's scope, posted by hand, is refused with a
message, and nothing is saved."""

import copy

import rules
from django import forms
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.forms.models import construct_instance

from . import permissions

OUT_OF_SCOPE = (
    "You may not save this: it belongs to work you do not lead. Choose one of the options offered; "
    "the lead officer, or an approver for quarterly returns, can make this change."
)


def may_save(user, perm: str, candidate) -> bool:
    """The per-object rule where the app's permissions.py has one; else the role's model permission
    (Django's own backend answers nothing for an object)."""
    return user.has_perm(perm, candidate) if rules.perm_exists(perm) else user.has_perm(perm)


class ScopeCheckedForm(forms.ModelForm):
    """Asks `scope_perm` of the object this form would save, as it would be saved."""

    scope_user = None
    scope_perm = ""

    def clean(self):
        cleaned = super().clean()
        if self.errors:  # not saved anyway; the object may be incomplete
            return cleaned
        candidate = construct_instance(self, copy.copy(self.instance), self._meta.fields, self._meta.exclude)
        try:
            allowed = may_save(self.scope_user, self.scope_perm, candidate)
        except ObjectDoesNotExist:  # a required relation is missing: the model's own check says so
            return cleaned
        if not allowed:
            raise ValidationError(OUT_OF_SCOPE, code="out_of_scope")
        return cleaned


class ScopedSaveAdminMixin:
    """For ModelAdmins whose rows some roles may change only within their scope.

    `scoped_choices` maps a foreign key to the path from the model it points to to the Person who
    leads it ("lead_officer", "programme__contact_officer"): an officer is offered only their own.
    Whatever is offered, the object about to be saved is checked with the add or change rule."""

    scoped_choices: dict[str, str] = {}
    approvers_see_all = False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        lead_path = self.scoped_choices.get(db_field.name)
        if lead_path:
            scope = permissions.officer_scope(
                request.user, lead_path, approvers_see_all=self.approvers_see_all
            )
            if scope is not None:
                kwargs["queryset"] = db_field.remote_field.model._default_manager.filter(scope)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        action = "change" if obj is not None else "add"
        perm = f"{self.opts.app_label}.{action}_{self.opts.model_name}"
        return type(form.__name__, (ScopeCheckedForm, form), {"scope_user": request.user, "scope_perm": perm})
