"""Forms of the meetings app's own screens (the admin's are built from the models)."""

from django import forms

from .report_import import NEW_ITEM, PURPOSES


class NextMeetingForm(forms.Form):
    date = forms.DateField(
        label="Date of the next meeting",
        help_text="As 30/01/2018 or 2018-01-30.",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"autocomplete": "off"}),
    )


class PublishForm(forms.Form):
    """Publish (nothing to fill in: the check list has been read), or publish the changes as a
    revision, saying in the clerk's own words what changed and why."""

    note = forms.CharField(
        label="What changed and why",
        help_text="Shown to readers with the revision, above the list of what changed.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, revision: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if revision:
            self.fields["note"].required = True
            self.fields["note"].error_messages["required"] = "Say what changed and why: readers see it."
        else:
            del self.fields["note"]


class WordDocumentForm(forms.Form):
    """A report's Word document, to be read and shown before anything is saved."""

    document = forms.FileField(
        label="Word document (.docx)",
        help_text="At most 10 MB. Nothing is saved until you have seen the preview.",
        error_messages={"required": "Choose the report's Word document (.docx)."},
    )


class WordDocumentSaveForm(forms.Form):
    """Save the previewed document into the report: the preview itself travels signed (`preview`);
    the purposes are the clerk's to confirm, ticked as the document states them."""

    preview = forms.CharField(widget=forms.HiddenInput)
    purposes = forms.MultipleChoiceField(
        label="The report is for",
        choices=[(purpose, purpose.capitalize()) for purpose in PURPOSES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Ticked as the document's “Purpose of report” says; tick at least one unless it writes "
        "the purpose out.",
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input type="file" multiple> (Django's own field takes one)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(file, initial) for file in data] if data else single(None, initial)
        return [single(data, initial)]


class WordDocumentsForm(forms.Form):
    """A meeting's reports as Word documents, to be read and shown before anything is saved."""

    documents = MultipleFileField(
        label="Word documents (.docx)",
        error_messages={"required": "Choose the reports' Word documents (.docx)."},
    )


class WordDocumentTargetForm(forms.Form):
    """Where one document of a meeting's bundle goes, and the report's purposes, confirmed by the clerk
    (one per document, each with its own prefix)."""

    target = forms.ChoiceField(label="Save it as the report of")
    purposes = WordDocumentSaveForm.base_fields["purposes"]

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [
            *((str(item.pk), f"Item {item.number}: {item.title}") for item in items),
            (NEW_ITEM, "A new item at the end"),
        ]
