from django.apps import AppConfig


class MouConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mou"

    def ready(self):
        from . import (
            permissions,  # noqa: F401 - registers the per-object rules on returns and MoUs
            search,
        )

        search.register()  # the MoU's deliverables and approved returns, offered to the search
