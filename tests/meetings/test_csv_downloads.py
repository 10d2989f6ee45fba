"""A board's tables as CSV: its meetings, its members with their attendance, and its actions with
their progress, read back with the csv module. They hold what the public may read, whoever asks:
published meetings only, nothing of a confidential item; text never runs as a formula; the actions
honour the page's filters; and a download takes as many queries for many rows as for a few."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import Action, AgendaItem, BoardYear, Exemption, Meeting, Minutes
from meetings.services import action_add_progress, minutes_approve
from tests import factories

pytestmark = pytest.mark.django_db

BOARD = "/boards/improvement-and-innovation-board"
MEETINGS = f"{BOARD}/meetings.csv"
MEMBERS = f"{BOARD}/members/2017-18.csv"
ACTIONS = f"{BOARD}/actions.csv"
PLANTED = '=HYPERLINK("https://example.org/steal","Click for the papers")'


def read(response, filename: str) -> list[dict[str, str]]:
    """The download's rows by column heading, after checking it is a UTF-8 CSV attachment."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads it as UTF-8
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def board_year(start_year: int = 2017):
    return BoardYear.objects.get(board__slug="improvement-and-innovation-board", start_year=start_year)


def july_actions() -> list[Action]:
    return list(Action.objects.filter(entry__minutes__meeting__date="2017-07-11").order_by("pk"))


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


class TestMeetings:
    def test_the_published_meetings_with_their_papers_and_minutes(self, client):
        rows = read(client.get(MEETINGS), "improvement-and-innovation-board-meetings.csv")
        assert [row["Date"] for row in rows] == ["2017-11-01", "2017-07-11"]  # not the draft of 30 January
        november, july = rows
        assert november["Time"] == "11:00"
        assert november["Year"] == "2017/18"
        assert november["Venue"] == "Westminster Room, 8th Floor, 18 Smith Square, London, SW1P 3HZ"
        assert november["Status"] == "Published"
        assert november["Published on"] == ""  # the papers do not say: not the day the demo was loaded
        assert november["Latest revision"] == "1"
        assert november["Items"] == "10"
        assert november["Agenda pack"] == f"http://testserver{BOARD}/2017-11-01/"
        assert november["Agenda pack (PDF)"] == f"http://testserver{BOARD}/2017-11-01/pack.pdf"
        assert (november["Minutes"], november["Note of the meeting"]) == ("", "")  # none written
        assert july["Time"] == ""  # the papers give none
        assert july["Items"] == "8"
        assert july["Minutes"] == "Draft"
        assert july["Minutes approved at the meeting of"] == ""
        assert july["Note of the meeting"] == f"http://testserver{BOARD}/2017-07-11/minutes/"

    def test_approved_minutes_say_at_which_meeting(self, client, november_meeting):
        minutes_approve(minutes=Minutes.objects.get(meeting__date="2017-07-11"), at_meeting=november_meeting)
        july = read(client.get(MEETINGS), "improvement-and-innovation-board-meetings.csv")[1]
        assert (july["Minutes"], july["Minutes approved at the meeting of"]) == ("Approved", "2017-11-01")

    def test_items_are_counted_as_the_public_received_the_pack(self, client, november_meeting):
        """An item added since publication reaches the public with the next revision, not before."""
        AgendaItem.objects.create(meeting=november_meeting, number=11, title="Added after publication")
        november = read(client.get(MEETINGS), "improvement-and-innovation-board-meetings.csv")[0]
        assert november["Items"] == "10"

    def test_the_year_filter_of_the_board_page_is_honoured(self, client):
        rows = read(
            client.get(f"{MEETINGS}?board_year={board_year(2016).pk}"),
            "improvement-and-innovation-board-meetings.csv",
        )
        assert [row["Date"] for row in rows] == ["2017-07-11"]

    def test_a_signed_in_clerk_receives_the_public_file_too(self, staff_client):
        rows = read(staff_client.get(MEETINGS), "improvement-and-innovation-board-meetings.csv")
        assert "2018-01-30" not in [row["Date"] for row in rows]

    def test_the_board_page_links_to_it_keeping_the_filter(self, client):
        page = client.get(f"{BOARD}/").content.decode()
        assert f'<a class="govuk-link" href="{MEETINGS}">Download the meetings (CSV)</a>' in page
        filtered = client.get(f"{BOARD}/?board_year={board_year().pk}&sort=date").content.decode()
        assert f'href="{MEETINGS}?board_year={board_year().pk}">Download the meetings that match' in filtered

    def test_queries_do_not_grow_with_the_meetings(self, client, django_assert_num_queries):
        few = count_queries(client, MEETINGS)
        for n in range(3):
            meeting = factories.MeetingFactory(board_year=board_year(), date=datetime.date(2018, 2, 1 + n))
            factories.AgendaItemFactory(meeting=meeting)
            factories.MinutesFactory(meeting=meeting)
        with django_assert_num_queries(few):
            rows = read(client.get(MEETINGS), "improvement-and-innovation-board-meetings.csv")
        assert len(rows) == 5

    def test_text_cannot_run_as_a_formula(self, client, november_meeting):
        venue = november_meeting.venue
        venue.room = PLANTED
        venue.save()
        november = read(client.get(MEETINGS), "improvement-and-innovation-board-meetings.csv")[0]
        assert november["Venue"].startswith(f"'{PLANTED}")


