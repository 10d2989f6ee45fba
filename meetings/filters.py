from urllib.parse import urlencode

import django_filters

from .models import Action, BoardYear, Meeting


class MeetingFilter(django_filters.FilterSet):
    """Filter a board's meetings by year and status, as a plain GET form."""

    board_year = django_filters.ModelChoiceFilter(
        label="Year", queryset=BoardYear.objects.none(), empty_label="All years"
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=Meeting.Status.choices, empty_label="Any status"
    )

    class Meta:
        model = Meeting
        fields = ["board_year", "status"]

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        years = BoardYear.objects.filter(board=board).order_by("-start_year")
        self.filters["board_year"].queryset = years
        self.form.fields["board_year"].label_from_instance = lambda year: year.label


class ActionFilter(django_filters.FilterSet):
    """Filter a board's actions by status, owner and year, as a plain GET form."""

    status = django_filters.ChoiceFilter(
        label="Status", choices=Action.Status.choices, empty_label="Any status"
    )
    owner = django_filters.ChoiceFilter(label="Action by", empty_label="Anyone", method="filter_owner")
    year = django_filters.ModelChoiceFilter(
        label="Year",
        queryset=BoardYear.objects.none(),
        empty_label="All years",
        field_name="entry__minutes__meeting__board_year",
    )

    class Meta:
        model = Action
        fields = ["status", "owner", "year"]

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["year"].queryset = BoardYear.objects.filter(board=board).order_by("-start_year")
        self.form.fields["year"].label_from_instance = lambda year: year.label
        self.form.fields["owner"].choices = self.owner_choices()  # the field adds "Anyone" itself

    def owner_choices(self) -> list[tuple[str, str]]:
        """Owners present among these actions: people by id ('p12'), labels as written ('Officers')."""
        choices = {}
        for action in self.queryset:
            if action.owner_id:
                choices[f"p{action.owner_id}"] = action.owner.full_name
            else:
                choices[f"l{action.owner_label}"] = action.owner_label
        return sorted(choices.items(), key=lambda choice: choice[1])

    def filter_owner(self, queryset, name, value):
        if value.startswith("p") and value[1:].isdigit():
            return queryset.filter(owner_id=int(value[1:]))
        return queryset.filter(owner__isnull=True, owner_label=value[1:])


def with_filters(url: str, filterset: django_filters.FilterSet) -> str:
    """`url` with the filters the page was asked for (not its sorting or page number): a download
    link that keeps what the reader chose."""
    if not filterset.is_bound:
        return url
    kept = [(name, value) for name in filterset.filters for value in filterset.data.getlist(name) if value]
    return f"{url}?{urlencode(kept)}" if kept else url
