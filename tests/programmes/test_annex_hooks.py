"""Programmes takes part in meetings' packs only through the hook meetings offers: its live annexes
are a registered annex-content provider, frozen by the publication pipeline and thawed by taking a
pack back to draft; no model signal of programmes does anything behind a save."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models.signals import post_save
from django.test import Client

from meetings import annex_content
from meetings.models import Meeting
from meetings.services import meeting_publish, meeting_publish_changes, meeting_unpublish
from programmes.annexes import LiveAnnexContent, live_annex_save
from programmes.models import LiveAnnex, Output, Programme
from tests.factories import AnnexFactory, MeetingFactory, ReportFactory
from tests.programmes.test_live_annexes import OUTPUT, live_outputs_annex

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(november_meeting):
    return MeetingFactory(board_year=november_meeting.board_year, status=Meeting.Status.DRAFT)


def test_programmes_registers_its_live_annexes_with_meetings():
    assert any(isinstance(provider, LiveAnnexContent) for provider in annex_content.providers())
    assert "live" in annex_content.related()


def test_programmes_has_no_model_signal_receivers():
    for sender in (Meeting, LiveAnnex):
        receivers = [r for group in post_save._live_receivers(sender) for r in group]
        assert not [r for r in receivers if r.__module__.startswith("programmes")]


def test_publishing_freezes_the_figures_and_unpublishing_thaws_them(draft):
    live = live_outputs_annex(draft)
    meeting_publish(meeting=draft)
    live.refresh_from_db()
    assert live.is_frozen
    assert OUTPUT in live.frozen_html

    output = Output.objects.get(workstream__slug="shared-services", start_year=2017, quarter=2)
    output.delivered = "Launched the 2018 map"
    output.save()
    # Frozen: the pack is as published, so there is nothing to publish.
    with pytest.raises(ValidationError, match="Nothing in the pack has changed"):
        meeting_publish_changes(meeting=draft)

    meeting_unpublish(meeting=draft)
    live.refresh_from_db()
    assert not live.is_frozen
    meeting_publish(meeting=draft)  # frozen afresh: a revision saying the annex changed
    revision = draft.revisions.order_by("number").last()
    assert (revision.number, revision.changes) == (2, ["Item 4, annex A: changed"])
    assert "Launched the 2018 map" in Client().get(draft.get_absolute_url() + "items/4/").content.decode()


def test_a_live_annex_added_to_a_published_meeting_is_frozen_at_once(draft):
    annex = AnnexFactory(
        report=ReportFactory(item__meeting=draft, item__number=4), letter="A", content="", generated=True
    )
    meeting_publish(meeting=draft)  # published with its annex's table not yet set up
    live = live_annex_save(
        live=LiveAnnex(
            annex=annex,
            kind=LiveAnnex.Kind.OUTPUTS,
            programme=Programme.objects.get(slug="productivity"),
            start_year=2017,
            quarter=2,
        )
    )
    assert live.is_frozen
    assert OUTPUT in LiveAnnex.objects.get(pk=live.pk).frozen_html


def test_on_a_draft_it_stays_live(draft):
    annex = AnnexFactory(report=ReportFactory(item__meeting=draft), letter="A", content="", generated=True)
    live = live_annex_save(
        live=LiveAnnex(annex=annex, kind=LiveAnnex.Kind.PRIORITIES, board_year=draft.board_year)
    )
    assert not live.is_frozen


def test_the_clerk_adds_a_live_annex_to_a_published_meeting_in_the_admin(staff_client, draft):
    report = ReportFactory(item__meeting=draft, item__number=1)
    meeting_publish(meeting=draft)
    annex = AnnexFactory(report=report, letter="B", content="", generated=True)
    response = staff_client.post(
        "/admin/programmes/liveannex/add/",
        {"annex": annex.pk, "kind": LiveAnnex.Kind.PRIORITIES, "board_year": draft.board_year.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    live = LiveAnnex.objects.get(annex=annex)
    assert live.is_frozen
    assert "Leadership" in live.frozen_html
