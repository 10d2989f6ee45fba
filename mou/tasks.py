"""Background work of the MoU app, run by a worker through Django's tasks API (django-tasks): each
task takes ids (its arguments travel as JSON) and calls a service, which does the work."""

from django_tasks import task

from . import sheet_imports


@task()
def import_sheet(import_id: int) -> None:
    """Check and import a long sheet an officer uploaded (sheet_imports.sheet_import_run)."""
    sheet_imports.sheet_import_run(import_id=import_id)
