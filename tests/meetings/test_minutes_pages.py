"""The July 2017 note as a member reads it, on its own page and as item 10 of the November pack."""

import re

import pytest

from meetings.models import Minutes
from meetings.services import action_add_progress

pytestmark = pytest.mark.django_db

MINUTES = "/boards/improvement-and-innovation-board/2017-07-11/minutes/"
PACK = "/boards/improvement-and-innovation-board/2017-11-01/"


def page(client, url) -> str:
    return re.sub(r"\s+", " ", client.get(url).content.decode())


def test_the_july_note_item_by_item(client):
    html = page(client, MINUTES)
    assert "Note of the meeting of 11 July 2017" in html
    assert "Layden House, 76-86 Turnmill Street, London, EC1M 5LG" in html
    welcome = html.index("Councillor William Nunn (Chairman) welcomed members")
    declaration = html.index(
        "Cllr Alan Connett declared an interest in item 6 as a co-deliverer of Leadership Academy."
    )
    assert welcome < declaration
    assert "The board agreed the minutes of the previous meeting." in html
    assert "Behavioural Insights" in html
    assert "Officers to explore with BIT how we can promote simple and effective" in html
    assert "Forty-eight out of 50 deliverables had been achieved" in html
    assert "Members agreed that the Innovation Zone had been very successful" in html
    assert "Action by: Officers" in html


def test_numbered_discussion_points_and_decisions(client):
    html = page(client, MINUTES)
    assert '<li value="4">Reported concern in the Treasury' in html
    assert '<li value="2">Agreed the report on sector-led improvement in 2016/17 for publishing.' in html


def test_appendix_a_attendance(client):
    html = page(client, MINUTES)
    appendix = html[html.index('id="appendix-a"') :]
    assert 'Chairman</td> <td class="govuk-table__cell">Cllr William Nunn</td>' in appendix
    assert "Breckland Council" in appendix
    assert "Mayor Dave Hodgson MBE" in appendix
    for apologies in ("Cllr Robert Gould", "Cllr Michael Wilcox", "Cllr Glen Sanderson JP"):
        assert apologies in appendix
    assert "Energy Saving Trust (EST)" in appendix
    assert "Head of Local Government, Behavioural Insights Team" in appendix
    assert "Members Services Officer" in appendix


def test_the_quorum_is_not_guessed_when_the_membership_is_unknown(client):
    assert "The membership for this year is not recorded, so the quorum cannot be worked out." in page(
        client, MINUTES
    )


def test_the_november_pack_ends_with_the_july_note_and_its_actions(client):
    html = page(client, PACK)
    item10 = html[html.index('id="item-10"') :]
    assert "10. Note of the Previous Meeting" in item10
    assert "Tuesday 11 July 2017" in item10
    assert "Draft</strong> not yet agreed as a correct record" in item10
    assert "Actions arising" in item10
    assert "Actions arising from the meeting of 11 July 2017" in item10
    assert "To organise round-table events for councillors" in item10
    assert "Open; no progress recorded yet." in item10
    assert "Appendix A: attendance" in item10


def test_progress_on_an_action_shows_in_the_next_pack(client, november_meeting):
    """The published pack is frozen: the progress reaches the public when the clerk publishes the
    change as a revision, which says that item 10 changed."""
    from meetings.services import meeting_publish_changes

    minutes = Minutes.objects.get(meeting__date="2017-07-11")
    action = minutes.entries.get(agenda_item__number=5).actions.get(number=2)
    action_add_progress(action=action, date="2017-09-27", text="First round-table held in Birmingham.")
    progress = "<strong>27 September 2017:</strong> First round-table held in Birmingham."
    assert progress not in page(client, PACK).split('id="item-10"', 1)[1]
    revision = meeting_publish_changes(meeting=november_meeting)
    assert revision.changes == ["Item 10 (Note of the Previous Meeting): changed"]
    assert progress in page(client, PACK).split('id="item-10"', 1)[1]


def test_a_meeting_without_a_note_has_no_minutes_page(client):
    assert client.get(PACK + "minutes/").status_code == 404


REGISTER = "/boards/improvement-and-innovation-board/attendance/"


