from django import forms

from .models import Participation
from .participation import BreakdownRow, breakdowns_for

BLANK_ROWS = 3


class BreakdownForm(forms.Form):
    """One dimension's table as a grid: a category and a count per column on each row. Blank rows
    are ignored; the totals must agree with the programme's other breakdowns for the period."""

    def __init__(self, *args, participation: Participation, dimension: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.participation = participation
        self.dimension = dimension
        self.columns = list(participation.columns.all())
        existing = next((b for b in breakdowns_for(participation) if b.dimension == dimension), None)
        rows = existing.rows if existing else []
        self.row_count = len(rows) + BLANK_ROWS
        for index in range(self.row_count):
            row = rows[index] if index < len(rows) else None
            self.fields[f"row-{index}-category"] = forms.CharField(
                label=f"Row {index + 1}: category",
                required=False,
                max_length=100,
                initial=row.category if row else "",
            )
            for position, column in enumerate(self.columns):
                self.fields[f"row-{index}-{column.code}"] = forms.IntegerField(
                    label=f"Row {index + 1}: {column.name} ({column.code})",
                    required=False,
                    min_value=0,
                    initial=row.counts[position] if row else None,
                )

    def grid(self):
        """[(category field, [count fields])] for the template."""
        return [
            (
                self[f"row-{index}-category"],
                [self[f"row-{index}-{column.code}"] for column in self.columns],
            )
            for index in range(self.row_count)
        ]

    def rows(self) -> list[BreakdownRow]:
        result = []
        for index in range(self.row_count):
            category = self.cleaned_data.get(f"row-{index}-category", "").strip()
            counts = [self.cleaned_data.get(f"row-{index}-{column.code}") for column in self.columns]
            if category or any(count is not None for count in counts):
                result.append(BreakdownRow(category, counts))
        return result
