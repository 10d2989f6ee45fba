"""What the open data API says: the real 1 November 2017 meeting with its agenda in order, links both
ways, the public's view of confidential items, drafts and returns (whoever asks), the MoU's figures
by mou.rules, the lists' pages and date filters, and 404s and 400s in JSON."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from meetings.models import AgendaItem, Annex, Meeting
from mou import rules

from .conftest import DRAFT_DAY, SECRET

pytestmark = pytest.mark.django_db

API = "/api/oparl/v1.1/"
SITE = settings.LGABOARD_SITE_URL
NOVEMBER_AGENDA = [
    "Welcome, apologies and declarations of interest",
    "Membership and terms of reference for 2017/18",
    "Priorities and work programme",
    "Productivity programme",
    "Highlighting Leadership offer: 2017/18 update",
    "Sector-led Improvement for Care and Health",
    "Data and transparency programme",
    "Progressing next year's Innovation Zone",
    "LGA Boards' improvement activity",
    "Note of the Previous Meeting",
]


def get(client, url, **params):
    response = client.get(url.removeprefix(SITE), params)
    assert response.status_code == 200, (url, response.content[:300])
    return response.json()


def meeting_on(client, day: str) -> dict:
    meetings = get(client, f"{API}body/lga/meeting/")["data"]
    return next(m for m in meetings if m["lgaboard:date"] == day)


def item_of(meeting: Meeting, number: int) -> AgendaItem:
    return meeting.items.get(number=number)


class TestTheRecord:
    def test_the_system_leads_to_the_body_and_its_lists(self, client):
        system = get(client, API)
        assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
        body = get(client, system["body"])["data"][0]
        assert (body["name"], body["shortName"]) == ("Local Government Association", "LGA")
        assert get(client, body["id"]) == body
        assert body["legislativeTerm"][0]["name"] == "Improvement and Innovation Board 2017/18"
        assert body["legislativeTerm"][0]["startDate"] == "2017-04-01"
        # 11 July and 1 November 2017; not the 30 January 2018 meeting, a draft
        assert get(client, body["meeting"])["pagination"]["totalElements"] == 2

    def test_the_november_meeting_with_its_agenda_in_order(self, client):
        meeting = meeting_on(client, "2017-11-01")
        assert meeting["name"] == "Improvement and Innovation Board, 1 November 2017"
        assert (
            meeting["location"]["description"]
            == "Westminster Room, 8th Floor, 18 Smith Square, London, SW1P 3HZ"
        )
        assert [item["name"] for item in meeting["agendaItem"]] == NOVEMBER_AGENDA
        assert [item["order"] for item in meeting["agendaItem"]] == list(range(1, 11))
        assert meeting["invitation"]["accessUrl"].endswith(
            "/boards/improvement-and-innovation-board/2017-11-01/pack.pdf"
        )
        assert get(client, meeting["id"]) == meeting

    def test_links_run_both_ways(self, client, november_meeting):
        meeting = meeting_on(client, "2017-11-01")
        embedded = meeting["agendaItem"][3]
        item = get(client, embedded["id"])
        assert item == embedded | {"meeting": meeting["id"]}  # the embedded copy leaves out its parent
        paper = get(client, item["lgaboard:paper"])
        assert paper["name"] == "Productivity programme"
        consultation = get(client, item["consultation"])
        assert consultation == paper["consultation"][0] | {"paper": paper["id"]}
        assert consultation["agendaItem"] == item["id"]
        assert consultation["meeting"] == meeting["id"]
        organization = get(client, meeting["organization"][0])
        assert organization["name"] == "Improvement and Innovation Board"
        assert meeting in get(client, organization["meeting"])["data"]
        membership = get(client, organization["membership"][0])
        assert membership["organization"] == organization["id"]
        person = get(client, membership["person"])
        assert person["membership"][0] | {"person": person["id"]} == membership
        assert (person["name"], person["formOfAddress"]) == ("Cllr Paul Bettison OBE", "Cllr")
        assert membership["role"] == "Chairman"

    def test_a_paper_has_its_pdf_and_annex_pdfs(self, client, api_meeting):
        item = get(client, f"{API}agenda-item/{item_of(api_meeting, 2).pk}/")
        paper = get(client, item["lgaboard:paper"])
        assert paper["mainFile"]["accessUrl"].endswith("/2018-03-14/items/2.pdf")
        (annex,) = paper["auxiliaryFile"]
        assert annex["name"] == "Annex A: Slides"
        assert get(client, annex["id"]) == annex | {"paper": [paper["id"]]}
        response = client.get(annex["accessUrl"].removeprefix(SITE))
        assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
        assert paper["lgaboard:purpose"] == ["information", "decision"]
        assert paper["consultation"][0]["role"] == "For information and decision."
        contact = get(client, paper["originatorPerson"][0])
        assert contact["name"] == "Dennis Skinner"

    def test_decisions_with_their_votes_and_actions_with_their_owner_and_progress(self, client, api_meeting):
        item = get(client, f"{API}agenda-item/{item_of(api_meeting, 2).pk}/")
        (decision,) = [get(client, url) for url in item["lgaboard:decision"]]
        assert decision["text"] == "Agreed the approach."
        assert (decision["outcome"], decision["votesFor"], decision["votesAgainst"]) == ("agreed", 9, 2)
        assert "abstentions" not in decision  # not recorded: not given
        assert decision["agendaItem"] == item["id"]
        (action,) = [get(client, url) for url in item["lgaboard:action"]]
        assert action["ownerName"] == "Dennis Skinner"
        assert get(client, action["owner"])["name"] == "Dennis Skinner"
        assert action["progress"] == [{"date": "2018-04-03", "text": "Letters drafted."}]
        assert (action["status"], action["dueDate"]) == ("open", "2018-06-30")
        deliverable = get(client, action["deliverable"][0])
        assert action["id"] in deliverable["action"]
        assert decision["id"] in deliverable["decision"]

    def test_a_decision_without_a_vote_gives_no_counts(self, client):
        decisions = get(client, f"{API}body/lga/decision/", limit=100)["data"]
        unvoted = [d for d in decisions if d["meeting"] == meeting_on(client, "2017-07-11")["id"]]
        assert unvoted
        assert not any({"votesFor", "votesAgainst", "abstentions"} & set(d) for d in unvoted)


class TestOnlyWhatThePublicMayRead:
    def test_a_confidential_item_is_its_title_only(self, client, api_meeting):
        closed = item_of(api_meeting, 3)
        item = get(client, f"{API}agenda-item/{closed.pk}/")
        assert item["public"] is False
        assert item["name"] == "Commercial negotiations"
        assert set(item) == {
            "id",
            "type",
            "meeting",
            "number",
            "order",
            "name",
            "public",
            "created",
            "modified",
        }
        report, annex = closed.report, Annex.objects.get(report__item=closed)
        for url in [
            f"paper/{report.pk}/",
            f"consultation/{report.pk}/",
            f"file/item-{closed.pk}/",
            f"file/annex-{annex.pk}/",
            f"decision/{closed.minute_entries.get().decisions.get().pk}/",
            f"action/{closed.minute_entries.get().actions.get().pk}/",
        ]:
            assert client.get(f"{API}{url}").status_code == 404, url

    def test_no_draft_meeting_whoever_asks(self, client, staff_client, api_meeting):
        draft = Meeting.objects.get(date=DRAFT_DAY)
        for reader in (client, staff_client):  # the API never reads the session: a clerk is the public
            assert reader.get(f"{API}meeting/{draft.pk}/").status_code == 404
            assert reader.get(f"{API}file/pack-{draft.pk}/").status_code == 404
            listed = reader.get(f"{API}body/lga/meeting/").content.decode()
            assert SECRET not in listed
            assert "2018-05-16" not in listed
        closed = item_of(api_meeting, 3)
        assert staff_client.get(f"{API}agenda-item/{closed.pk}/").json()["public"] is False

    def test_approved_returns_only_with_the_rules_total_and_percentage(self, client, api_meeting):
        deliverables = get(client, f"{API}body/lga/deliverable/", limit=100)["data"]
        first = next(d for d in deliverables if d["theme"].startswith("Enabling") and d["reference"] == "1")
        assert [r["quarter"] for r in first["quarterlyReturn"]] == [2]  # Q3 is a draft: not given
        assert first["quarterlyReturn"][0]["figure"] == 31
        assert (first["target"], first["rule"], first["targetLabel"]) == (
            110,
            "cumulative",
            "at least 110 peer challenges",
        )
        assert first["totalToDate"] == 31
        assert first["percentAchieved"] == rules.percent_achieved(31, 110) == 28
        assert first["subTarget"][0]["label"] == "at least 70 corporate or finance peer reviews"


class TestLists:
    def test_pages_follow_one_another_by_their_next_links(self, client):
        url, seen, pages = f"{API}body/lga/person/?limit=20", [], 0
        while url:
            page = get(client, url)
            pages += 1
            assert page["pagination"]["currentPage"] == pages
            assert page["links"]["first"].endswith("?limit=20&page=1")
            seen += [person["id"] for person in page["data"]]
            url = page["links"].get("next")
        assert pages == page["pagination"]["totalPages"] > 1
        assert "prev" in page["links"]
        assert len(seen) == len(set(seen)) == page["pagination"]["totalElements"]

    def test_modified_since_gives_what_changed_since(self, client, november_meeting):
        cutoff = timezone.now()
        november_meeting.refreshments = "Tea and coffee"
        november_meeting.save()
        changed = get(client, f"{API}body/lga/meeting/", modified_since=cutoff.isoformat())
        assert [m["lgaboard:date"] for m in changed["data"]] == ["2017-11-01"]
        assert "modified_since=" in changed["links"]["first"]
        before = get(client, f"{API}body/lga/meeting/", modified_until=cutoff.isoformat())
        assert [m["lgaboard:date"] for m in before["data"]] == ["2017-07-11"]
        assert get(client, f"{API}body/lga/meeting/", created_since=cutoff.isoformat())["data"] == []
        # A '+' typed into the address unencoded arrives as a space, and is read as the '+' it was.
        typed = client.get(f"{API}body/lga/meeting/?modified_since={cutoff.isoformat()}")
        assert typed.json()["data"] == changed["data"]

    @pytest.mark.parametrize("value", ["yesterday", "2017-13-01", "2017-02-30T10:00:00"])
    def test_a_bad_date_filter_is_a_400_saying_what_is_wanted(self, client, value):
        response = client.get(f"{API}body/lga/meeting/", {"modified_since": value})
        assert response.status_code == 400
        message = response.json()["error"]["message"]
        assert message.startswith("modified_since must be a date and time in ISO 8601")
        assert repr(value) in message

    @pytest.mark.parametrize(
        ("params", "status"), [({"page": "9"}, 404), ({"page": "x"}, 400), ({"limit": "0"}, 400)]
    )
    def test_pages_that_are_not_there(self, client, params, status):
        response = client.get(f"{API}body/lga/meeting/", params)
        assert response.status_code == status
        assert response.json()["error"]["status"] == status


@pytest.mark.parametrize(
    "url",
    [
        "nonsense/1/",
        "meeting/abc/",
        "meeting/99999999999999999999999/",
        "meeting/0/",
        "file/bogus-1/",
        "file/annex-/",
        "body/other/",
        "body/other/meeting/",
        "body/lga/nonsense/",
        "organization/999999/meeting/",
        "some/deeper/address/",
    ],
)
def test_unknown_or_malformed_addresses_are_404s_in_json(client, url):
    response = client.get(f"{API}{url}")
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


def test_any_web_page_may_read_it(client):
    assert client.get(API)["Access-Control-Allow-Origin"] == "*"
    assert client.post(API).status_code == 405  # read-only


def test_a_meeting_time_is_given_only_where_the_papers_give_it(client, api_meeting):
    assert (
        get(client, f"{API}meeting/{api_meeting.pk}/")["start"]
        == timezone.make_aware(datetime.datetime(2018, 3, 14, 11)).isoformat()
    )
    assert "start" not in meeting_on(client, "2017-07-11")