def test_the_register_shows_who_came_and_who_sent_apologies(client):
    html = page(client, REGISTER + "2016-17/")
    assert "Attendance register 2016/17" in html
    assert (
        '<a class="govuk-link" href="/boards/improvement-and-innovation-board/2017-07-11/">11 Jul 2017</a>'
        in html
    )
    nunn = html[html.index("Cllr William Nunn") :]
    assert "Present" in nunn.split("</tr>")[0]
    assert "100%" in nunn.split("</tr>")[0]
    gould = html[html.index("Cllr Robert Gould") :].split("</tr>")[0]
    assert "Apologies" in gould
    assert "0%" in gould
    assert html.count("app-register__cell--present") == 14
    assert html.count("app-register__cell--apologies") == 6
    assert "Tim Pearse" not in html  # a guest, not a member


def test_the_register_of_a_year_whose_attendance_is_not_yet_recorded(client):
    html = page(client, REGISTER + "2017-18/")
    assert "Cllr Paul Bettison OBE" in html
    assert "Not recorded" in html
    assert "app-register__cell--present" not in html


def test_substitutes_are_shown_against_the_member_they_replaced(client, november_meeting):
    from meetings.models import Attendance, Minutes, Person

    minutes = Minutes.objects.create(meeting=november_meeting)
    Attendance.objects.create(
        minutes=minutes, person=Person.objects.get(slug="paul-bettison"), category="member", role="chairman"
    )
    Attendance.objects.create(
        minutes=minutes,
        person=Person.objects.get(slug="linda-robinson"),
        category="substitute",
        substitute_for=Person.objects.get(slug="janet-blake"),
    )
    html = page(client, REGISTER + "2017-18/")
    blake = html[html.index("Cllr Janet Blake") :].split("</tr>")[0]
    assert "Absent" in blake
    assert "Substitute: Cllr Linda Robinson" in blake
    assert "0%" in blake
    bettison = html[html.index("Cllr Paul Bettison OBE") :].split("</tr>")[0]
    assert "Present" in bettison
    assert "100%" in bettison


@pytest.mark.parametrize("year", ["2017-19", "2015-16", "17-18", "2017"])
def test_unknown_years_give_404(client, year):
    assert client.get(REGISTER + f"{year}/").status_code == 404


ACTIONS = "/boards/improvement-and-innovation-board/actions/"


def test_every_action_of_the_board_with_owner_meeting_status_and_progress(client):
    html = page(client, ACTIONS)
    # The July note's seven actions: one on behavioural insights, three on the productivity report,
    # one on the performance report, two on community cohesion.
    assert len(re.findall(r'<tr class="govuk-table__row (?:even|odd)">', html)) == 7
    assert "Officers to explore with BIT" in html
    assert '<a href="/boards/improvement-and-innovation-board/2017-07-11/minutes/">11 July 2017</a>' in html
    assert "None recorded" in html
    assert html.count(">Anyone</option>") == 1


def test_actions_filter_by_status_owner_and_year(client, django_user_model):
    from meetings.models import Action, Person

    action = Action.objects.get(text__startswith="To organise round-table events")
    action.status = Action.Status.DONE
    action.save()
    done = page(client, ACTIONS + "?status=done")
    assert "To organise round-table events" in done
    assert "Officers to explore with BIT" not in done

    action.owner = Person.objects.get(slug="mark-norris")
    action.owner_label = ""
    action.save()
    by_person = page(client, ACTIONS + f"?owner=p{action.owner_id}")
    assert "To organise round-table events" in by_person
    assert "Officers to explore with BIT" not in by_person
    assert "Officers to explore with BIT" in page(client, ACTIONS + "?owner=lOfficers")

    year_2017 = page(
        client,
        ACTIONS + f"?year={action.entry.minutes.meeting.board_year.board.years.get(start_year=2017).pk}",
    )
    assert "No actions match." in year_2017


def test_the_action_list_query_count_does_not_grow_with_actions(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get(ACTIONS)


def test_the_board_page_leads_to_the_records(client):
    html = page(client, "/boards/improvement-and-innovation-board/")
    assert 'href="/boards/improvement-and-innovation-board/actions/">Actions and their progress</a>' in html
    assert (
        'href="/boards/improvement-and-innovation-board/attendance/2017-18/">Attendance register 2017/18</a>'
        in html
    )
    assert (
        'href="/boards/improvement-and-innovation-board/attendance/2016-17/">Attendance register 2016/17</a>'
        in html
    )


def test_a_meeting_pack_links_to_its_note(client):
    html = page(client, "/boards/improvement-and-innovation-board/2017-07-11/")
    assert (
        'href="/boards/improvement-and-innovation-board/2017-07-11/minutes/">Note of this meeting</a>' in html
    )
    assert "Note of this meeting" not in page(client, PACK)
