"""The API gives what the public received, not what the clerk is working on: an edit to a published
pack (a title, a note, a report's title, contacts, an annex, the confidential flag, the numbering)
reaches the API when the clerk publishes it as a revision, as it reaches the public's page. Revisions
published before particulars were kept have them where nothing has changed since (migration 0023)."""

import datetime
import importlib
import types

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from meetings.models import AgendaItem, Annex, FrozenItem, Meeting, PackRevision, Person, ReportContact
from meetings.services import meeting_publish_changes

from .conftest import SECRET

pytestmark = pytest.mark.django_db

API = "/api/oparl/v1.1/"
EVERY_LIST = [
    "meeting",
    "agenda-item",
    "paper",
    "consultation",
    "person",
    "decision",
    "action",
    "deliverable",
]


def get(client, path, **params):
    response = client.get(f"{API}{path}", params)
    assert response.status_code == 200, (path, response.content[:300])
    return response.json()


def everything(client) -> str:
    """Every list of the API, as one text to search."""
    return "".join(
        client.get(f"{API}body/lga/{kind}/", {"limit": 100}).content.decode() for kind in EVERY_LIST
    )


def agenda(client, meeting: Meeting) -> list[tuple[str, str]]:
    return [(i["number"], i["name"]) for i in get(client, f"meeting/{meeting.pk}/")["agendaItem"]]


def edit_without_publishing(meeting: Meeting) -> None:
    """The clerk's edits after publication, not published: item 2 retitled with a new note, its
    report retitled with a new contact and its annex retitled; item 3 no longer confidential."""
    item = meeting.items.get(number=2)
    AgendaItem.objects.filter(pk=item.pk).update(title="Retitled item", note="A new note")
    item.report.title = "Retitled report"
    item.report.save()
    stranger = Person.objects.create(first_name="Una", last_name="Published", slug="una-published")
    ReportContact.objects.create(report=item.report, person=stranger, order=9)
    Annex.objects.filter(report=item.report).update(title="Retitled slides")
    meeting.items.filter(number=3).update(confidential=False, exemption=None, exemption_reason="")


class TestAnEditNotYetPublished:
    def test_the_api_gives_the_published_particulars(self, client, api_meeting):
        edit_without_publishing(api_meeting)
        item = get(client, f"agenda-item/{api_meeting.items.get(number=2).pk}/")
        assert (item["name"], item.get("lgaboard:note")) == ("Sector-led improvement", None)
        paper = get(client, item["lgaboard:paper"].split(API)[1])
        assert paper["name"] == "Sector-led improvement"
        assert paper["mainFile"]["name"] == "Item 2: Sector-led improvement"
        assert [a["name"] for a in paper["auxiliaryFile"]] == ["Annex A: Slides"]
        assert len(paper["originatorPerson"]) == 1
        stranger = Person.objects.get(slug="una-published")
        assert client.get(f"{API}person/{stranger.pk}/").status_code == 404
        assert "Retitled" not in everything(client)

    def test_an_item_unticked_confidential_stays_withheld_until_published(self, client, api_meeting):
        edit_without_publishing(api_meeting)
        closed = api_meeting.items.get(number=3)
        item = get(client, f"agenda-item/{closed.pk}/")
        assert (item["public"], item["name"]) == (False, "Commercial negotiations")
        assert "lgaboard:paper" not in item
        for path in [
            f"paper/{closed.report.pk}/",
            f"consultation/{closed.report.pk}/",
            f"file/item-{closed.pk}/",
            f"file/annex-{closed.report.annexes.get().pk}/",
            f"decision/{closed.minute_entries.get().decisions.get().pk}/",
        ]:
            assert client.get(f"{API}{path}").status_code == 404, path
        assert SECRET not in everything(client)  # never the confidential report's title

    def test_modified_is_when_the_revision_was_published(self, client, api_meeting):
        edit_without_publishing(api_meeting)
        revision = api_meeting.revisions.get()
        item = get(client, f"agenda-item/{api_meeting.items.get(number=2).pk}/")
        paper = get(client, item["lgaboard:paper"].split(API)[1])
        published = get(client, "body/lga/meeting/", limit=100)["data"][-1]["agendaItem"][1]
        assert item["modified"] == paper["modified"] == published["modified"]
        assert item["modified"] == timezone.localtime(revision.published_at).isoformat()
        since = {"modified_since": (revision.published_at + datetime.timedelta(seconds=1)).isoformat()}
        changed = get(client, "body/lga/paper/", **since, limit=100)["data"]
        assert paper["id"] not in [p["id"] for p in changed]  # edited, but not published

    def test_publishing_the_changes_gives_them(self, client, api_meeting):
        edit_without_publishing(api_meeting)
        meeting_publish_changes(meeting=api_meeting, tell_people=False)
        item = get(client, f"agenda-item/{api_meeting.items.get(number=2).pk}/")
        assert (item["name"], item["lgaboard:note"]) == ("Retitled item", "A new note")
        paper = get(client, item["lgaboard:paper"].split(API)[1])
        assert paper["name"] == "Retitled report"
        assert [a["name"] for a in paper["auxiliaryFile"]] == ["Annex A: Retitled slides"]
        stranger = Person.objects.get(slug="una-published")
        assert f"{API}person/{stranger.pk}/" in paper["originatorPerson"][-1]
        assert get(client, f"person/{stranger.pk}/")["name"] == "Una Published"
        opened = get(client, f"agenda-item/{api_meeting.items.get(number=3).pk}/")
        assert opened["public"] is True
        assert get(client, opened["lgaboard:paper"].split(API)[1])["name"] == f"Title {SECRET}"


