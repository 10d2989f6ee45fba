import re
from decimal import Decimal, InvalidOperation

from django import forms

from lgaboard.versioning import VersionedModelForm
from meetings.models import Person

from .models import QuarterlyReturn, Rag

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


# What a row of the entry screen asks besides what every row asks, by the deliverable's rule.
RULE_FIELDS = {
    "additive": ("figure", "not_applicable"),
    "cumulative": ("figure", "not_applicable", "correction_reason"),
    "milestone": ("milestone_met",),
    "narrative": (),
}
EVERY_ROW = ("narrative", "rag", "commentary", "highlight", "edit_version")
ENTRY_ORDER = ["figure", "not_applicable", "correction_reason", "milestone_met", "narrative", "rag"]
FIGURE_HINTS = {
    "cumulative": "The position to date: everything since April, at the end of {quarter}.",
    "additive": "What was delivered in {quarter} alone; the quarters are added up.",
}


class QuarterEntryForm(QuarterlyReturnForm):
    """A deliverable's row on the quarter entry screen: the same rules and limits as every return, with
    only the fields its rule uses (and any that already hold a value, so nothing stored is hidden),
    worded for the officer. `earlier` is the latest earlier return with a figure: a correction reason
    is asked only of a cumulative deliverable that has one, since only then can its figure go down."""

    def __init__(self, *args, earlier: QuarterlyReturn | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.earlier = earlier
        rule = self.instance.deliverable.rule
        keep = {*EVERY_ROW, *RULE_FIELDS.get(rule, ())}
        if earlier is None:
            keep.discard("correction_reason")  # nothing earlier for the figure to be lower than
        for name in list(self.fields):
            if name not in keep and getattr(self.instance, name, None) in (None, "", False):
                del self.fields[name]
        self.order_fields(ENTRY_ORDER)  # the correction reason beside the figure it explains
        self._word(rule)

    def _word(self, rule: str) -> None:
        quarter = f"Q{self.instance.quarter}"
        due = self.instance.deliverable.due
        wording = {
            "figure": (f"Figure for {quarter}", FIGURE_HINTS.get(rule, "").format(quarter=quarter)),
            "not_applicable": ("Not applicable this quarter", ""),
            "milestone_met": ("Milestone met?", f"Done by {due:%-d %B %Y}?" if due else ""),
            "narrative": ("What have we delivered", ""),
            "rag": ("Traffic light", ""),
            "commentary": ("Commentary or forecast", ""),
            "correction_reason": ("Correction reason", self._reason_hint()),
            "highlight": ("Highlight", QuarterlyReturn._meta.get_field("highlight").help_text),
        }
        for name, field in self.fields.items():
            field.label, field.help_text = wording.get(name, (field.label, field.help_text))
        if "rag" in self.fields:
            self.fields["rag"].choices = [("", "Not given"), *Rag.choices]

    def _reason_hint(self) -> str:
        if self.earlier is None:
            return ""
        return f"Only if the figure is lower than {self.earlier_label}: say why that figure was wrong."

    @property
    def earlier_label(self) -> str:
        """The figure a cumulative one may not go below without a reason: "Q2's 7,900,000"."""
        if self.earlier is None:
            return ""
        return f"Q{self.earlier.quarter}'s {self.earlier.figure.normalize():,f}"

    @property
    def figure_went_down(self) -> bool:
        """The figure as typed is lower than the earlier one, so the correction reason is needed."""
        if not self.is_bound or self.earlier is None or "figure" not in self.fields:
            return False
        try:
            return Decimal(self["figure"].value()) < self.earlier.figure
        except (InvalidOperation, TypeError):  # blank, or not a number (its own error says so)
            return False


class MouCopyForm(forms.Form):
    """The year to copy an MoU into (the admin's "Copy the selected MoU into a new year")."""

    start_year = forms.IntegerField(
        label="The year it starts", min_value=2000, max_value=2999, help_text="2018 for 2018/19."
    )


class LeadOfficerForm(forms.Form):
    """Whom to make the lead officer of the deliverables selected in the admin."""

    lead_officer = forms.ModelChoiceField(Person.objects.all(), label="Lead officer")
