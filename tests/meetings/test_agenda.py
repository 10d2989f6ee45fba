"""The agenda in one place, on the meeting's admin page: items in order, numbered by their order,
moved up and down by buttons of the meeting's own form (no JavaScript), each with its item and
report pages from its row."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from meetings import services
from meetings.models import AgendaItem, Meeting
from tests import factories
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    meeting = factories.MeetingFactory(status=Meeting.Status.DRAFT, hashtag="#old")
    for number, title in enumerate(["Welcome", "Finance update", "Contract renewal"], start=1):
        factories.AgendaItemFactory(meeting=meeting, number=number, title=title)
    return meeting


def change_url(meeting) -> str:
    return f"/admin/meetings/meeting/{meeting.pk}/change/"


def agenda(meeting) -> list[tuple[int, str]]:
    return list(meeting.items.order_by("number").values_list("number", "title"))


def item(meeting, title) -> AgendaItem:
    return meeting.items.get(title=title)


def test_the_agenda_lists_the_items_in_order_with_their_tools(staff_client, meeting):
    html = staff_client.get(change_url(meeting)).content.decode()
    rows = re.findall(r'<tr[^>]*class="form-row[^"]*"[^>]*id="items-\d+".*?</tr>', html, re.S)
    assert [re.search(r'name="items-\d+-title"[^>]*value="([^"]*)"', row).group(1) for row in rows] == [
        "Welcome",
        "Finance update",
        "Contract renewal",
    ]
    middle = rows[1]
    # The first cannot go up, the last cannot go down.
    assert ["Move up" in row for row in rows] == [False, True, True]
    assert ["Move down" in row for row in rows] == [True, True, False]
    finance = item(meeting, "Finance update")
    assert f'href="/admin/meetings/agendaitem/{finance.pk}/change/">Edit item' in middle
    assert f'href="/admin/meetings/report/add/?item={finance.pk}">Add report' in middle
    assert f'href="/admin/meetings/report/from-word/{finance.pk}/">Report from Word…' in middle
    # Each button says which item it moves, to someone who cannot see the row.
    hidden = '<span class="visually-hidden"> item 2</span>'
    assert f'name="_move" value="{finance.pk}:up">Move up{hidden}' in middle


def test_enter_in_a_field_saves_rather_than_moving_the_first_item(staff_client, meeting):
    """A browser submits a form on Enter with its first submit button: that must be Save and
    continue editing, not the first item's Move down."""
    html = staff_client.get(change_url(meeting)).content.decode()
    form = html[html.index('id="meeting_form"') :]
    first_button = re.search(r"<button[^>]*>", form).group(0)
    assert 'type="submit"' in first_button
    assert 'name="_continue"' in first_button


def test_move_down_swaps_two_items_and_keeps_what_was_typed(staff_client, meeting):
    finance = item(meeting, "Finance update")
    data = form_data(staff_client.get(change_url(meeting)).content.decode(), "meeting_form")
    data["hashtag"] = "#lgaib"  # typed before pressing the button: not lost
    data["_move"] = f"{finance.pk}:down"
    response = staff_client.post(change_url(meeting), data, follow=True)
    assert response.redirect_chain == [(change_url(meeting) + "#items-group", 302)]
    assert "Finance update is now item 3." in response.content.decode()
    assert agenda(meeting) == [(1, "Welcome"), (2, "Contract renewal"), (3, "Finance update")]
    meeting.refresh_from_db()
    assert meeting.hashtag == "#lgaib"
    # Each renumbered item keeps its history, and the number is what the history says last.
    assert finance.history.first().number == 3


def test_move_up_of_the_first_item_moves_nothing_and_says_so(staff_client, meeting):
    welcome = item(meeting, "Welcome")
    data = form_data(staff_client.get(change_url(meeting)).content.decode(), "meeting_form")
    data["_move"] = f"{welcome.pk}:up"
    response = staff_client.post(change_url(meeting), data, follow=True)
    assert "Welcome is already first." in response.content.decode()
    assert agenda(meeting) == [(1, "Welcome"), (2, "Finance update"), (3, "Contract renewal")]


@pytest.mark.parametrize(
    "move", ["nonsense", "99999999999999999999999:up", "²:down", "{other}:down", "{own}:sideways"]
)
def test_a_move_of_something_not_on_the_agenda_moves_nothing(staff_client, meeting, move):
    other = factories.AgendaItemFactory(number=1, title="Another meeting's item")
    own = item(meeting, "Finance update")
    data = form_data(staff_client.get(change_url(meeting)).content.decode(), "meeting_form")
    data["_move"] = move.format(other=other.pk, own=own.pk)
    response = staff_client.post(change_url(meeting), data, follow=True)
    assert "That item is not on this agenda: nothing was moved." in response.content.decode()
    assert agenda(meeting) == [(1, "Welcome"), (2, "Finance update"), (3, "Contract renewal")]
    other.refresh_from_db()
    assert other.number == 1


