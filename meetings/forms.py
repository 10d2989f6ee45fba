"""Forms of the meetings app's own screens (the admin's are built from the models)."""

from django import forms

from .report_import import PURPOSES


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
