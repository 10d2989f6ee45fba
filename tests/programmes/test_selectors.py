"""Reads for the programme pages, the live annexes and the sector-led improvement update."""

import pytest
from django.http import Http404

from mou import services as mou_services
from mou.models import QuarterlyReturn
from programmes import selectors
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    """A programme of our own: a workstream with a project, outputs in two quarters."""
    programme = factories.ProgrammeFactory(slug="test-programme", name="Test programme")
    work = factories.WorkstreamFactory(programme=programme, slug="work", name="Work", order=1)
    project = factories.WorkstreamFactory(programme=programme, slug="project", name="Project", parent=work)
    factories.OutputFactory(workstream=project, start_year=2030, quarter=2, order=2, delivered="Second")
    factories.OutputFactory(workstream=work, start_year=2030, quarter=2, order=1, delivered="First")
    factories.OutputFactory(workstream=work, start_year=2030, quarter=3, delivered="Later")
    return programme


def test_a_programmes_detail_has_its_workstreams_with_their_projects(programme):
    detail = selectors.programme_detail("test-programme")
    assert [w.name for w in detail.workstreams] == ["Work"]  # a project is listed under its workstream
    assert [p.name for p in detail.workstreams[0].children.all()] == ["Project"]
    assert detail.participation == []
    with pytest.raises(Http404):
        selectors.programme_detail("no-such-programme")


def test_a_quarters_outputs_in_the_order_the_summary_lists_them(programme):
    outputs = selectors.quarter_outputs(programme, 2030, 2)
    assert [o.delivered for o in outputs] == ["First", "Second"]


def test_the_latest_priorities_are_of_the_latest_year_that_has_any(db):
    later = factories.BoardYearFactory(start_year=2040)
    factories.PriorityFactory(board_year=later, order=2, title="Second")
    factories.PriorityFactory(board_year=later, order=1, title="First")
    assert [p.title for p in selectors.latest_priorities()] == ["First", "Second"]
    assert selectors.latest_priorities(factories.BoardYearFactory(start_year=2041)) == []


def test_participation_tables_are_those_of_the_record(participation):
    tables = selectors.participation_tables(participation)
    assert [(t.dimension, t.total) for t in tables] == [("political_group", 8)]


class TestSectorUpdate:
    @pytest.fixture
    def update(self, db):
        """The update at Q2 of an MoU of our own, with a section for a theme whose Q2 return (a
        draft) is marked as a highlight."""
        peer = factories.ThemeFactory(mou=factories.MouFactory(start_year=2030), key="peer")
        deliverable = factories.DeliverableFactory(
            theme=peer, reference="1", target=30, comparator="at_least", rule="additive"
        )
        factories.QuarterlyReturnFactory(deliverable=deliverable, quarter=1, figure=12, rag="green")
        factories.QuarterlyReturnFactory(
            deliverable=deliverable,
            quarter=2,
            figure=9,
            rag="amber",
            highlight="delivered 21 peer challenges",
        )
        update = factories.SectorUpdateFactory(mou=peer.mou, quarter=2)
        factories.SectorUpdateThemeFactory(update=update, theme=peer, heading="Peer support")
        return update

    @pytest.fixture
    def clerk(self, django_user_model):
        return django_user_model.objects.create_user("clerk-update", is_staff=True, is_superuser=True)

    def test_the_public_sees_only_approved_highlights_and_figures(self, update):
        _, sections = selectors.sector_update_for(update.mou)
        assert [(s.heading, s.highlights, [f.total for f in s.figures]) for s in sections] == [
            ("Peer support", [], [])
        ]

    def test_staff_see_a_draft_highlight_marked_as_such(self, update, clerk):
        _, sections = selectors.sector_update_for(update.mou, user=clerk)
        assert [(h.text, h.pending) for h in sections[0].highlights] == [
            ("delivered 21 peer challenges", "Draft")
        ]
        assert [f.total for f in sections[0].figures] == [21]

    def test_approved_the_highlight_is_public(self, update, clerk):
        for record in QuarterlyReturn.objects.filter(deliverable__theme__mou=update.mou).order_by("quarter"):
            mou_services.return_submit(quarterly_return=record, by=clerk)
            mou_services.return_approve(quarterly_return=record, by=clerk)
        _, sections = selectors.sector_update_for(update.mou)
        assert sections[0].highlights == [selectors.Highlight("delivered 21 peer challenges")]
        assert [f.total for f in sections[0].figures] == [21]