def test_new_items_are_numbered_after_the_last_in_the_order_typed(staff_client, meeting):
    data = form_data(staff_client.get(change_url(meeting)).content.decode(), "meeting_form")
    data.update(
        {
            "items-TOTAL_FORMS": "5",
            "items-3-title": "Cyber security",
            "items-3-kind": "paper",
            "items-4-title": "Date of next meeting",
            "items-4-kind": "paper",
        }
    )
    response = staff_client.post(change_url(meeting), data, follow=True)
    assert "was changed successfully" in response.content.decode()
    assert agenda(meeting) == [
        (1, "Welcome"),
        (2, "Finance update"),
        (3, "Contract renewal"),
        (4, "Cyber security"),
        (5, "Date of next meeting"),
    ]


def test_a_new_meeting_numbers_its_items_from_one(staff_client, meeting):
    data = form_data(staff_client.get("/admin/meetings/meeting/add/").content.decode(), "meeting_form")
    data.update(
        {
            "board_year": meeting.board_year.pk,
            "date": "2018-03-14",
            "start_time": "11:00",
            "venue": meeting.venue.pk,
            "items-TOTAL_FORMS": "2",
            "items-0-title": "Finance update",
            "items-0-kind": "paper",
            "items-1-title": "Contract renewal",
            "items-1-kind": "paper",
        }
    )
    staff_client.post("/admin/meetings/meeting/add/", data)
    new = Meeting.objects.get(date="2018-03-14")
    assert agenda(new) == [(1, "Finance update"), (2, "Contract renewal")]


def test_deleting_an_item_closes_up_the_agenda(staff_client, meeting):
    data = form_data(staff_client.get(change_url(meeting)).content.decode(), "meeting_form")
    row = next(key for key, value in data.items() if key.endswith("-title") and value == "Finance update")
    data[row.replace("-title", "-DELETE")] = "on"
    staff_client.post(change_url(meeting), data)
    assert agenda(meeting) == [(1, "Welcome"), (2, "Contract renewal")]


def test_numbering_in_order_swaps_without_two_items_ever_sharing_a_number(meeting):
    """The numbers are unique per meeting in the database too: a swap goes through a number set aside."""
    welcome, finance, contract = meeting.items.order_by("number")
    services.agenda_number_in_order(meeting, [contract.pk, welcome.pk, finance.pk])
    assert agenda(meeting) == [(1, "Contract renewal"), (2, "Welcome"), (3, "Finance update")]
    assert services.agenda_move(item=contract, up=True) is False
    assert services.agenda_move(item=finance, up=False) is False


def test_moving_needs_the_right_to_change_the_meeting(meeting, django_user_model):
    reader = django_user_model.objects.create_user("reader", password="x", is_staff=True)
    reader.user_permissions.set(Permission.objects.filter(codename__in=["view_meeting", "view_agendaitem"]))
    client = Client()
    client.force_login(reader)
    page = client.get(change_url(meeting)).content.decode()
    assert "Welcome" in page
    assert "Move down" not in page  # a read-only page offers no moves
    finance = item(meeting, "Finance update")
    response = client.post(change_url(meeting), {"_move": f"{finance.pk}:down"})
    assert response.status_code == 403
    assert agenda(meeting) == [(1, "Welcome"), (2, "Finance update"), (3, "Contract renewal")]


def test_add_report_from_the_row_offers_that_item_alone_and_returns_to_the_agenda(staff_client, meeting):
    finance = item(meeting, "Finance update")
    factories.AgendaItemFactory(number=1, title="Another meeting's item")
    url = f"/admin/meetings/report/add/?item={finance.pk}"
    page = staff_client.get(url).content.decode()
    select = re.search(r'<select name="item".*?</select>', page, re.S).group(0)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", select) == ["---------", "2. Finance update"]
    assert f'value="{finance.pk}" selected' in select
    data = form_data(page, "report_form")
    data.update({"title": "Finance update", "for_information": "on", "body": "Spending is on budget."})
    response = staff_client.post(url, data, follow=True)
    assert response.redirect_chain[-1] == (change_url(meeting) + "#items-group", 302)
    finance.refresh_from_db()
    assert finance.report.body == "Spending is on budget."
    row = staff_client.get(change_url(meeting)).content.decode()
    assert f'href="/admin/meetings/report/{finance.report.pk}/change/">Edit report' in row


@pytest.mark.parametrize("item", ["²", "99999999999999999999999", "nonsense"])
def test_adding_a_report_for_an_item_that_cannot_be_offers_the_items_without_one(staff_client, meeting, item):
    page = staff_client.get(f"/admin/meetings/report/add/?item={item}").content.decode()
    assert "2. Finance update" in page  # the list of items that have no report yet


def test_an_item_number_beyond_999_is_refused_on_the_items_page(staff_client, meeting):
    """Moving items sets numbers aside above any item's; 999 items is more than any agenda has."""
    finance = item(meeting, "Finance update")
    url = f"/admin/meetings/agendaitem/{finance.pk}/change/"
    data = form_data(staff_client.get(url).content.decode())
    data["number"] = "22768"
    response = staff_client.post(url, data)
    assert "Ensure this value is less than or equal to 999." in response.content.decode()
    finance.refresh_from_db()
    assert finance.number == 2
