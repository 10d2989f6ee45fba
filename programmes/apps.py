from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programmes"

    def ready(self):
        from meetings import annex_content

        from . import (
            permissions,  # noqa: F401 - registers the per-object rules on programme work
            search,
        )
        from .annexes import LiveAnnexContent

        # Live annexes in meetings' packs: shown, fingerprinted, frozen at publication, thawed.
        annex_content.register(LiveAnnexContent())
        search.register()  # the programmes' pages and the sector-led improvement updates, to the search
