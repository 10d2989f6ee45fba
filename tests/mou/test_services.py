"""The MoU's writes: the quarter entry screen saves all or nothing and names each problem; a return
is submitted, approved (locked) and reopened with a reason, each step recorded."""

import pytest
from django.core.exceptions import ValidationError

from mou import services
from mou.models import QuarterlyReturn, ReturnEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(django_user_model):
    return django_user_model.objects.create_user("clerk-services", is_staff=True, is_superuser=True)


def entry_rows(mou, clerk, quarter, data):
    leads = mou.themes.get(key="leads")  # deliverables 3 (cumulative: Q2 41) and 6 (narrative)
    return services.quarter_entry_forms(theme=leads, quarter=quarter, user=clerk, data=data)


def field(mou, reference, name):
    return f"d{mou.themes.get(key='leads').deliverables.get(reference=reference).pk}-{name}"


class TestQuarterEntrySave:
    def test_saves_the_rows_filled_in_and_says_how_many(self, mou, clerk):
        data = {
            field(mou, "3", "figure"): "45", field(mou, "3", "rag"): "green",
            field(mou, "6", "narrative"): "Refreshed.", field(mou, "6", "rag"): "amber",
        }  # fmt: skip
        assert services.quarter_entry_save(rows=entry_rows(mou, clerk, 3, data), by=clerk) == 2
        saved = QuarterlyReturn.objects.filter(deliverable__theme__key="leads", quarter=3).order_by("pk")
        assert [(r.deliverable.reference, r.figure, r.rag, r.entered_by) for r in saved] == [
            ("3", 45, "green", clerk),
            ("6", None, "amber", clerk),
        ]

    def test_a_blank_row_is_not_a_return(self, mou, clerk):
        assert services.quarter_entry_save(rows=entry_rows(mou, clerk, 3, {}), by=clerk) == 0
        assert not QuarterlyReturn.objects.filter(deliverable__theme__key="leads", quarter=3).exists()

    def test_one_bad_row_saves_nothing_and_the_error_names_the_deliverable_and_field(self, mou, clerk):
        data = {
            field(mou, "3", "figure"): "30", field(mou, "3", "rag"): "green",  # lower than Q2's 41
            field(mou, "6", "narrative"): "Refreshed.", field(mou, "6", "rag"): "amber",
        }  # fmt: skip
        with pytest.raises(ValidationError) as refused:
            services.quarter_entry_save(rows=entry_rows(mou, clerk, 3, data), by=clerk)
        assert len(refused.value.messages) == 1
        assert refused.value.messages[0].startswith(
            "Deliverable 3, figure for Q3: This is lower than Q2's 41"
        )
        assert not QuarterlyReturn.objects.filter(deliverable__theme__key="leads", quarter=3).exists()

    def test_a_change_to_a_locked_return_is_refused_by_name(self, mou, clerk):
        record = QuarterlyReturn.objects.get(
            deliverable__theme__key="leads", deliverable__reference="3", quarter=2
        )
        services.return_submit(quarterly_return=record, by=clerk)
        services.return_approve(quarterly_return=record, by=clerk)
        rows = entry_rows(mou, clerk, 2, {field(mou, "3", "narrative"): "Changed after approval"})
        with pytest.raises(ValidationError) as refused:
            services.quarter_entry_save(rows=rows, by=clerk)
        assert refused.value.messages == [
            f"Deliverable 3: {services.LOCKED} What was typed for it has not been saved."
        ]
        record.refresh_from_db()
        assert record.narrative == "41 councils"


class TestQuarterEntryChoices:
    def test_themes_in_order_with_their_size_and_the_deliverables_the_user_leads(self, mou, clerk):
        themes = services.quarter_entry_themes(mou=mou, user=clerk)
        assert [(t.key, t.size, t.led) for t in themes] == [("peer", 1, 0), ("leads", 2, 0)]

    def test_the_theme_asked_for_else_the_first(self, mou, clerk):
        themes = services.quarter_entry_themes(mou=mou, user=clerk)
        assert services.quarter_entry_theme(themes, key="leads", show="all").key == "leads"
        assert services.quarter_entry_theme(themes, key="nonesuch", show="mine").key == "peer"
        assert services.quarter_entry_theme([], key=None, show="all") is None

    def test_those_who_see_every_return_start_with_the_whole_theme(self, clerk):
        assert services.quarter_entry_default_show(clerk) == "all"


class TestSignOff:
    @pytest.fixture
    def record(self, mou):
        return QuarterlyReturn.objects.get(deliverable__theme__mou=mou, deliverable__reference="1", quarter=2)

    def test_submit_approve_and_reopen_are_each_recorded(self, record, clerk):
        services.return_submit(quarterly_return=record, by=clerk)
        services.return_approve(quarterly_return=record, by=clerk)
        assert record.is_locked
        services.return_reopen(quarterly_return=record, by=clerk, reason="Two were counted twice.")
        record.refresh_from_db()
        assert record.status == QuarterlyReturn.Status.DRAFT
        events = ReturnEvent.objects.filter(quarterly_return=record).order_by("pk")
        assert [(e.kind, e.by, e.reason) for e in events] == [
            ("submitted", clerk, ""),
            ("approved", clerk, ""),
            ("reopened", clerk, "Two were counted twice."),
        ]

    def test_a_return_without_a_traffic_light_cannot_be_submitted(self, mou, clerk):
        # Deliverable 3's Q1 is n/a, with no traffic light.
        blank = QuarterlyReturn.objects.get(
            deliverable__theme__mou=mou, deliverable__reference="3", quarter=1
        )
        with pytest.raises(ValidationError, match="Give the traffic light before submitting the return"):
            services.return_submit(quarterly_return=blank, by=clerk)
        assert not blank.events.exists()

    def test_reopening_needs_a_reason(self, record, clerk):
        services.return_submit(quarterly_return=record, by=clerk)
        services.return_approve(quarterly_return=record, by=clerk)
        with pytest.raises(ValidationError, match="Say why the approved return is being reopened"):
            services.return_reopen(quarterly_return=record, by=clerk, reason="  ")
        record.refresh_from_db()
        assert record.is_locked

    def test_only_a_draft_is_submitted(self, record, clerk):
        services.return_submit(quarterly_return=record, by=clerk)
        with pytest.raises(ValidationError, match="Only a draft return can be submitted"):
            services.return_submit(quarterly_return=record, by=clerk)
