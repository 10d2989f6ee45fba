import django_filters

from .models import BoardYear, Meeting


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
