"""Reads the MoU pages share: which MoUs and returns a reader sees, progress to a quarter, the
outturn, and a deliverable's thread."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from mou import selectors, services
from mou.models import QuarterlyReturn
from tests.factories import MouFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(django_user_model):
    return django_user_model.objects.create_user("clerk-selectors", is_staff=True, is_superuser=True)


def approve(record, by):
    services.return_submit(quarterly_return=record, by=by)
    services.return_approve(quarterly_return=record, by=by)


class TestWhichMous:
    def test_a_draft_mou_is_for_staff_only(self, mou, clerk):
        draft = MouFactory(start_year=2031, draft=True)
        assert draft not in selectors.mous_visible_to(AnonymousUser())
        assert draft in selectors.mous_visible_to(clerk)
        assert selectors.mou_for("2031-32", clerk) == draft
        with pytest.raises(Http404):
            selectors.mou_for("2031-32")

    def test_the_public_reads_approved_returns_only(self, mou, clerk):
        approve(
            QuarterlyReturn.objects.get(deliverable__theme__mou=mou, deliverable__reference="1", quarter=1),
            clerk,
        )
        public = selectors.visible_returns().filter(deliverable__theme__mou=mou)
        assert [(r.deliverable.reference, r.quarter) for r in public] == [("1", 1)]
        assert selectors.visible_returns(clerk).filter(deliverable__theme__mou=mou).count() == 4


class TestProgress:
    def test_each_themes_deliverables_with_their_totals_to_the_quarter_for_staff(self, mou, clerk):
        themes = selectors.mou_progress(mou, up_to_quarter=2, user=clerk)
        assert [t.theme.key for t in themes] == ["peer", "leads"]
        assert [(d.deliverable.reference, d.total) for t in themes for d in t.deliverables] == [
            ("1", 21),  # additive: 12 + 9
            ("3", 41),  # cumulative: the position at Q2
            ("6", None),  # narrative
        ]

    def test_the_public_figures_count_approved_returns_only(self, mou, clerk):
        approve(
            QuarterlyReturn.objects.get(deliverable__theme__mou=mou, deliverable__reference="1", quarter=1),
            clerk,
        )
        peer = selectors.mou_progress(mou, up_to_quarter=2)[0]
        assert [d.total for d in peer.deliverables] == [12]

    def test_the_outturn_counts_every_deliverable_once(self, mou, clerk):
        counts = selectors.outturn_counts(selectors.mou_progress(mou, user=clerk))
        assert sum(counts.values()) == 3
        assert (counts["partial"], counts["not_reported"]) == (2, 1)


def test_a_deliverables_thread_has_its_figures_and_404s_elsewhere(mou, clerk):
    thread = selectors.deliverable_thread(mou, "peer", "1", clerk)
    assert thread.deliverable.reference == "1"
    assert thread.progress.total == 21
    assert (thread.workstreams, thread.reports, thread.decisions, thread.actions) == ([], [], [], [])
    with pytest.raises(Http404):
        selectors.deliverable_thread(mou, "leads", "1", clerk)
