from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programmes"

    def ready(self):
        from . import signals  # noqa: F401 - connects the freeze-on-publish receivers
