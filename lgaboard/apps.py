from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.db.models.signals import post_migrate


class LgaboardConfig(AppConfig):
    name = "lgaboard"
    verbose_name = "Board papers"

    def ready(self):
        from .roles import ensure_roles

        # After every app's migrations, so each app's permissions exist when the groups are set.
        post_migrate.connect(ensure_roles, dispatch_uid="lgaboard_ensure_roles")


class PortalAdminConfig(AdminConfig):
    """Django's admin, on the portal's own site (lgaboard/admin.py)."""

    default_site = "lgaboard.admin.PortalAdminSite"