class TestTheAgendaAsPublished:
    def test_renumbering_and_inserting_items_wait_for_publication(self, client, api_meeting):
        published = agenda(client, api_meeting)
        assert published == [
            ("1", "Welcome, apologies and declarations"),
            ("2", "Sector-led improvement"),
            ("3", "Commercial negotiations"),
        ]
        moved = api_meeting.items.get(number=2)
        AgendaItem.objects.filter(pk=moved.pk).update(number=4)
        inserted = AgendaItem.objects.create(meeting=api_meeting, number=2, title=f"Inserted {SECRET}")
        assert agenda(client, api_meeting) == published
        assert get(client, f"agenda-item/{moved.pk}/")["number"] == "2"
        assert client.get(f"{API}agenda-item/{inserted.pk}/").status_code == 404
        assert SECRET not in everything(client)

        meeting_publish_changes(meeting=api_meeting, tell_people=False)
        assert agenda(client, api_meeting) == [
            ("1", "Welcome, apologies and declarations"),
            ("2", f"Inserted {SECRET}"),
            ("3", "Commercial negotiations"),
            ("4", "Sector-led improvement"),
        ]

    def test_an_item_deleted_since_publication_is_left_out_with_its_paper(self, client, api_meeting):
        gone = api_meeting.items.get(number=1)
        gone.delete()
        assert [number for number, _ in agenda(client, api_meeting)] == ["2", "3"]


def backfill() -> None:
    """Migration 0023's filling in of particulars, run on today's models (the same as its own)."""
    migration = importlib.import_module("meetings.migrations.0023_frozen_particulars")
    migration.particulars_where_unchanged(apps, types.SimpleNamespace(connection=connection))


def forget_particulars(meeting: Meeting) -> dict[int, dict]:
    """The meeting's latest revision as one published before particulars were kept."""
    frozen = FrozenItem.objects.filter(revision=meeting.revisions.order_by("-number")[0])
    kept = {f.number: f.particulars for f in frozen}
    frozen.update(particulars={}, agenda_item=None, report=None)
    return kept


class TestRevisionsFromBeforeParticulars:
    def test_unchanged_items_get_the_particulars_publishing_gives(self, november_meeting):
        kept = forget_particulars(november_meeting)  # all ten, the note of the previous meeting too
        generated = set(Annex.objects.filter(generated=True).values_list("pk", flat=True))
        for particulars in kept.values():  # annexes generated from the data are left out
            if report := particulars["report"]:
                report["annexes"] = [a for a in report["annexes"] if a["id"] not in generated]
        backfill()
        frozen = FrozenItem.objects.filter(revision__meeting=november_meeting).order_by("number")
        assert {f.number: f.particulars for f in frozen} == kept
        assert all(f.agenda_item.number == f.number for f in frozen)

    def test_an_item_changed_since_is_left_out(self, client, api_meeting):
        forget_particulars(api_meeting)
        api_meeting.items.filter(number=2).update(title=f"Unpublished {SECRET}")
        api_meeting.items.filter(number=3).update(confidential=False, exemption=None)
        backfill()
        assert agenda(client, api_meeting) == [("1", "Welcome, apologies and declarations")]
        assert SECRET not in everything(client)
        assert PackRevision.objects.get(meeting=api_meeting).items.get(number=2).particulars == {}


class TestFiltersAtTheEdges:
    @pytest.mark.parametrize("value", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
    def test_a_time_that_is_no_time_in_utc_is_a_400(self, client, value):
        response = client.get(f"{API}body/lga/meeting/", {"modified_since": value})
        assert response.status_code == 400
        assert response.json()["error"]["message"].startswith("modified_since must be a date and time")

    @pytest.mark.parametrize("name", ["limit", "page"])
    def test_thousands_of_digits_are_a_400(self, client, name):
        response = client.get(f"{API}body/lga/meeting/", {name: "9" * 5000})
        assert response.status_code == 400
        assert len(response.json()["error"]["message"]) < 200