class TestMembers:
    def test_every_member_of_the_year_as_the_board_page_lists_them(self, client):
        rows = read(client.get(MEMBERS), "improvement-and-innovation-board-members-2017-18.csv")
        assert len(rows) == 34
        assert rows[0] == {
            "Name": "Cllr Paul Bettison OBE",
            "Role": "Chairman",
            "Political group": "Conservative",
            "Authority": "Bracknell Forest Borough Council",
            "Type of authority": "Unitary",
            "Organisation": "",
            "Meetings with attendance recorded": "0",  # the November note is not yet written
            "Present": "0",
            "Attendance rate (%)": "",
            "1 November 2017": "Not recorded",
        }
        by_name = {row["Name"]: row for row in rows}
        substitute = by_name["Cllr Thomas Garrod"]
        assert (substitute["Role"], substitute["Authority"]) == ("Substitute", "Norfolk County Council")
        assert substitute["1 November 2017"] == ""  # the register counts members holding a seat
        observer = rows[-1]
        assert observer["Name"] == "Mr Philip Sellwood"
        assert observer["Role"] == "Observer"
        assert observer["Political group"] == ""
        assert observer["Organisation"].startswith("Energy Saving Trust")

    def test_attendance_as_the_register_counts_it(self, client):
        """2016/17: the papers give no membership, so the register lists those the July note records
        as members, with what it records."""
        rows = read(
            client.get(f"{BOARD}/members/2016-17.csv"), "improvement-and-innovation-board-members-2016-17.csv"
        )
        by_name = {row["Name"]: row for row in rows}
        nunn = by_name["Cllr William Nunn"]
        assert (nunn["Role"], nunn["Political group"], nunn["11 July 2017"]) == ("Chairman", "", "Present")
        assert (nunn["Meetings with attendance recorded"], nunn["Present"], nunn["Attendance rate (%)"]) == (
            "1",
            "1",
            "100",
        )
        assert by_name["Cllr Sue Woodward"]["11 July 2017"] == "Apologies"
        assert by_name["Cllr Sue Woodward"]["Attendance rate (%)"] == "0"

    def test_a_draft_meeting_is_no_column(self, client):
        year = board_year()
        factories.MeetingFactory(board_year=year, date=datetime.date(2018, 3, 7), status=Meeting.Status.DRAFT)
        response = client.get(MEMBERS)
        headings = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert headings[-1] == "1 November 2017"
        assert "7 March 2018" not in headings

    def test_the_register_links_to_it(self, client):
        page = client.get(f"{BOARD}/attendance/2017-18/").content.decode()
        assert f'href="{MEMBERS}">Download the members and their attendance (CSV)</a>' in page
        board = client.get(f"{BOARD}/").content.decode()
        assert f'href="{MEMBERS}">Download the members 2017/18 and their attendance (CSV)</a>' in board

    def test_an_unknown_year_or_board_is_not_found(self, client):
        assert client.get(f"{BOARD}/members/2030-31.csv").status_code == 404
        assert client.get("/boards/no-such-board/members/2017-18.csv").status_code == 404

    def test_queries_do_not_grow_with_the_members_and_meetings(self, client, django_assert_num_queries):
        few = count_queries(client, MEMBERS)
        year = board_year()
        for n in range(3):
            meeting = factories.MeetingFactory(board_year=year, date=datetime.date(2018, 2, 1 + n))
            minutes = factories.MinutesFactory(meeting=meeting)
            member = factories.MembershipFactory(board_year=year).person
            factories.AttendanceFactory(minutes=minutes, person=member)
        with django_assert_num_queries(few):
            rows = read(client.get(MEMBERS), "improvement-and-innovation-board-members-2017-18.csv")
        assert len(rows) == 37


