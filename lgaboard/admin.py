"""The portal's admin site, and the shared base for the models that keep a history."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_model_for_model


def require_pk(model, value: str) -> None:
    """404 unless `value` (from the address) can be a primary key of `model`: 'abc' or 'ü' names
    nothing, as a number that matches no row names nothing."""
    try:
        model._meta.pk.to_python(unquote(value))
    except ValidationError as error:
        raise Http404(f"No {model._meta.verbose_name} with that id.") from error


class BoundedChangeList(ChangeList):
    """A list filter beyond what can be stored (?board__exact=99999999999999999999999, which SQLite
    cannot hold) or a date drill-down past 31 December 9999 is an incorrect filter, answered as the
    admin answers any other ("?e=1": a message), rather than a 500."""

    def get_queryset(self, request, exclude_parameters=None):
        try:
            return super().get_queryset(request, exclude_parameters)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error

    def get_results(self, request):
        try:
            super().get_results(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


class BoundedChangeListMixin:
    """For any ModelAdmin: its list refuses out-of-range filters with a message (BoundedChangeList)."""

    def get_changelist(self, request, **kwargs):
        base = super().get_changelist(request, **kwargs)  # an admin's own changelist, if it has one
        if issubclass(base, BoundedChangeList):
            return base
        return type(f"Bounded{base.__name__}", (BoundedChangeList, base), {})


class PortalAdminSite(admin.AdminSite):
    """The admin site (`lgaboard.apps.PortalAdminConfig`): every model admin registered on it, the
    portal's and those of the libraries (auth, django-axes, django-otp) alike, gets the bounded list."""

    site_header = "Board papers administration"
    site_title = "Board papers"
    index_title = "Boards, meetings and papers"

    # The task queue's own pages (django-tasks-db's results, django-rq's dashboard) are not offered:
    # a task holds ids, not papers, and what became of a publication is on the meeting's page.
    NOT_OFFERED = {"django_tasks_db", "django_rq"}

    def register(self, model_or_iterable, admin_class=None, **options):
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        if all(model._meta.app_label in self.NOT_OFFERED for model in models):
            return
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, BoundedChangeListMixin):
            admin_class = type(admin_class.__name__, (BoundedChangeListMixin, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)


class KeepsSearchCurrentMixin:
    """An admin whose saves and deletions may change what the search finds (lgaboard/search): after
    each, in the same transaction, the app's own refresh of what the object belongs to
    (`search_refresh_for`: the meeting, the MoU)."""

    def search_refresh_for(self, obj) -> None:
        raise NotImplementedError

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.search_refresh_for(form.instance)

    def delete_model(self, request, obj):
        pk = obj.pk
        super().delete_model(request, obj)
        obj.pk = pk  # Django clears it on deletion; the refresh finds the entries to remove by it
        self.search_refresh_for(obj)

    def delete_queryset(self, request, queryset):
        deleted = list(queryset)
        super().delete_queryset(request, queryset)
        for obj in deleted:
            self.search_refresh_for(obj)


class HistoryAdmin(BoundedChangeListMixin, SimpleHistoryAdmin):
    """Every admin with a history uses this. django-simple-history puts the ids from the address
    straight into its queries, so an id that cannot be one ('abc') raised a 500; here it is a 404,
    as a well-formed id that matches nothing already is."""

    def history_view(self, request, object_id, extra_context=None):
        require_pk(self.model, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reading an earlier version, yes; saving it back, no. django-simple-history's revert saves
        # the old version past every check of the change form (an approved return back to draft, a
        # published meeting back to unpublished): a change goes through the change form or a service.
        if request.method != "GET":
            raise PermissionDenied("Earlier versions are for reading; make changes on the change form.")
        require_pk(self.model, object_id)
        require_pk(get_history_model_for_model(self.model), version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)
