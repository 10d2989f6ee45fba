from django import forms

from lgaboard.years import year_label

from ..models import SearchEntry
from . import registry
from .selectors import Filters


class SearchForm(forms.Form):
    """What to look for, and where: the boards, years and kinds the index holds."""

    q = forms.CharField(label="Words to search for", max_length=200, required=False, strip=True)
    board = forms.ChoiceField(label="Board", required=False)
    year = forms.TypedChoiceField(label="Year", required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label="Kind of paper", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        boards = SearchEntry.objects.exclude(board="").values_list("board", "board_name").distinct()
        self.fields["board"].choices = [("", "All boards"), *sorted(set(boards), key=lambda b: b[1])]
        years = SearchEntry.objects.exclude(start_year=None).values_list("start_year", flat=True).distinct()
        self.fields["year"].choices = [("", "All years")] + [
            (year, year_label(year)) for year in sorted(set(years), reverse=True)
        ]
        self.fields["kind"].choices = [("", "Everything")] + [
            (kind, names[0]) for kind, names in registry.kinds().items()
        ]

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(board=data["board"], start_year=data["year"], kind=data["kind"])
