from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class LgaboardConfig(AppConfig):
    name = "lgaboard"
    verbose_name = "Board papers"

    def ready(self):
        from .public_pages import next_generation, watch_writes
        from .roles import ensure_roles

        # After every app's migrations, so each app's permissions exist when the groups are set.
        post_migrate.connect(ensure_roles, dispatch_uid="lgaboard_ensure_roles")
        # A release migrates: no page kept by the one before is given by it.
        post_migrate.connect(next_generation, dispatch_uid="lgaboard_public_pages_release")
        # Every write, in every process, makes the public pages kept in the cache stale.
        connection_created.connect(watch_writes, dispatch_uid="lgaboard_watch_writes")
        for connection in connections.all(initialized_only=True):
            watch_writes(connection=connection)


class PortalAdminConfig(AdminConfig):
    """Django's admin, on the portal's own site (lgaboard/admin.py)."""

    default_site = "lgaboard.admin.PortalAdminSite"
