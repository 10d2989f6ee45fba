from django import forms

from lgaboard.versioning import VersionedModelForm

from .models import QuarterlyReturn


class QuarterlyReturnForm(VersionedModelForm):
    """One deliverable's row on the quarter's entry screen."""

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
