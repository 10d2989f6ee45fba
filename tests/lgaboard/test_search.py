"""Search (/search/): the searches the issue names, on the real papers; only what the public may read;
the index kept current; the page. Tests marked for PostgreSQL run on CI's database."""

import re

import pytest
from django.db import connection

from lgaboard.models import SearchEntry
from lgaboard.search.selectors import Filters, marked, search, terms
from lgaboard.search.services import search_rebuild
from lgaboard.search.text import page_parts
from meetings import services
from meetings.models import AgendaItem, Meeting, Minutes, Report
from meetings.search import search_refresh_meeting
from mou import services as mou_services
from mou.models import Mou, QuarterlyReturn
from tests import factories

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="PostgreSQL's full-text search (CI's database)"
)
NOVEMBER = "/boards/improvement-and-innovation-board/2017-11-01/"


def found(text: str, **filters) -> list:
    return search(text, Filters(**filters)).hits


def titles(text: str, **filters) -> list[str]:
    return [re.sub("<[^>]+>", "", hit.title) for hit in found(text, **filters)]


def results_page(client, query: str) -> str:
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def admin_post(client, url: str, **changes):
    """Post an admin change form as it stands, with `changes`: its fields and its inlines' forms."""
    context = client.get(url).context
    data = {}
    forms = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        forms += formset.forms
    for form in forms:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = getattr(value, "pk", value)
    data.update(changes)
    return client.post(url, data)


class TestTheIssuesSearches:
    def test_peer_challenges_finds_the_papers_that_say_peer_challenge(self):
        hits = found("peer challenges")
        named = titles("peer challenges")
        assert "Enabling improvement in local authorities 1: Deliver at least 110 peer challenges…" in named
        assert "3. Priorities and work programme" in named
        # The singular, in the papers' words: deliverable 2 says "market peer challenge".
        assert any("Enabling improvement in local authorities 2:" in title for title in named)
        item3 = next(hit for hit in hits if hit.url == NOVEMBER + "items/3/")
        assert "<mark>" in item3.snippet
        assert "Improvement and Innovation Board, 1 November 2017" in item3.context

    def test_cyber_finds_item_4(self):
        hits = found("cyber")
        item4 = [hit for hit in hits if hit.url == NOVEMBER + "items/4/"]
        assert item4, [hit.url for hit in hits]
        assert "Cyber</mark> Security Centre will give a presentation" in item4[0].snippet
        # Among the first few: the presentation on cyber security is item 4's first line.
        assert NOVEMBER + "items/4/" in [hit.url for hit in hits[:3]]

    def test_grenfell_finds_what_mentions_it(self):
        urls = {hit.url for hit in found("Grenfell")}
        assert {NOVEMBER + "items/3/", NOVEMBER + "items/5/"} <= urls
        (item5,) = [hit for hit in found("Grenfell") if hit.url.endswith("items/5/")]
        assert "<mark>Grenfell</mark> Tower tragedy" in item5.snippet

    def test_grenfell_finds_the_sector_led_improvement_update_and_the_programme(self):
        """The November 2017 update (seed 002) speaks of "the aftermath of the Grenfell fire"."""
        hits = {hit.url: hit for hit in found("Grenfell")}
        assert "/mou/2017-18/update/" in hits
        assert "aftermath of the <mark>Grenfell</mark> fire" in hits["/mou/2017-18/update/"].snippet
        assert "/programmes/highlighting-leadership/" in hits

    def test_the_page_shows_them_with_snippets(self, client):
        html = results_page(client, "Grenfell")
        assert re.search(r"\d+ results? for “Grenfell”", html)
        assert f'href="{NOVEMBER}items/5/"' in html
        assert "<mark>Grenfell</mark>" in html

    def test_an_annex_is_found_at_its_place_in_the_item(self):
        urls = [hit.url for hit in found("One Public Estate", kind="annex")]
        assert NOVEMBER + "items/4/#item-4-b" in urls


