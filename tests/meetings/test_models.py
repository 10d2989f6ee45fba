import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from pypdf import PdfWriter

from meetings.models import Annex, Board, BoardFormerName, BoardYear, Membership, Person, Report
from meetings.validators import validate_pdf_upload
from tests import factories

pytestmark = pytest.mark.django_db


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


class TestPerson:
    @pytest.mark.parametrize(
        ("slug", "printed"),
        [
            ("paul-bettison", "Cllr Paul Bettison OBE"),
            ("stephen-houghton", "Sir Stephen Houghton CBE"),
            ("dave-hodgson", "Mayor Dave Hodgson MBE"),
            ("glen-sanderson", "Cllr Glen Sanderson JP"),
            ("tim-adams", "Dr Tim Adams"),
            ("eleanor-reader-moore", "Eleanor Reader-Moore"),
        ],
    )
    def test_name_as_printed_in_the_papers(self, slug, printed):
        assert Person.objects.get(slug=slug).full_name == printed


class TestBoardYear:
    def test_label_and_slug(self):
        year = BoardYear(start_year=2017)
        assert (year.label, year.slug) == ("2017/18", "2017-18")
        assert BoardYear(start_year=1999).label == "1999/00"

    @pytest.mark.parametrize(("seats", "quorum"), [(18, 6), (19, 7), (20, 7), (21, 7), (3, 1)])
    def test_quorum_is_one_third_rounded_up(self, seats, quorum):
        assert BoardYear(quorum_numerator=1, quorum_denominator=3).quorum_for(seats) == quorum

    def test_one_year_per_board(self):
        board = Board.objects.get(slug="improvement-and-innovation-board")
        with pytest.raises(ValidationError, match="already exists"):
            BoardYear(board=board, start_year=2017).full_clean()
        with transaction.atomic(), pytest.raises(IntegrityError):
            BoardYear.objects.create(board=board, start_year=2017)


class TestBoardRename:
    def test_papers_keep_the_name_they_were_issued_under(self):
        board = factories.BoardFactory(name="Improvement and Innovation Board 2")
        BoardFormerName.objects.create(
            board=board, name="Improvement Programme Board 2", slug="ipb-2", until=datetime.date(2015, 6, 30)
        )
        assert board.name_on(datetime.date(2015, 6, 30)) == "Improvement Programme Board 2"
        assert board.name_on(datetime.date(2015, 7, 1)) == "Improvement and Innovation Board 2"

    def test_an_undated_former_name_does_not_rename_old_papers(self):
        board = Board.objects.get(slug="improvement-and-innovation-board")
        assert board.former_names.get().name == "Improvement Programme Board"
        assert board.name_on(datetime.date(2010, 1, 1)) == "Improvement and Innovation Board"


class TestMembership:
    def test_the_same_person_twice_in_a_board_year_is_refused_with_a_clear_message(self):
        existing = Membership.objects.get(person__slug="paul-bettison")
        duplicate = Membership(
            board_year=existing.board_year, person=existing.person, group=existing.group, role="member"
        )
        with pytest.raises(ValidationError) as error:
            duplicate.full_clean()
        assert "This person is already on the board for this year." in str(error.value)
        with transaction.atomic(), pytest.raises(IntegrityError):
            duplicate.save()
        assert Membership.objects.filter(person__slug="paul-bettison").count() == 1

    def test_a_seat_needs_a_political_group(self):
        membership = factories.MembershipFactory.build(group=None, role=Membership.Role.MEMBER)
        membership.board_year = factories.BoardYearFactory()
        membership.person = factories.PersonFactory()
        membership.authority = None
        with pytest.raises(ValidationError, match="needs a political group"):
            membership.full_clean()

    def test_an_observer_outside_the_groups_names_what_they_represent(self):
        membership = Membership(
            board_year=factories.BoardYearFactory(), person=factories.PersonFactory(), role="observer"
        )
        with pytest.raises(ValidationError, match="name the body they represent"):
            membership.full_clean()
        membership.organisation = "Energy Saving Trust"
        membership.full_clean()

    def test_observers_and_substitutes_hold_no_seat(self):
        roles = {role: Membership(role=role).holds_seat for role in Membership.Role.values}
        assert roles == {
            "chairman": True,
            "vice_chair": True,
            "deputy_chair": True,
            "member": True,
            "observer": False,
            "substitute": False,
        }


