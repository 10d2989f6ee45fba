"""Pages tested by what a member reads on them, not only by their status."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import AgendaItem, BoardYear, Meeting
from tests import factories
from tests.pages import assert_one_h1_and_headings_in_order

pytestmark = pytest.mark.django_db

PACK = "/boards/improvement-and-innovation-board/2017-11-01/"

AGENDA_TITLES = [
    "1. Welcome, apologies and declarations of interest",
    "2. Membership and terms of reference for 2017/18",
    "3. Priorities and work programme",
    "4. Productivity programme",
    "5. Highlighting Leadership offer: 2017/18 update",
    "6. Sector-led Improvement for Care and Health",
    "7. Data and transparency programme",
    "8. Progressing next year",  # "year's" is escaped in HTML
    "9. LGA Boards",
    "10. Note of the Previous Meeting",
]

# A sentence from each report and annex, as printed in the paper.
REPORT_TEXT = {
    "item-2": "Quorum is one third of the members",
    "item-3": "740 councillors already booked on our leadership courses",
    "item-3-a": "119 peer challenges delivered in 2016/17, 750 since 2011",
    "item-3-b": "Deliver at least 110 peer challenges",
    "item-4": "Productivity Experts are working with 15 councils",
    "item-4-a": "demonstrating £643m in savings since 2012",
    "item-4-b": "Connecting Warwickshire",
    "item-5": "Transfeminie",
    "item-6": "The total value of the Programme in 2017/18 is £10.074 million.",
    "item-6-a": "CHIP Planning timeline",
    "item-7": "AnalyticsCambridge",
    "item-8": "Newton is also already confirmed",
    "item-9-1": "Bright Futures",
}


def text_of(response) -> str:
    return response.content.decode()


def section(html: str, anchor: str) -> str:
    """The HTML of one section of the pack, from its anchor to the next section."""
    start = html.index(f'id="{anchor}"')
    following = re.search(r'<section class="app-(pack-section|annex)" id="', html[start + 10 :])
    return html[start : start + 10 + following.start()] if following else html[start:]


class TestHome:
    def test_lists_published_meetings_with_links(self, client):
        html = text_of(client.get("/"))
        assert "Board meetings and papers" in html
        assert f'href="{PACK}"' in html
        assert "Improvement and Innovation Board: Wednesday 1 November 2017" in html

    def test_drafts_are_not_shown_to_the_public(self, client, django_user_model):
        assert "Tuesday 30 January 2018" not in text_of(client.get("/"))
        from django.contrib.auth.models import Group

        clerk = django_user_model.objects.create_user("clerk-b", is_staff=True)
        clerk.groups.add(Group.objects.get(name="Clerks"))
        client.force_login(clerk)
        assert "Tuesday 30 January 2018" in text_of(client.get("/"))


class TestBoardPage:
    def test_membership_with_roles_substitutes_and_observers(self, client):
        html = text_of(client.get("/boards/improvement-and-innovation-board/"))
        assert "Membership 2017/18" in html
        assert "Cllr Paul Bettison OBE (Chairman)" in html
        assert "Mayor Dave Hodgson MBE (Vice-Chair)" in html
        assert "Cllr Ron Woodley (Deputy Chair)" in html
        assert "Sir Stephen Houghton CBE (Observer)" in html
        assert "Bracknell Forest Borough Council" in html
        assert "Substitutes" in html
        assert "Cllr Cherry Beath" in html
        assert "Mr Philip Sellwood" in html
        assert "Energy Saving Trust (Improvement and Development Agency Company Board)" in html

    def test_shows_the_difference_from_the_terms_of_reference(self, client):
        html = text_of(client.get("/boards/improvement-and-innovation-board/"))
        assert "does not match the political composition in the terms of reference" in html
        assert "Liberal Democrat: 2 seats held, the terms of reference give 1." in html
        assert "Independent: 1 seat held, the terms of reference give 2." in html
        assert "Conservative (8)" in html
        assert "Labour (7)" in html

    def test_terms_of_reference_and_quorum(self, client):
        html = text_of(client.get("/boards/improvement-and-innovation-board/"))
        assert "Terms of reference 2017/18" in html
        assert "Quorum is one third of the members" in html
        assert "that is <strong>6 members</strong> from at least 2 groups" in html
        assert "Meetings are held 5 times a year." in html

    def test_meetings_table_links_each_meeting(self, client):
        html = text_of(client.get("/boards/improvement-and-innovation-board/"))
        assert f'<a href="{PACK}">Wednesday 1 November 2017</a>' in html
        assert "30 January 2018" not in html  # a draft

    def test_meetings_filter_by_status(self, staff_client):
        url = "/boards/improvement-and-innovation-board/"
        drafts = text_of(staff_client.get(url, {"status": "draft"}))
        assert "Tuesday 30 January 2018" in drafts
        assert "Wednesday 1 November 2017" not in drafts
        published = text_of(staff_client.get(url, {"status": "published"}))
        assert "Wednesday 1 November 2017" in published
        assert "Tuesday 30 January 2018" not in published

    def test_meetings_filter_by_year(self, staff_client, november_meeting):
        other_year = november_meeting.board.years.get(start_year=2016)
        html = text_of(
            staff_client.get("/boards/improvement-and-innovation-board/", {"board_year": other_year.pk})
        )
        assert "Tuesday 11 July 2017" in html
        assert "Wednesday 1 November 2017" not in html
        assert f'<option value="{other_year.pk}" selected>2016/17</option>' in html

    def test_any_change_to_what_it_shows_shows_at_once(self, client, november_meeting):
        """The membership and the meetings table are kept rendered until something they show
        changes: a person's name, the terms of reference, a venue, a meeting, the order asked for."""
        url = "/boards/improvement-and-innovation-board/"
        newest_first = text_of(client.get(url))
        assert newest_first.index("Wednesday 1 November 2017") < newest_first.index("Tuesday 11 July 2017")
        chairman = november_meeting.board_year.memberships.get(role="chairman").person
        chairman.first_name = "Paula"
        chairman.save()
        BoardYear.objects.filter(pk=november_meeting.board_year_id).update(
            terms_of_reference="The board meets **five** times a year."
        )
        november_meeting.venue.room = "The Council Chamber"
        november_meeting.venue.save()
        html = text_of(client.get(url))
        assert "Cllr Paula Bettison OBE (Chairman)" in html
        assert "The board meets <strong>five</strong> times a year." in html
        assert "The Council Chamber" in html
        oldest_first = text_of(client.get(url, {"sort": "date"}))
        assert oldest_first.index("Tuesday 11 July 2017") < oldest_first.index("Wednesday 1 November 2017")
        Meeting.objects.filter(pk=november_meeting.pk).update(start_time=datetime.time(14, 30))
        assert "2.30pm" in text_of(client.get(url))

    def test_a_former_name_redirects_to_the_board(self, client):
        response = client.get("/boards/improvement-programme-board/2017-11-01/")
        assert response.status_code == 301
        assert response["Location"] == PACK

    def test_board_list(self, client):
        html = text_of(client.get("/boards/"))
        assert "Improvement and Innovation Board" in html
        assert "Formerly the Improvement Programme Board" in html