class TestFilters:
    def test_by_kind(self):
        hits = found("cyber", kind="minutes")
        assert hits
        assert {hit.kind for hit in hits} == {"minutes"}
        assert any("11 July 2017" in hit.context for hit in hits)

    def test_by_board_and_year(self):
        assert found("Grenfell", board="improvement-and-innovation-board", start_year=2017)
        assert not found("Grenfell", board="no-such-board")
        assert not found("Grenfell", start_year=1999)

    def test_a_filter_not_offered_is_a_message_not_an_error(self, client):
        response = client.get("/search/", {"q": "cyber", "year": "abc", "kind": "secret"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in html
        assert "Select a valid choice" in html
        assert "results for" not in html

    def test_a_page_past_the_last_gives_the_last(self, client):
        response = client.get("/search/", {"q": "the", "page": "999"})
        assert response.status_code == 200
        assert client.get("/search/", {"q": "council", "page": "abc"}).status_code == 200


class TestOnlyWhatThePublicMayRead:
    def test_a_change_not_yet_published_is_not_found_until_it_is(self, november_meeting):
        report = Report.objects.get(item__meeting=november_meeting, item__number=4)
        report.body += "\n\nA word never published before: quokkaberry."
        report.save()
        assert not found("quokkaberry")  # the public still receive the pack as published
        services.meeting_publish_changes(meeting=november_meeting, tell_people=False)
        assert [hit.url for hit in found("quokkaberry")] == [NOVEMBER + "items/4/"]

    def test_an_unpublished_meeting_is_no_longer_found(self, november_meeting):
        assert found("Grenfell")
        services.meeting_unpublish(meeting=november_meeting)
        assert not [hit for hit in found("Grenfell") if hit.url.startswith(NOVEMBER)]

    def test_a_confidential_items_report_is_not_found(self):
        board = factories.BoardFactory()
        meeting = factories.MeetingFactory(
            board_year=factories.BoardYearFactory(board=board), status=Meeting.Status.DRAFT
        )
        factories.ReportFactory(item__meeting=meeting, item__number=1, item__title="Finance update")
        secret = factories.AgendaItemFactory(
            meeting=meeting, number=2, title="Depot sale", confidential=True, exemption=3
        )
        factories.ReportFactory(item=secret, summary="Wombatquartz offer", for_information=True)
        assert not found("Depot")  # a draft: nothing
        services.meeting_publish(meeting=meeting, tell_people=False)
        assert "1. Finance update" in titles("Finance update")
        assert "2. Depot sale" in titles("Depot sale")  # its title, as the public pack gives it
        assert not found("Wombatquartz")

    def test_the_note_of_an_item_made_confidential_drops_out(self):
        minutes = Minutes.objects.get(meeting__date="2017-07-11")
        assert found("cyber", kind="minutes")
        AgendaItem.objects.filter(meeting=minutes.meeting, number=3).update(confidential=True, exemption=3)
        search_refresh_meeting(minutes.meeting)
        assert not found("cyber", kind="minutes")

    def test_the_admin_keeps_the_note_current(self, admin_client):
        """Deleting an entry of the note in the admin: the search no longer finds it."""
        minutes = Minutes.objects.get(meeting__date="2017-07-11")
        entries = minutes.entries.filter(agenda_item__number=3)
        assert found("cyber", kind="minutes")
        assert entries
        for entry in entries:
            response = admin_client.post(f"/admin/meetings/minuteentry/{entry.pk}/delete/", {"post": "yes"})
            assert response.status_code == 302
        assert not found("cyber", kind="minutes")

    def test_only_approved_returns_and_a_reopened_one_drops_out(self, django_user_model):
        mou = Mou.objects.get(start_year=2017)
        approved = QuarterlyReturn.objects.filter(
            deliverable__theme__mou=mou, status=QuarterlyReturn.Status.APPROVED
        ).exclude(narrative="")
        quarterly_return = approved.first()
        word = quarterly_return.narrative.split()[0]
        assert found(word, kind="return")
        QuarterlyReturn.objects.filter(pk=quarterly_return.pk).update(
            narrative="Platypusfern work delivered.", rag="green"
        )
        approver = django_user_model.objects.create_superuser("approver-search", password="x")
        mou_services.return_reopen(quarterly_return=quarterly_return, by=approver, reason="A test")
        assert not found("Platypusfern")
        quarterly_return.refresh_from_db()
        mou_services.return_submit(quarterly_return=quarterly_return, by=approver)
        assert not found("Platypusfern")  # submitted, not yet approved
        mou_services.return_approve(quarterly_return=quarterly_return, by=approver)
        (hit,) = found("Platypusfern")
        assert hit.kind == "return"
        assert hit.url.endswith("#delivered-heading")

    def test_the_update_follows_the_mous_returns(self, django_user_model):
        """A highlight of a return reaches the sector-led improvement update once it is approved, and
        leaves it when the return is reopened: the MoU's refresh takes the update's with it."""
        quarterly_return = QuarterlyReturn.objects.filter(
            deliverable__theme__mou__start_year=2017, quarter=2, status=QuarterlyReturn.Status.APPROVED
        ).first()
        approver = django_user_model.objects.create_superuser("approver-update", password="x")
        mou_services.return_reopen(quarterly_return=quarterly_return, by=approver, reason="A test")
        QuarterlyReturn.objects.filter(pk=quarterly_return.pk).update(
            highlight="Held a Numbatwillow summit.", rag="green"
        )
        quarterly_return.refresh_from_db()
        mou_services.return_submit(quarterly_return=quarterly_return, by=approver)
        assert not found("Numbatwillow", kind="update")
        mou_services.return_approve(quarterly_return=quarterly_return, by=approver)
        assert [hit.url for hit in found("Numbatwillow", kind="update")] == ["/mou/2017-18/update/"]
        mou_services.return_reopen(quarterly_return=quarterly_return, by=approver, reason="Again")
        assert not found("Numbatwillow")

    def test_the_admin_keeps_a_programme_current(self, admin_client):
        from programmes.models import Output
        from programmes.search import search_refresh_programmes

        output = Output.objects.filter(workstream__programme__slug="productivity").first()
        Output.objects.filter(pk=output.pk).update(delivered="Quollstone councils helped.")
        search_refresh_programmes()
        assert [hit.url for hit in found("Quollstone")] == ["/programmes/productivity/"]
        response = admin_client.post(f"/admin/programmes/output/{output.pk}/delete/", {"post": "yes"})
        assert response.status_code == 302
        assert not found("Quollstone")

    def test_an_approved_return_deleted_in_the_admin_leaves_the_search(self, admin_client):
        quarterly_return = QuarterlyReturn.objects.filter(
            deliverable__theme__mou__start_year=2017, status=QuarterlyReturn.Status.APPROVED
        ).first()
        QuarterlyReturn.objects.filter(pk=quarterly_return.pk).update(narrative="Bilbyhollow delivered.")
        search_rebuild()
        assert found("Bilbyhollow")
        url = f"/admin/mou/quarterlyreturn/{quarterly_return.pk}/delete/"
        assert admin_client.post(url, {"post": "yes"}).status_code == 302
        assert not found("Bilbyhollow")

    def test_renaming_a_board_in_the_admin_renames_it_in_the_search(self, admin_client):
        from meetings.models import Board

        board = Board.objects.get(slug="improvement-and-innovation-board")
        response = admin_post(
            admin_client, f"/admin/meetings/board/{board.pk}/change/", name="Wallaroo Board"
        )
        assert response.status_code == 302
        (hit,) = [hit for hit in found("Grenfell") if hit.url == NOVEMBER + "items/5/"]
        assert hit.context.startswith("Wallaroo Board, 1 November 2017")

    def test_a_draft_mou_is_not_found(self):
        factories.DeliverableFactory(
            theme__mou__start_year=2030, theme__mou__draft=True, commitment="Echidnaglow councils"
        )
        search_rebuild()
        assert not found("Echidnaglow")
        Mou.objects.filter(start_year=2030).update(draft=False)
        search_rebuild()
        assert found("Echidnaglow")


class TestTheIndex:
    def test_rebuilding_gives_the_same_entries(self):
        before = sorted(SearchEntry.objects.values_list("source", "scope", "kind", "title", "url"))
        assert len(before) > 100
        search_rebuild()
        assert sorted(SearchEntry.objects.values_list("source", "scope", "kind", "title", "url")) == before

    @postgresql_only
    def test_postgresql_keeps_a_weighted_vector_under_a_gin_index(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_entry_vector'")
            (definition,) = cursor.fetchone()
        assert "USING gin (vector)" in definition
        assert not SearchEntry.objects.filter(vector=None).exists()

    @postgresql_only
    def test_websearch_phrases_and_leaving_out(self):
        phrase = titles('"peer challenge"')
        assert "3. Priorities and work programme" in phrase
        loose = {hit.url for hit in found("peer challenge")}
        assert {hit.url for hit in found('"peer challenge"')} <= loose
        assert not [t for t in titles("peer challenge -fire") if "fire and rescue" in t]

    @postgresql_only
    def test_a_title_outranks_the_same_word_in_a_body(self):
        """Item 3 mentions cyber security three times in its body; deliverable 11d once in its title."""
        urls = [hit.url for hit in found("cyber")]
        assert urls[0] == "/mou/2017-18/efficiency-and-productivity/11d/"
        assert "<mark>Cyber</mark>" in found("cyber")[0].title
        assert urls.index(NOVEMBER + "items/4/") < urls.index(NOVEMBER + "items/3/")

    def test_the_page_takes_the_same_queries_for_few_results_as_for_many(
        self, client, django_assert_num_queries
    ):
        # The form's boards and years, then the search: its count and its page on PostgreSQL.
        queries = 4 if connection.vendor == "postgresql" else 3
        with django_assert_num_queries(queries):
            assert "1 result" in results_page(client, "aftermath Grenfell fire")
        with django_assert_num_queries(queries):
            assert "Page 1 of" in results_page(client, "council")


class TestText:
    def test_a_page_is_split_into_its_own_text_and_its_annexes(self):
        html = """<header>Board papers</header><main>
        <p class="govuk-caption-l">Board, item 3</p><h1>Priorities</h1>
        <p class="app-no-print"><a href="x.pdf">Download this item (PDF)</a></p>
        <nav><h2>Annexes</h2><a href="#item-3-a">Annex A</a></nav>
        <h2>Purpose</h2><p>For discussion.</p><br><p>Second&nbsp;line</p>
        <section class="app-annex" id="item-3-a">
        <h2>Annex A: Sector-led improvement</h2><p>Peers</p></section>
        </main><footer>Footer</footer>"""
        own, annex = page_parts(html)
        assert own.title == "Priorities"
        assert own.text == "Priorities Purpose For discussion. Second line"
        assert (annex.anchor, annex.title) == ("item-3-a", "Annex A: Sector-led improvement")
        assert annex.text == "Annex A: Sector-led improvement Peers"

    def test_the_simpler_searchs_words(self):
        assert terms('peer challenges "corporate peer" -fire or councils') == (
            ["peer", "challeng", "corporate peer", "council"],
            ["fire"],
        )

    def test_a_snippet_can_carry_no_markup_but_its_marks(self):
        assert marked("<script>alert(1)</script> \x02peer\x03") == (
            "&lt;script&gt;alert(1)&lt;/script&gt; <mark>peer</mark>"
        )

    @pytest.mark.skipif("connection.vendor == 'postgresql'", reason="the page on SQLite")
    def test_sqlite_says_its_search_is_simpler(self, client):
        assert "uses a simpler search than the full one" in results_page(client, "cyber")
