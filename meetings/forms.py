"""Forms of the meetings app's own screens (the admin's are built from the models)."""

from django import forms


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
