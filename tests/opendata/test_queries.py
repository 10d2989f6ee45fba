"""A list page's queries do not grow with its length: the same number for a page of one object (the
last, which has every kind of related row the list reads) as for a page of them all."""

import pytest

pytestmark = pytest.mark.django_db

LIST = "/api/oparl/v1.1/body/lga/{kind}/"

# kind: queries (the count, the page, then each prefetch the selector decides)
QUERIES = {
    "organization": 4,
    "legislative-term": 2,
    "person": 4,  # memberships; the contact officers the published papers name
    "membership": 2,
    # former names, items as published, their minute entries, decisions, actions, who was there
    # (and the contacts and annexes of reports, read as they stand for an unrevised meeting)
    "meeting": 11,
    "agenda-item": 8,
    "paper": 6,
    "consultation": 5,
    "location": 3,
    "deliverable": 7,  # sub-targets, approved returns, papers, decisions, actions
    "decision": 3,
    "action": 4,
}


@pytest.mark.parametrize(("kind", "queries"), QUERIES.items())
def test_a_list_page_reads_as_many_queries_for_one_object_as_for_all(
    api_meeting, client, django_assert_num_queries, kind, queries
):
    url = LIST.format(kind=kind)
    everything = client.get(url, {"limit": 100}).json()
    assert everything["pagination"]["totalPages"] == 1
    many = len(everything["data"])
    assert many > 1 or kind == "organization"  # one board: its members and years make it many rows
    with django_assert_num_queries(queries):
        one = client.get(url, {"limit": 1, "page": many}).json()
    assert len(one["data"]) == 1
    assert one["data"][0] == everything["data"][-1]
    with django_assert_num_queries(queries):
        assert len(client.get(url, {"limit": 100}).json()["data"]) == many


def test_a_boards_meetings_read_as_many_queries_as_all_meetings(
    api_meeting, client, django_assert_num_queries
):
    board = api_meeting.board_id
    with django_assert_num_queries(QUERIES["meeting"] + 1):  # the board, first
        meetings = client.get(f"/api/oparl/v1.1/organization/{board}/meeting/").json()["data"]
    assert [m["lgaboard:date"] for m in meetings] == ["2017-11-01", "2017-07-11", "2018-03-14"]