class TestActions:
    def test_every_action_with_who_it_is_for_and_its_progress(self, client):
        first = july_actions()[0]
        action_add_progress(action=first, date=datetime.date(2017, 9, 1), text="Met the team.")
        action_add_progress(
            action=first, date=datetime.date(2017, 10, 2), text="Trial agreed with two councils."
        )
        rows = read(client.get(ACTIONS), "improvement-and-innovation-board-actions.csv")
        assert len(rows) == 7
        nudges = next(row for row in rows if "nudges" in row["Action"])
        assert nudges["Meeting"] == "2017-07-11"
        assert nudges["Item"] == "3. Productivity Programme"
        assert nudges["Action by"] == "Officers"
        assert nudges["Status"] == "Open"
        assert nudges["Due"] == ""  # the note gives no date
        assert (nudges["Latest progress on"], nudges["Latest progress"]) == (
            "2017-10-02",
            "Trial agreed with two councils.",
        )
        assert nudges["Earlier progress"] == "2017-09-01: Met the team."
        assert nudges["Note of the meeting"] == f"http://testserver{BOARD}/2017-07-11/minutes/"

    def test_the_filters_of_the_actions_page_are_honoured(self, client):
        done = july_actions()[1]
        done.status = Action.Status.DONE
        done.save()
        rows = read(client.get(f"{ACTIONS}?status=done"), "improvement-and-innovation-board-actions.csv")
        assert [row["Action"] for row in rows] == [done.text]
        assert (
            len(read(client.get(f"{ACTIONS}?status=open"), "improvement-and-innovation-board-actions.csv"))
            == 6
        )

    def test_the_actions_page_links_to_it_keeping_the_filter(self, client):
        page = client.get(f"{BOARD}/actions/?status=open&sort=status&page=1").content.decode()
        assert f'href="{ACTIONS}?status=open">Download the actions that match the filters (CSV)</a>' in page
        assert (
            f'href="{ACTIONS}">Download the actions (CSV)</a>'
            in client.get(f"{BOARD}/actions/").content.decode()
        )

    def test_an_action_on_a_confidential_item_is_not_in_it(self, client, november_meeting):
        item = AgendaItem.objects.create(
            meeting=november_meeting,
            number=12,
            title="Commercial negotiations",
            confidential=True,
            exemption=Exemption.FINANCIAL,
        )
        minutes = factories.MinutesFactory(meeting=november_meeting)
        entry = factories.MinuteEntryFactory(minutes=minutes, agenda_item=item)
        factories.ActionFactory(entry=entry, text="Negotiate the supplier's price down")
        open_item = AgendaItem.objects.create(meeting=november_meeting, number=13, title="Toolkit")
        open_entry = factories.MinuteEntryFactory(minutes=minutes, agenda_item=open_item)
        factories.ActionFactory(entry=open_entry, text="Publish the toolkit")
        actions = [
            row["Action"] for row in read(client.get(ACTIONS), "improvement-and-innovation-board-actions.csv")
        ]
        assert "Publish the toolkit" in actions
        assert "Negotiate the supplier's price down" not in actions

    def test_text_cannot_run_as_a_formula(self, client):
        action_add_progress(action=july_actions()[0], date=datetime.date(2017, 9, 1), text=PLANTED)
        rows = read(client.get(ACTIONS), "improvement-and-innovation-board-actions.csv")
        planted = next(row for row in rows if "nudges" in row["Action"])
        assert planted["Latest progress"] == f"'{PLANTED}"

    def test_queries_do_not_grow_with_the_actions(self, client, django_assert_num_queries):
        few = count_queries(client, ACTIONS)
        minutes = Minutes.objects.get(meeting__date="2017-07-11")
        item = AgendaItem.objects.create(meeting=minutes.meeting, number=20, title="Any other business")
        for n in range(4):
            entry = factories.MinuteEntryFactory(minutes=minutes, agenda_item=item)
            action = factories.ActionFactory(entry=entry, text=f"More {n}")
            action_add_progress(action=action, date=datetime.date(2017, 9, 1), text="Under way.")
        with django_assert_num_queries(few):
            rows = read(client.get(ACTIONS), "improvement-and-innovation-board-actions.csv")
        assert len(rows) == 11