class TestVenue:
    def test_one_line_address_as_on_the_cover(self):
        venue = factories.VenueFactory.build(
            room="Westminster Room, 8th Floor", address="18 Smith Square\nLondon", postcode="SW1P 3HZ"
        )
        assert venue.one_line == "Westminster Room, 8th Floor, 18 Smith Square, London, SW1P 3HZ"


class TestMeeting:
    def test_board_comes_from_the_board_year(self):
        meeting = factories.MeetingFactory()
        assert meeting.board_id == meeting.board_year.board_id

    def test_two_meetings_of_a_board_on_one_day_are_refused(self, november_meeting):
        twin = factories.MeetingFactory.build(
            board_year=november_meeting.board_year, date=november_meeting.date
        )
        with pytest.raises(ValidationError, match="already has a meeting on this date"):
            twin.clean()


class TestAgendaItem:
    def test_the_same_item_number_twice_in_a_meeting_is_refused(self, november_meeting):
        item = factories.AgendaItemFactory.build(meeting=november_meeting, number=3, title="Another item 3")
        with pytest.raises(ValidationError) as error:
            item.full_clean()
        assert "Another item of this meeting already has this number." in str(error.value)
        with transaction.atomic(), pytest.raises(IntegrityError):
            item.save()
        assert november_meeting.items.filter(number=3).get().title == "Priorities and work programme"


class TestReport:
    @pytest.mark.parametrize(
        ("flags", "label"),
        [
            ({"for_discussion": True, "for_direction": True}, "For discussion and direction."),
            ({"for_information": True, "for_decision": True}, "For information and decision."),
            ({"for_direction": True}, "For direction."),
            (
                {"for_information": True, "for_discussion": True, "for_decision": True},
                "For information, discussion and decision.",
            ),
            ({}, ""),
        ],
    )
    def test_purpose_label(self, flags, label):
        assert Report(**flags).purpose_label == label

    def test_a_report_without_purpose_is_refused(self):
        report = factories.ReportFactory.build(for_discussion=False, purpose_text="")
        with pytest.raises(ValidationError, match="Give the report's purpose"):
            report.clean()

    def test_a_purpose_written_out_is_a_purpose(self):
        report = factories.ReportFactory.build(
            for_discussion=False, purpose_text="This report updates the Board."
        )
        report.clean()


class TestAnnex:
    def test_needs_content_or_a_pdf(self):
        with pytest.raises(
            ValidationError, match=r"Write the annex's content, upload it as a PDF, or mark it as generated"
        ):
            Annex(letter="A", title="Empty", content="  ").clean()

    def test_not_both(self):
        annex = Annex(letter="A", title="Both", content="Text")
        annex.pdf = SimpleUploadedFile("a.pdf", pdf_bytes())
        with pytest.raises(ValidationError, match="An annex has one source"):
            annex.clean()

    def test_anchor(self, november_meeting):
        annex = Annex.objects.get(report__item__meeting=november_meeting, report__item__number=3, letter="B")
        assert annex.anchor == "item-3-b"


class TestPdfUpload:
    def test_a_real_pdf_is_accepted(self):
        validate_pdf_upload(SimpleUploadedFile("annex.pdf", pdf_bytes(2), content_type="application/pdf"))

    def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name(self):
        fake = SimpleUploadedFile("annex.pdf", b"PK\x03\x04 this is a zip", content_type="application/pdf")
        with pytest.raises(ValidationError, match="This file is not a PDF"):
            validate_pdf_upload(fake)

    def test_a_damaged_pdf_is_refused(self):
        damaged = SimpleUploadedFile(
            "annex.pdf", b"%PDF-1.7\n garbage with no objects", content_type="application/pdf"
        )
        with pytest.raises(ValidationError, match=r"This PDF could not be read; it may be damaged\."):
            validate_pdf_upload(damaged)

    def test_a_pdf_over_the_size_limit_is_refused(self, settings):
        settings.ANNEX_UPLOAD_MAX_BYTES = 100
        with pytest.raises(ValidationError, match="larger than"):
            validate_pdf_upload(SimpleUploadedFile("annex.pdf", pdf_bytes()))