class TestAgendaPack:
    def test_cover(self, client):
        html = text_of(client.get(PACK))
        cover = section(html, "cover")
        assert "Improvement and Innovation Board" in cover
        assert "Wednesday 1 November 2017" in cover
        assert "11.00am" in cover
        assert "Westminster Room, 8th Floor, 18 Smith Square, London, SW1P 3HZ" in cover
        assert "Members of the Improvement and Innovation Board" in cover
        assert "Named officers for briefing purposes" in cover

    def test_all_ten_items_in_agenda_and_contents_with_anchors(self, client):
        html = text_of(client.get(PACK))
        for number, title in enumerate(AGENDA_TITLES, start=1):
            assert f'href="#item-{number}">{title}' in html
            assert f'id="item-{number}"' in html
        for anchor in ("item-3-a", "item-3-b", "item-6-a"):
            assert f'id="{anchor}"' in html
            assert f'href="#{anchor}"' in html

    def test_agenda_lists_lettered_sub_items_for_annexes(self, client):
        agenda = section(text_of(client.get(PACK)), "agenda")
        assert "a) Annex A: Sector-led Improvement" in agenda
        assert "b) Annex B: Extract of Memorandum of Understanding" in agenda
        assert "a) Annex A: Sector-led Improvement for Care and Health PowerPoint" in agenda
        assert "Alison Whitney, Deputy Director of the National Cyber Security Centre" in agenda
        assert "Date of next meeting:</strong> Tuesday, 30 January 2018, 11.00am, Westminster Room" in agenda

    def test_every_report_and_annex_is_readable_in_its_place(self, client):
        html = text_of(client.get(PACK))
        for anchor, sentence in REPORT_TEXT.items():
            assert sentence in section(html, anchor), anchor

    def test_report_front_sheet(self, client):
        item3 = section(text_of(client.get(PACK)), "item-3")
        assert "For discussion and direction." in item3
        assert "Improvement and Innovation Board members are asked to:" in item3
        assert "Agree the Board priorities for 2017/18 and confirm member leads" in item3
        assert "Dennis Skinner" in item3
        assert "Nick Easton" in item3
        assert "Head of Improvement" in item3

    def test_guidance_notes_and_membership(self, client):
        html = text_of(client.get(PACK))
        guidance = section(html, "guidance")
        assert "18 Smith Square, London SW1P 3HZ" in guidance
        assert "DO NOT USE THE LIFTS." in guidance
        notes = section(html, "meeting-notes")
        assert "A sandwich lunch will be available at 1.00pm" in notes
        assert "The group meetings will take place from 10.00am to 11.00am. Please contact" in notes
        assert "020 7664 3223" in notes
        assert "£7.50 per hour" in notes
        assert "#lgaib" in notes
        assert "Eleanor Reader-Moore" in notes
        assert "Cllr Judi Billing MBE (Deputy Chair)" in section(html, "membership")

    def test_location_and_directions(self, client):
        assert "St James" in section(text_of(client.get(PACK)), "location")

    def test_markdown_is_sanitised_on_the_page(self, client, november_meeting):
        report = november_meeting.items.get(number=7).report
        report.body += (
            "\n\n<script>alert('x')</script><iframe src='https://evil.example'></iframe>"
            "<b onclick='x()'>b</b>"
        )
        report.save()
        html = text_of(client.get(PACK))
        assert "alert('x')" not in html
        assert "<iframe" not in html
        assert "onclick" not in html


