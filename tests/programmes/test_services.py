"""Programme writes (programmes/services.py). breakdown_save's totals check is in test_participation.py;
these are what it promises besides: keyword-only, rows as given, the whole table replaced."""

import pytest
from django.core.exceptions import ValidationError

from programmes.participation import BreakdownRow, breakdowns_for
from programmes.services import breakdown_save

pytestmark = pytest.mark.django_db


def rows_of(participation, dimension):
    table = next(b for b in breakdowns_for(participation) if b.dimension == dimension)
    return [(row.category, row.counts) for row in table.rows]


def test_it_takes_keywords_only(participation):
    with pytest.raises(TypeError):
        breakdown_save(participation, "gender", [BreakdownRow("Female", [5, 3])])


def test_rows_are_kept_in_the_order_given_with_their_categories_trimmed_and_blanks_kept(participation):
    breakdown_save(
        participation=participation,
        dimension="region",
        rows=[BreakdownRow("  North East ", [4, None]), BreakdownRow("London", [1, 3])],
    )
    assert rows_of(participation, "region") == [("North East", [4, None]), ("London", [1, 3])]


def test_saving_again_replaces_the_whole_table(participation):
    breakdown_save(
        participation=participation,
        dimension="political_group",
        rows=[BreakdownRow("Independent", [5, 3])],
    )
    assert rows_of(participation, "political_group") == [("Independent", [5, 3])]
    assert participation.counts.filter(dimension="political_group").count() == 2  # one cell a column


def test_an_unknown_dimension_is_refused_by_name(participation):
    with pytest.raises(ValidationError) as refused:
        breakdown_save(participation=participation, dimension="shoe_size", rows=[BreakdownRow("9", [5, 3])])
    assert refused.value.messages == ["There is no breakdown by “shoe_size”."]
    assert not participation.counts.filter(dimension="shoe_size").exists()


def test_every_problem_with_the_rows_is_named_at_once(participation):
    with pytest.raises(ValidationError) as refused:
        breakdown_save(
            participation=participation,
            dimension="gender",
            rows=[BreakdownRow("", [-1, 3]), BreakdownRow("Male", [1])],
        )
    assert refused.value.messages == [
        "Every row needs a category.",
        "Every row needs one count (or a blank) for each column.",
        "A count cannot be negative.",
    ]
