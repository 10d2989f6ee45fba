"""Publication as one pipeline: check → record → freeze the annexes' content → compare → render each
page and PDF the public will receive → store them. Taking a pack back to draft is its own service,
annex content from later apps comes through a named hook, and reading a published pack never writes."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from lgaboard.storage import read_bytes, read_text
from meetings import annex_content, publication
from meetings.models import FrozenItem, Meeting
from meetings.services import meeting_publish, meeting_publish_changes, meeting_unpublish
from tests import factories

pytestmark = pytest.mark.django_db


class Recorder:
    """A provider of annex content, as programmes' live annexes are: it notes what it is asked."""

    related = ()

    def __init__(self, events: list):
        self.events = events

    def html(self, annexes, *, published):
        table = f"<p>Provided table ({'frozen' if published else 'live'})</p>"
        return {annex.pk: table for annex in annexes if annex.generated}

    def fingerprint(self, annex):
        self.events.append("fingerprint")
        return None

    def figures_taken(self, items, *, published):
        return ""

    def freeze(self, meeting, *, at):
        self.events.append("freeze")

    def thaw(self, meeting):
        self.events.append("thaw")


@pytest.fixture
def events(monkeypatch):
    """The Recorder registered (for this test only) beside the real providers; what it was asked."""
    noted = []
    monkeypatch.setitem(annex_content._providers, "Recorder", Recorder(noted))
    return noted


@pytest.fixture
def draft():
    meeting = factories.MeetingFactory(status=Meeting.Status.DRAFT)
    report = factories.ReportFactory(item__meeting=meeting, item__number=1, item__title="Finance")
    factories.AnnexFactory(report=report, letter="A", content="", generated=True)
    return meeting


def test_the_steps_run_in_order(draft, events, monkeypatch):
    for step in ("freeze_annex_content", "next_revision", "render_for_the_public", "store_revision"):
        real = getattr(publication, step)

        def noted(*args, _real=real, _step=step, **kwargs):
            events.append(_step)
            return _real(*args, **kwargs)

        monkeypatch.setattr(publication, step, noted)

    meeting_publish(meeting=draft)

    steps = [e for e in events if e != "fingerprint"]
    assert steps == [
        "freeze_annex_content",
        "freeze",
        "next_revision",
        "render_for_the_public",
        "store_revision",
    ]
    # The annexes are frozen before the pack is fingerprinted, so the revision records the frozen copy.
    assert events.index("freeze") < events.index("fingerprint")


def test_a_refused_publication_freezes_nothing(events):
    meeting = factories.MeetingFactory(status=Meeting.Status.DRAFT, venue=None)
    factories.ReportFactory(item__meeting=meeting)
    with pytest.raises(ValidationError, match="no venue"):
        meeting_publish(meeting=meeting)
    assert events == []
    assert not meeting.revisions.exists()


def test_publication_stores_every_page_and_pdf_the_public_receive(draft, events):
    meeting_publish(meeting=draft)
    revision = draft.revisions.get()
    assert "Finance" in read_text(revision.html_file)
    assert read_bytes(revision.pdf_file).startswith(b"%PDF")
    frozen = FrozenItem.objects.get(revision=revision, number=1)
    assert "Finance" in read_text(frozen.html_file)
    assert "Finance" in read_text(frozen.pdf_html_file)  # the page its PDF is made from, frozen with it
    assert "Provided table (frozen)" in Client().get(draft.get_absolute_url() + "items/1/").content.decode()


def test_the_provided_content_is_live_on_a_draft(draft, events, staff_client):
    page = staff_client.get(draft.get_absolute_url()).content.decode()
    assert "Provided table (live)" in page


def test_taking_a_pack_back_to_draft_is_its_own_service(draft, events):
    meeting_publish(meeting=draft)
    events.clear()
    meeting_unpublish(meeting=draft)
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.DRAFT
    assert events == ["thaw"]
    assert draft.revisions.count() == 1  # what was published stays on record
    assert Client().get(draft.get_absolute_url()).status_code == 404
    with pytest.raises(ValidationError, match="is not published"):
        meeting_unpublish(meeting=draft)


def test_saving_a_meeting_does_not_freeze_or_thaw(draft, events):
    """No model signal drives publication: only the services do."""
    draft.refreshments = "Tea"
    draft.save()
    draft.status = Meeting.Status.PUBLISHED
    draft.save()
    assert events == []


def test_reading_a_published_item_pdf_writes_nothing(draft):
    meeting_publish(meeting=draft)
    url = draft.get_absolute_url() + "items/1.pdf"
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    assert response.content.startswith(b"%PDF")
    assert "Finance" in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []


def test_an_item_pdf_is_made_from_its_frozen_page_and_not_stored(draft):
    meeting_publish(meeting=draft)
    response = Client().get(draft.get_absolute_url() + "items/1.pdf")
    assert response.content.startswith(b"%PDF")
    assert not FrozenItem.objects.get(revision__meeting=draft, number=1).pdf_file


def test_a_revision_goes_through_the_same_pipeline(draft, events):
    meeting_publish(meeting=draft)
    report = draft.items.get(number=1).report
    report.body = "Spend is 12."
    report.save()
    events.clear()
    revision = meeting_publish_changes(meeting=draft)
    assert events[0] == "freeze"
    assert revision.changes == ["Item 1 (Finance): changed"]
    assert FrozenItem.objects.filter(revision=revision).exclude(pdf_html_file="").count() == 1
