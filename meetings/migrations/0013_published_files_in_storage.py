"""Published pages and PDFs move from database rows into the papers storage (lgaboard/storage.py),
each file named by the hash of its content; the rows keep the names.

Forward: add the file fields → let the old columns be empty → store each row's page and PDF, naming
them → drop the old columns. Backward puts the content back in the rows (the files stay).
"""

from django.db import migrations, models

import lgaboard.storage

BATCH = 20  # revisions read at a time: each holds a whole pack's PDF


def store_files(apps, schema_editor):
    for revision in in_batches(apps, "PackRevision", schema_editor, "html", "pdf"):
        revision.html_file = store(revision.html.encode(), "html")
        revision.pdf_file = store(bytes(revision.pdf), "pdf")
        revision.save(update_fields=["html_file", "pdf_file"])
    for item in in_batches(apps, "FrozenItem", schema_editor, "html", "pdf_html", "pdf"):
        item.html_file = store(item.html.encode(), "html")
        item.pdf_html_file = store(item.pdf_html.encode(), "html")
        item.pdf_file = store(bytes(item.pdf), "pdf") if item.pdf is not None else ""
        item.save(update_fields=["html_file", "pdf_html_file", "pdf_file"])


def restore_rows(apps, schema_editor):
    for revision in in_batches(apps, "PackRevision", schema_editor, "html_file", "pdf_file"):
        revision.html, revision.pdf = read(revision.html_file).decode(), read(revision.pdf_file)
        revision.save(update_fields=["html", "pdf"])
    for item in in_batches(apps, "FrozenItem", schema_editor, "html_file", "pdf_html_file", "pdf_file"):
        item.html, item.pdf_html = read(item.html_file).decode(), read(item.pdf_html_file).decode()
        item.pdf = read(item.pdf_file) if item.pdf_file else None
        item.save(update_fields=["html", "pdf_html", "pdf"])


def in_batches(apps, model_name, schema_editor, *fields):
    """Every row, a few at a time (the primary keys read first, so that no cursor stays open on a
    table being written to)."""
    rows = apps.get_model("meetings", model_name).objects.using(schema_editor.connection.alias)
    pks = list(rows.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        yield from rows.filter(pk__in=pks[start : start + BATCH]).only("pk", *fields).order_by("pk")


def store(content: bytes, extension: str) -> str:
    return lgaboard.storage.save_content_addressed(content, extension=extension)


def read(file) -> bytes:
    with lgaboard.storage.papers_storage.open(file.name, "rb") as handle:
        return handle.read()


def file_field(**kwargs):
    return models.FileField(storage=lgaboard.storage.get_papers_storage, upload_to="", **kwargs)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0012_annex_letter_validator"),
    ]

    operations = [
        migrations.AddField(
            model_name="packrevision",
            name="html_file",
            field=file_field(default="", help_text="The pack's page as the public received it."),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="packrevision",
            name="pdf_file",
            field=file_field(default="", help_text="The pack's PDF as the public received it."),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="frozenitem",
            name="html_file",
            field=file_field(default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="frozenitem",
            name="pdf_html_file",
            field=file_field(default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="frozenitem",
            name="pdf_file",
            field=file_field(blank=True),
        ),
        # Nullable while the content moves, so that going back can add them again before refilling.
        migrations.AlterField(
            model_name="packrevision",
            name="html",
            field=models.TextField(null=True, help_text="The pack's page as the public received it."),
        ),
        migrations.AlterField(
            model_name="packrevision",
            name="pdf",
            field=models.BinaryField(null=True, help_text="The pack's PDF as the public received it."),
        ),
        migrations.AlterField(model_name="frozenitem", name="html", field=models.TextField(null=True)),
        migrations.AlterField(model_name="frozenitem", name="pdf_html", field=models.TextField(null=True)),
        migrations.RunPython(store_files, restore_rows, elidable=False),
        migrations.RemoveField(model_name="packrevision", name="html"),
        migrations.RemoveField(model_name="packrevision", name="pdf"),
        migrations.RemoveField(model_name="frozenitem", name="html"),
        migrations.RemoveField(model_name="frozenitem", name="pdf_html"),
        migrations.RemoveField(model_name="frozenitem", name="pdf"),
    ]
