import pytest

from programmes.participation import BreakdownRow
from programmes.services import breakdown_save
from tests.factories import ParticipationColumnFactory, ParticipationFactory, ProgrammeFactory


@pytest.fixture
def participation(db):
    """A small programme with two courses and a breakdown by political group (totals 5 and 3)."""
    programme = ProgrammeFactory(slug="test-leadership", name="Test leadership offer")
    record = ParticipationFactory(
        programme=programme, start_year=2030, period="2030/31 to September", as_at="2030-09-30"
    )
    ParticipationColumnFactory(participation=record, order=1, code="LA", name="Leadership Academy")
    ParticipationColumnFactory(participation=record, order=2, code="NXG", name="Next Generation")
    breakdown_save(
        participation=record,
        dimension="political_group",
        rows=[BreakdownRow("Labour", [3, 1]), BreakdownRow("Conservative", [2, 2])],
    )
    return record
