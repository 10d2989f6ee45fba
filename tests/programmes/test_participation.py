"""Participation tables: totals are computed, and every breakdown must add up to the same totals."""

import pytest
from django.core.exceptions import ValidationError

from programmes.models import Participation
from programmes.participation import BreakdownRow, breakdowns_for
from programmes.services import breakdown_save


def table(participation, dimension):
    return next(b for b in breakdowns_for(participation) if b.dimension == dimension)


class TestTotals:
    def test_row_column_and_grand_totals_are_computed(self, participation):
        by_group = table(participation, "political_group")
        assert [(row.category, row.total) for row in by_group.rows] == [("Labour", 4), ("Conservative", 4)]
        assert by_group.column_totals == [5, 3]
        assert by_group.total == 8

    def test_a_column_with_no_figures_has_no_total_not_zero(self, participation):
        participation.columns.create(order=3, code="LEDGE", name="Leading Edge")
        breakdown_save(
            participation=participation,
            dimension="political_group",
            rows=[BreakdownRow("Labour", [3, 1, None]), BreakdownRow("Conservative", [2, 2, None])],
        )
        assert table(participation, "political_group").column_totals == [5, 3, None]


class TestBreakdownCheck:
    def test_a_breakdown_that_agrees_is_saved(self, participation):
        breakdown_save(
            participation=participation,
            dimension="gender",
            rows=[BreakdownRow("Female", [2, 2]), BreakdownRow("Male", [3, 1])],
        )
        assert table(participation, "gender").total == table(participation, "political_group").total == 8

    def test_a_breakdown_with_a_different_total_is_refused_and_says_which(self, participation):
        with pytest.raises(ValidationError) as refused:
            breakdown_save(
                participation=participation,
                dimension="gender",
                rows=[BreakdownRow("Female", [2, 2]), BreakdownRow("Male", [2, 1])],
            )
        assert refused.value.messages == [
            "By gender the total is 7, but by political group it is 8: Leadership Academy (LA) 4 against 5."
        ]
        assert not participation.counts.filter(dimension="gender").exists()

    def test_same_grand_total_but_a_column_differs_is_refused(self, participation):
        with pytest.raises(ValidationError) as refused:
            breakdown_save(
                participation=participation, dimension="region", rows=[BreakdownRow("North East", [6, 2])]
            )
        assert (
            "Leadership Academy (LA) 6 against 5; Next Generation (NXG) 2 against 3"
            in refused.value.messages[0]
        )

    def test_refusal_keeps_the_existing_breakdown(self, participation):
        breakdown_save(participation=participation, dimension="gender", rows=[BreakdownRow("Female", [5, 3])])
        with pytest.raises(ValidationError):
            breakdown_save(
                participation=participation,
                dimension="political_group",
                rows=[BreakdownRow("Labour", [1, 1])],
            )
        assert [row.counts for row in table(participation, "political_group").rows] == [[3, 1], [2, 2]]

    def test_the_first_breakdown_has_nothing_to_differ_from(self, participation):
        participation.counts.all().delete()
        breakdown_save(
            participation=participation, dimension="region", rows=[BreakdownRow("North East", [1, 1])]
        )
        assert table(participation, "region").total == 2

    @pytest.mark.parametrize(
        ("rows", "message"),
        [
            ([BreakdownRow("", [5, 3])], "Every row needs a category."),
            (
                [BreakdownRow("Female", [3, 2]), BreakdownRow("Female", [2, 1])],
                "Each category appears once; repeated: Female.",
            ),
            ([BreakdownRow("Female", [5])], "Every row needs one count (or a blank) for each column."),
            ([BreakdownRow("Female", [-1, 3])], "A count cannot be negative."),
        ],
    )
    def test_bad_rows_are_refused_plainly(self, participation, rows, message):
        with pytest.raises(ValidationError) as refused:
            breakdown_save(participation=participation, dimension="gender", rows=rows)
        assert message in refused.value.messages


class TestDemoLeadershipBookings:
    """Item 5 of the November 2017 pack: four tables as printed, each totalling 735 (text: 740)."""

    @pytest.fixture
    def bookings(self, db):
        return Participation.objects.get(programme__slug="highlighting-leadership")

    def test_every_breakdown_totals_735(self, bookings):
        tables = breakdowns_for(bookings)
        assert [b.dimension for b in tables] == ["political_group", "region", "authority_type", "gender"]
        assert {b.total for b in tables} == {735}
        assert {tuple(b.column_totals) for b in tables} == {(129, 481, 52, 8, 65, None)}

    def test_the_text_says_740(self, bookings):
        assert bookings.stated_total == 740

    def test_political_group_rows_as_printed(self, bookings):
        rows = table(bookings, "political_group").rows
        assert [(r.category, r.total) for r in rows] == [
            ("Labour", 309),
            ("Conservative", 313),
            ("Liberal Democrat", 55),
            ("Independent", 58),
        ]
