import re

from django import forms

from lgaboard.versioning import VersionedModelForm

from .models import QuarterlyReturn

# The longest narrative, commentary or highlight accepted, on screen and in an upload alike: a long
# page of text, well inside what a spreadsheet cell holds (32,767 characters in Excel).
TEXT_LIMIT = 10_000
# Control characters other than tab and line breaks: invisible, and a workbook cannot hold them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def normalise_text(value: str) -> str:
    """Text as stored: Unix line endings, no control characters, no space at either end."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_CHARACTERS.sub("", value).strip()


class ReturnTextField(forms.CharField):
    """A return's text. It compares as normalised text, so a Windows line ending or a trailing space
    picked up on the way through a spreadsheet is not a change."""

    def __init__(self, *, max_length=None, **kwargs):
        limit = max_length or TEXT_LIMIT
        message = f"Keep this to {limit:,} characters or fewer; it has %(show_value)s."
        kwargs["error_messages"] = {"max_length": message, **kwargs.get("error_messages", {})}
        super().__init__(max_length=limit, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_text(value) if value else value

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        return self.to_python(initial or "") != self.to_python(data or "")


class QuarterlyReturnForm(VersionedModelForm):
    """One deliverable's row on the quarter's entry screen, and of an uploaded quarter."""

    class Meta:
        model = QuarterlyReturn
        fields = [
            "figure",
            "not_applicable",
            "milestone_met",
            "narrative",
            "rag",
            "commentary",
            "correction_reason",
            "highlight",
        ]
        field_classes = {
            "narrative": ReturnTextField,
            "commentary": ReturnTextField,
            "correction_reason": ReturnTextField,  # keeps the model's 300 characters
            "highlight": ReturnTextField,
        }
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 3}),
            "commentary": forms.Textarea(attrs={"rows": 2}),
            "highlight": forms.Textarea(attrs={"rows": 2}),
            "milestone_met": forms.NullBooleanSelect,
        }

    def has_anything(self) -> bool:
        data = self.cleaned_data
        return any(
            [
                data.get("figure") is not None,
                data.get("not_applicable"),
                data.get("milestone_met") is not None,
                data.get("narrative"),
                data.get("rag"),
                data.get("commentary"),
                data.get("highlight"),
            ]
        )
