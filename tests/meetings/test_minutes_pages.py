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


def test_progress_on_an_action_shows_in_the_next_pack(client):
    minutes = Minutes.objects.get(meeting__date="2017-07-11")
    action = minutes.entries.get(agenda_item__number=5).actions.get(number=2)
    action_add_progress(action=action, date="2017-09-27", text="First round-table held in Birmingham.")
    item10 = page(client, PACK).split('id="item-10"', 1)[1]
    assert "<strong>27 September 2017:</strong> First round-table held in Birmingham." in item10


def test_a_meeting_without_a_note_has_no_minutes_page(client):
    assert client.get(PACK + "minutes/").status_code == 404
