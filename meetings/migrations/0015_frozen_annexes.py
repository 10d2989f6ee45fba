"""Uploaded annexes are frozen with each published item, so that an annex replaced or added after
publication reaches the public only with the revision that publishes it.

For revisions published before this, what the public received was never recorded: the annexes the
public can download today (the uploads of the latest revision's public items) are frozen with that
revision, so nothing they can read now disappears. Earlier revisions get none: they serve no items.
Backward drops the rows (the files stay).
"""

import logging

import django.db.models.deletion
from django.db import migrations, models
from django.utils.text import slugify

import lgaboard.storage

logger = logging.getLogger(__name__)


def freeze_todays_annexes(apps, schema_editor):
    db = schema_editor.connection.alias
    PackRevision = apps.get_model("meetings", "PackRevision")
    Annex = apps.get_model("meetings", "Annex")
    FrozenAnnex = apps.get_model("meetings", "FrozenAnnex")
    latest = {}
    for revision in PackRevision.objects.using(db).order_by("meeting_id", "number"):
        latest[revision.meeting_id] = revision
    for revision in latest.values():
        for frozen in revision.items.all():
            uploads = (
                Annex.objects.using(db)
                .filter(
                    report__item__meeting_id=revision.meeting_id,
                    report__item__number=frozen.number,
                    report__item__confidential=False,
                )
                .exclude(pdf="")
            )
            for annex in uploads.order_by("letter"):
                try:
                    with annex.pdf.storage.open(annex.pdf.name, "rb") as handle:
                        content = handle.read()
                except FileNotFoundError:  # lost before this migration: the public could not get it either
                    logger.warning(
                        "Annex %s of %s: its file %s is missing", annex.letter, frozen, annex.pdf.name
                    )
                    continue
                FrozenAnnex.objects.using(db).create(
                    item=frozen,
                    letter=annex.letter,
                    anchor=f"item-{frozen.number}-{slugify(annex.letter)}",
                    pdf=lgaboard.storage.save_content_addressed(content, extension="pdf"),
                )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0014_publishing_in_the_background"),
    ]

    operations = [
        migrations.CreateModel(
            name="FrozenAnnex",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("letter", models.CharField(max_length=8)),
                ("anchor", models.CharField(help_text="Its place in the pack: 'item-3-a'.", max_length=40)),
                (
                    "pdf",
                    models.FileField(
                        help_text="The file the public received.",
                        storage=lgaboard.storage.get_papers_storage,
                        upload_to="",
                    ),
                ),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="annexes",
                        to="meetings.frozenitem",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "frozen annexes",
                "ordering": ["item", "letter"],
                "constraints": [
                    models.UniqueConstraint(fields=("item", "letter"), name="unique_frozen_annex_letter")
                ],
            },
        ),
        migrations.RunPython(freeze_todays_annexes, migrations.RunPython.noop),
    ]
