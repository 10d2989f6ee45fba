"""The programme pages, the deliverable thread and the sector-led improvement update."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from meetings.models import Meeting
from mou.models import Deliverable
from programmes.models import Output, Workstream
from tests.factories import ActionFactory, MeetingFactory, MinuteEntryFactory, MinutesFactory, ReportFactory
from tests.pages import assert_one_h1_and_headings_in_order

pytestmark = pytest.mark.django_db

PEER_CHALLENGES = "/mou/2017-18/enabling-improvement/1/"


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


class TestProgrammePages:
    def test_list_shows_priorities_with_member_leads(self, client):
        html = text(client.get("/programmes/"))
        assert "Board priorities and member leads, 2017/18" in html
        for lead in [
            "Cllr Paul Bettison",
            "Cllr Judi Billing",
            "Cllr Ron Woodley",
            "Mayor Dave Hodgson",
            "Cllr Peter Fleming",
        ]:
            assert lead in html
        assert 'href="/programmes/productivity/"' in html

    def test_programme_shows_lead_projects_deliverables_activities_and_outputs(self, client):
        html = text(client.get("/programmes/productivity/"))
        assert "Siobhan Coughlan" in html
        assert "Cllr Ron Woodley" in html
        for project in ["Digital", "Cyber security", "Shared services", "Productivity experts"]:
            assert project.lower() in html.lower()
        assert "Objective" in html
        assert "Achieved" in html
        assert "Q2 (Jul–Sep) 2017/18" in html
        assert "/mou/2017-18/efficiency-and-productivity/" in html

    def test_participation_tables_show_computed_totals_and_the_stated_figure(self, client):
        html = text(client.get("/programmes/highlighting-leadership/"))
        assert html.count(">735</td>") == 4
        assert "the figures entered total 735" in html

    def test_unknown_programme_is_404(self, client):
        assert client.get("/programmes/no-such-programme/").status_code == 404

    def test_programme_page_queries_are_fixed(self, client, django_assert_num_queries):
        with django_assert_num_queries(12):
            client.get("/programmes/productivity/")


class TestDeliverableThread:
    def test_peer_challenge_deliverable_shows_the_november_report_on_priorities(self, client):
        html = text(client.get(PEER_CHALLENGES))
        assert "Deliver at least 110 peer challenges." in html
        assert "1 November 2017, item 3:" in html
        assert 'href="/boards/improvement-and-innovation-board/2017-11-01/items/3/"' in html

    def test_shows_the_quarterly_figures_beside_the_papers(self, client):
        html = text(client.get(PEER_CHALLENGES))
        assert "Q2 (Jul–Sep)" in html
        assert "31 peer challenges delivered" in html
        assert "28% of the target" in html

    def test_decisions_and_actions_about_it(self, client, november_meeting):
        deliverable = Deliverable.objects.get(
            theme__mou__start_year=2017, theme__key="enabling-improvement", reference="1"
        )
        entry = MinuteEntryFactory(
            minutes=MinutesFactory(meeting=november_meeting), agenda_item=november_meeting.items.get(number=3)
        )
        decision = entry.decisions.create(
            number=1, text="Peer challenge take-up to be promoted.", outcome="agreed"
        )
        action = ActionFactory(entry=entry, text="Officers to write to councils with no CPC.")
        deliverable.decisions.add(decision)
        deliverable.actions.add(action)
        html = text(client.get(PEER_CHALLENGES))
        assert "Peer challenge take-up to be promoted." in html
        assert "Officers to write to councils with no CPC." in html

    def test_a_draft_meetings_report_is_not_shown_to_the_public(self, staff_client, november_meeting):
        draft = MeetingFactory(board_year=november_meeting.board_year, status=Meeting.Status.DRAFT)
        report = ReportFactory(item__meeting=draft, item__title="Secret draft paper")
        Deliverable.objects.get(
            theme__mou__start_year=2017, theme__key="enabling-improvement", reference="1"
        ).reports.add(report)
        assert "Secret draft paper" not in text(Client().get(PEER_CHALLENGES))
        assert "Secret draft paper" in text(staff_client.get(PEER_CHALLENGES))

    def test_programme_work_serving_it(self, client):
        project = Workstream.objects.get(programme__slug="productivity", slug="productivity-experts")
        deliverable = project.deliverables.select_related("theme__mou").first()
        html = text(client.get(deliverable.get_absolute_url()))
        assert 'href="/programmes/productivity/#productivity-experts"' in html
        assert "Productivity programme:" in html

    @pytest.mark.parametrize(
        "url",
        [
            "/mou/2017-18/enabling-improvement/999/",
            "/mou/2017-18/no-theme/1/",
            "/mou/1999-00/enabling-improvement/1/",
        ],
    )
    def test_unknown_deliverables_are_404(self, client, url):
        assert client.get(url).status_code == 404

    def test_mou_page_links_each_deliverable(self, client):
        assert f'href="{PEER_CHALLENGES}"' in text(client.get("/mou/2017-18/"))


class TestSectorUpdate:
    def test_renders_themes_with_highlights_from_the_data(self, client):
        html = text(client.get("/mou/2017-18/update/"))
        assert "Sector-led improvement update" in html
        assert "We have, for example:" in html
        assert html.count('class="app-update-theme"') == 4

    def test_a_highlight_marked_on_an_output_appears(self, client):
        output = Output.objects.get(workstream__slug="shared-services", quarter=2)
        output.highlight = "relaunched the shared services map"
        output.save()
        assert "relaunched the shared services map" in text(client.get("/mou/2017-18/update/"))

    def test_pdf(self, client):
        response = client.get("/mou/2017-18/update.pdf")
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")

    def test_a_year_without_an_update_is_404(self, client):
        assert client.get("/mou/2030-31/update/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/programmes/",
        "/programmes/productivity/",
        "/programmes/highlighting-leadership/",
        PEER_CHALLENGES,
        "/mou/2017-18/update/",
    ],
)
def test_every_page_has_one_h1_and_headings_in_order(client, url):
    assert_one_h1_and_headings_in_order(text(client.get(url)))


def test_an_officer_marks_a_highlight_on_the_quarter_entry_screen(staff_client):
    """The update draws its 'We have, for example' bullets from what officers mark on the returns;
    the public read a highlight once its return is approved."""
    from mou import services
    from mou.models import Mou, QuarterlyReturn

    mou = Mou.objects.get(start_year=2017)
    record = QuarterlyReturn.objects.get(
        deliverable__theme__key="enabling-improvement", deliverable__reference="1", quarter=2
    )
    # The demo's returns are approved as published: reopened, to be changed.
    services.return_reopen(quarterly_return=record, by=None, reason="Adding the officer's highlight.")
    prefix = f"d{record.deliverable_id}"
    data = {
        f"{prefix}-figure": "31",
        f"{prefix}-narrative": record.narrative,
        f"{prefix}-rag": "green",
        f"{prefix}-milestone_met": "unknown",
        f"{prefix}-highlight": "delivered 31 peer challenges by the end of September (officer's wording)",
    }
    response = staff_client.post(
        f"/admin/mou/mou/{mou.pk}/quarter/2/?theme=enabling-improvement", data, follow=True
    )
    assert response.status_code == 200
    record.refresh_from_db()
    assert record.highlight.endswith("(officer's wording)")
    highlight = "delivered 31 peer challenges by the end of September (officer&#x27;s wording)"
    assert f'{highlight} <strong class="govuk-tag govuk-tag--grey">Draft: not yet public</strong>' in text(
        staff_client.get("/mou/2017-18/update/")
    )
    assert highlight not in text(Client().get("/mou/2017-18/update/"))
    services.return_submit(quarterly_return=record, by=None)
    services.return_approve(quarterly_return=record, by=None)
    assert highlight in text(Client().get("/mou/2017-18/update/"))


class TestQueryCounts:
    """Exact and pinned: a page must not make a query per row."""

    def test_deliverable_page_does_not_grow_with_its_papers(self, client, november_meeting):
        deliverable = Deliverable.objects.get(
            theme__mou__start_year=2017, theme__key="enabling-improvement", reference="1"
        )
        with CaptureQueriesContext(connection) as before:
            client.get(PEER_CHALLENGES)
        for number in (2, 4, 5, 6, 7):
            deliverable.reports.add(november_meeting.items.get(number=number).report)
        with CaptureQueriesContext(connection) as after:
            html = text(client.get(PEER_CHALLENGES))
        assert html.count("1 November 2017, item") == 6
        assert len(after) == len(before)

    def test_deliverable_page_query_count_is_pinned(self, client, django_assert_num_queries):
        # MoU, deliverable, sub-targets, returns, visible meetings' reports, their items as
        # published (the public's), decisions, actions, action progress, programme work.
        with django_assert_num_queries(10):
            client.get(PEER_CHALLENGES)

    def test_sector_update_query_count_is_pinned(self, client, django_assert_num_queries):
        # MoU, update, MoU progress (themes, returns, deliverables), highlighted returns,
        # highlighted outputs with their workstreams' deliverables (3), sections.
        with django_assert_num_queries(10):
            client.get("/mou/2017-18/update/")


class TestADeliverablesPapersAsPublished:
    """The public read the papers a deliverable names as the pack was published: an edit, a new
    number or an unticked confidential flag waits for its revision."""

    def test_an_unpublished_edit_waits_for_its_revision(self, client, november_meeting):
        from meetings.models import AgendaItem
        from meetings.services import meeting_publish_changes

        deliverable = Deliverable.objects.get(
            theme__mou__start_year=2017, theme__key="enabling-improvement", reference="1"
        )
        item = november_meeting.items.get(number=5)
        deliverable.reports.add(item.report)
        published = "1 November 2017, item 5: Highlighting Leadership offer: 2017/18 update"
        assert published in text(client.get(PEER_CHALLENGES))
        item.report.title = "Numbat leadership draft"
        item.report.save()
        AgendaItem.objects.filter(pk=item.pk).update(number=55)
        html = text(client.get(PEER_CHALLENGES))
        assert published in html
        assert "Numbat" not in html
        assert f'href="{november_meeting.get_absolute_url()}items/5/"' in html
        meeting_publish_changes(meeting=november_meeting, tell_people=False)
        html = text(client.get(PEER_CHALLENGES))
        assert "1 November 2017, item 55: Numbat leadership draft" in html

    def test_a_flag_unticked_but_not_published_keeps_the_paper_withheld(self, client, november_meeting):
        from meetings.models import AgendaItem
        from meetings.services import meeting_publish_changes

        deliverable = Deliverable.objects.get(
            theme__mou__start_year=2017, theme__key="enabling-improvement", reference="1"
        )
        item = november_meeting.items.get(number=6)
        item.report.title = "Dugong negotiations"
        item.report.save()
        AgendaItem.objects.filter(pk=item.pk).update(confidential=True, exemption=3)
        meeting_publish_changes(meeting=november_meeting, tell_people=False)
        deliverable.reports.add(item.report)
        withheld = f"1 November 2017, item 6: {item.title} (not for publication)"
        assert withheld in text(client.get(PEER_CHALLENGES))
        AgendaItem.objects.filter(pk=item.pk).update(confidential=False)  # not yet published
        html = text(client.get(PEER_CHALLENGES))
        assert withheld in html
        assert "Dugong" not in html
