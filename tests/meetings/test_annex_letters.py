"""An annex's letter: what a clerk may type, and the one place its anchor and address come from."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from meetings.models import Annex
from tests import factories
from tests.meetings.test_models import pdf_bytes
from tests.meetings.test_uploads import report_form

pytestmark = pytest.mark.django_db

LETTER_MESSAGE = "Use letters, digits and hyphens only, e.g. A, B, 1 or 2-1."


def annex(letter: str, **fields) -> Annex:
    fields.setdefault("content", "Annex text.")
    return Annex(report=factories.ReportFactory(), letter=letter, title="Slides", **fields)


class TestTheLetter:
    @pytest.mark.parametrize("letter", ["A", "b", "1", "12", "2-1", "A-iv"])
    def test_letters_digits_and_hyphens_are_accepted(self, letter):
        annex(letter).full_clean()

    @pytest.mark.parametrize("letter", ["1.2", "A B", "a/b", "A)", "-", "2-", "-1", "2--1", "Ä", "a_b"])
    def test_anything_else_is_refused_with_an_example_of_what_fits(self, letter):
        with pytest.raises(ValidationError) as caught:
            annex(letter).full_clean()
        assert caught.value.message_dict["letter"] == [LETTER_MESSAGE]

    def test_the_clerk_sees_the_message_in_the_admin_and_nothing_is_saved(self, staff_client):
        report = factories.ReportFactory()
        data = report_form(report, letter="1.2", content="Text")
        response = staff_client.post(f"/admin/meetings/report/{report.pk}/change/", data)
        assert LETTER_MESSAGE in response.content.decode()
        assert not Annex.objects.filter(report=report).exists()
        # the same form with a letter that fits is saved
        data["annexes-0-letter"] = "1-2"
        data["edit_version"] = report.version
        response = staff_client.post(f"/admin/meetings/report/{report.pk}/change/", data)
        assert response.status_code == 302
        assert Annex.objects.get(report=report).letter == "1-2"


class TestOnePlaceForTheAnchorAndAddress:
    def test_anchor_and_address_come_from_the_slug(self):
        report = factories.ReportFactory(item__number=3)
        annex = Annex.objects.create(
            report=report, letter="B", title="Slides", pdf=SimpleUploadedFile("s.pdf", pdf_bytes())
        )
        item = report.item
        assert annex.slug == "b"
        assert annex.anchor == "item-3-b"
        assert annex.get_pdf_url() == f"{item.get_absolute_url()}annex-b.pdf"

    def test_an_annex_without_a_pdf_has_no_pdf_address(self):
        annex = factories.AnnexFactory(letter="A")
        assert annex.get_pdf_url() == ""

    def test_the_pack_page_links_the_pdf_at_the_address_that_serves_it(self, client):
        report = factories.ReportFactory()
        annex = Annex.objects.create(
            report=report, letter="2-1", title="Slides", pdf=SimpleUploadedFile("s.pdf", pdf_bytes(2))
        )
        page = client.get(report.item.meeting.get_absolute_url()).content.decode()
        assert f'href="{annex.get_pdf_url()}"' in page
        assert f'id="{annex.anchor}"' in page
        response = client.get(annex.get_pdf_url())
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


class TestALetterStoredBeforeTheCheck:
    """Rows saved before letters were checked may hold "1.2": the papers still show, for everyone."""

    @pytest.fixture
    def report(self):
        report = factories.ReportFactory(item__number=1, item__title="Finance")
        Annex.objects.create(
            report=report, letter="1.2", title="Budget slides", pdf=SimpleUploadedFile("s.pdf", pdf_bytes(2))
        )
        Annex.objects.create(report=report, letter="A", title="Placeholder", content="Text")
        Annex.objects.filter(report=report, letter="A").update(letter="3 b")  # bypassing validation too
        return report

    def test_it_makes_a_valid_anchor_and_no_address_that_would_not_serve(self, report):
        annex = Annex.objects.get(report=report, letter="1.2")
        assert re.fullmatch(r"item-1-[a-z0-9-]+", annex.anchor)
        assert annex.get_pdf_url() == ""

    def test_the_pack_page_shows_it(self, client, report):
        response = client.get(report.item.meeting.get_absolute_url())
        assert response.status_code == 200
        page = response.content.decode()
        assert "Annex 1.2: Budget slides" in page
        assert "Annex 3 b: Placeholder" in page
        assert "This annex is a PDF document: Annex 1.2: Budget slides (PDF)." in re.sub(r"\s+", " ", page)

    def test_the_item_page_shows_it(self, client, report):
        response = client.get(report.item.get_absolute_url())
        assert response.status_code == 200
        assert "Annex 1.2: Budget slides" in response.content.decode()

    def test_the_pack_pdf_shows_it(self, client, report):
        response = client.get(f"{report.item.meeting.get_absolute_url()}pack.pdf")
        assert response.status_code == 200
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        assert "Annex 1.2: Budget slides" in re.sub(r"\s+", " ", text)
