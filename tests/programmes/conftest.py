import pytest

from programmes.models import Participation, ParticipationColumn, Programme
from programmes.participation import BreakdownRow, breakdown_save


@pytest.fixture
def participation(db):
    """A small programme with two courses and a breakdown by political group (totals 5 and 3)."""
    programme = Programme.objects.create(slug="test-leadership", name="Test leadership offer")
    record = Participation.objects.create(
        programme=programme, start_year=2030, period="2030/31 to September", as_at="2030-09-30"
    )
    ParticipationColumn.objects.create(participation=record, order=1, code="LA", name="Leadership Academy")
    ParticipationColumn.objects.create(participation=record, order=2, code="NXG", name="Next Generation")
    breakdown_save(
        record,
        "political_group",
        [BreakdownRow("Labour", [3, 1]), BreakdownRow("Conservative", [2, 2])],
    )
    return record