class TestItemPage:
    def test_one_report_on_its_own(self, client):
        html = text_of(client.get(PACK + "items/5/"))
        assert '<h1 class="govuk-heading-xl">Highlighting Leadership offer: 2017/18 update</h1>' in html
        assert "Transfeminie" in html
        assert "Will Brooks" in html
        assert "Item 1" not in html or "items/1/" not in html

    def test_an_item_without_a_paper(self, client):
        assert "There is no paper for this item." in text_of(client.get(PACK + "items/1/"))


class TestNotFound:
    @pytest.mark.parametrize(
        "url",
        [
            "/boards/no-such-board/",
            "/boards/no-such-board/2017-11-01/",
            "/boards/improvement-and-innovation-board/2017-11-02/",
            "/boards/improvement-and-innovation-board/2017-02-30/",
            "/boards/improvement-and-innovation-board/2017-13-01/",
            PACK + "items/11/",
            PACK + "items/0/",
            PACK + "items/3/annex-a.pdf",
            PACK + "items/3/annex-z.pdf",
            "/boards/improvement-and-innovation-board/2018-01-30/",  # a draft, for the public
            "/no/such/page/",
        ],
    )
    def test_unknown_addresses_give_404(self, client, url):
        response = client.get(url)
        assert response.status_code == 404
        assert "Page not found" in text_of(response)


class TestQueryCount:
    @staticmethod
    def meeting_with(items: int) -> Meeting:
        meeting = factories.MeetingFactory()
        for number in range(1, items + 1):
            report = factories.ReportFactory(item=factories.AgendaItemFactory(meeting=meeting, number=number))
            factories.RecommendationFactory(report=report, number=1)
            factories.ReportContactFactory(report=report)
            factories.AnnexFactory(report=report, letter="A")
        factories.MembershipFactory.create_batch(3, board_year=meeting.board_year)
        return meeting

    def queries_for(self, client, meeting) -> int:
        url = meeting.get_absolute_url()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert AgendaItem.objects.filter(meeting=meeting).count() == response.content.decode().count(
            'class="app-pack-section" id="item-'
        )
        return len(queries)

    def test_the_pack_uses_as_many_queries_for_50_items_as_for_10(self, client):
        ten = self.queries_for(client, self.meeting_with(10))
        fifty = self.queries_for(client, self.meeting_with(50))
        assert ten == fifty

    def test_the_pack_query_count_is_pinned(self, client, django_assert_num_queries):
        url = self.meeting_with(10).get_absolute_url()
        # board, meeting, next meeting, items+reports, contacts, recommendations, annexes,
        # memberships, seat allocations, former names (board name on the day), its revisions.
        with django_assert_num_queries(11):
            client.get(url)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/boards/",
        "/boards/improvement-and-innovation-board/",
        PACK,
        *[f"{PACK}items/{number}/" for number in range(1, 11)],
    ],
)
def test_every_page_has_one_h1_and_headings_in_order(client, url):
    assert_one_h1_and_headings_in_order(text_of(client.get(url)))


def test_pages_declare_british_english_and_a_skip_link(client):
    html = text_of(client.get(PACK))
    assert '<html lang="en-GB"' in html
    assert 'href="#main-content"' in html
    assert 'id="main-content"' in html
