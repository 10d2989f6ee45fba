"""Live annexes: a draft shows the data as it stands; publishing freezes it, with the data's time."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.models import Annex, Meeting
from meetings.services import meeting_publish, meeting_unpublish
from programmes.annexes import render_live
from programmes.models import LiveAnnex, Output, Programme, Workstream
from tests.factories import AnnexFactory, MeetingFactory, ReportFactory

pytestmark = pytest.mark.django_db

PACK = "/boards/improvement-and-innovation-board/2017-11-01/"
ITEM_4 = PACK + "items/4/"
OUTPUT = "Launched the 2017 Shared Services Map, demonstrating £643m in savings since 2012"


def annex_a(html: str) -> str:
    start = html.index('id="item-4-a"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def shared_services_output(db):
    return Output.objects.get(workstream__slug="shared-services", start_year=2017, quarter=2)


def live_outputs_annex(meeting: Meeting) -> LiveAnnex:
    annex = AnnexFactory(
        report=ReportFactory(item__meeting=meeting, item__number=4), letter="A", content="", generated=True
    )
    return LiveAnnex.objects.create(
        annex=annex,
        kind=LiveAnnex.Kind.OUTPUTS,
        programme=Programme.objects.get(slug="productivity"),
        start_year=2017,
        quarter=2,
    )


class TestTheProductivityReportsAnnexA:
    def test_annex_a_is_built_from_the_outputs(self, client):
        html = annex_a(client.get(ITEM_4).content.decode())
        assert OUTPUT in html
        assert "Project/ programme" in html
        assert "On target (RAG)" in html
        rows = html[html.index("<tbody") :].count('<tr class="govuk-table__row">')
        assert (
            rows == Output.objects.filter(workstream__programme__slug="productivity", quarter=2).count() == 11
        )

    def test_the_demo_pack_is_frozen_without_inventing_its_time(self, client, november_meeting):
        """The printed papers do not say when they were published: the frozen figures say that."""
        live = Annex.objects.get(
            report__item__meeting=november_meeting, report__item__number=4, letter="A"
        ).live
        assert live.is_frozen
        assert live.frozen_at is None
        html = annex_a(client.get(ITEM_4).content.decode())
        assert "as it stood when the papers were published (the time was not recorded)." in html
        assert "The meeting is published, so this annex will not change." in html
        assert timezone.localdate().strftime("%-d %B %Y") not in client.get(PACK).content.decode()

    def test_a_pack_published_here_is_frozen_with_the_datas_time(
        self, client, november_meeting, django_user_model
    ):
        draft = MeetingFactory(board_year=november_meeting.board_year, status=Meeting.Status.DRAFT)
        live = live_outputs_annex(draft)
        meeting_publish(meeting=draft, by=django_user_model.objects.create_user("publisher"))
        live.refresh_from_db()
        frozen_at = timezone.localtime(live.frozen_at)
        hour = frozen_at.hour % 12 or 12
        clock = f"{hour}.{frozen_at.minute:02d}{'am' if frozen_at.hour < 12 else 'pm'}"
        html = client.get(draft.get_absolute_url()).content.decode()
        assert f"as it stood at {clock} on {frozen_at:%-d %B %Y}." in html

    def test_changing_an_output_after_publishing_leaves_the_published_pack_unchanged(
        self, client, shared_services_output, november_meeting
    ):
        before = annex_a(client.get(PACK).content.decode())
        shared_services_output.delivered = "Launched the 2018 map"
        shared_services_output.rag = "red"
        shared_services_output.save()

        after = annex_a(client.get(PACK).content.decode())
        assert after == before
        assert OUTPUT in after
        assert "Launched the 2018 map" not in after

        draft = MeetingFactory(board_year=november_meeting.board_year, status=Meeting.Status.DRAFT)
        live_outputs_annex(draft)
        draft_html = render_live(draft.items.get().report.annexes.get().live)
        assert "Launched the 2018 map" in draft_html
        assert OUTPUT not in draft_html

    def test_a_draft_shows_live_figures_and_says_so(
        self, staff_client, november_meeting, shared_services_output
    ):
        draft = MeetingFactory(board_year=november_meeting.board_year, status=Meeting.Status.DRAFT)
        live_outputs_annex(draft)
        page = staff_client.get(draft.get_absolute_url()).content.decode()
        assert "Live figures." in page
        assert OUTPUT in page
        shared_services_output.delivered = "A changed output"
        shared_services_output.save()
        assert "A changed output" in staff_client.get(draft.get_absolute_url()).content.decode()

    def test_publishing_a_draft_freezes_it_and_taking_it_back_thaws_it(
        self, november_meeting, shared_services_output, django_user_model
    ):
        draft = MeetingFactory(board_year=november_meeting.board_year, status=Meeting.Status.DRAFT)
        live = live_outputs_annex(draft)
        assert not live.is_frozen
        meeting_publish(meeting=draft, by=django_user_model.objects.create_user("publisher"))
        live.refresh_from_db()
        assert live.is_frozen
        assert OUTPUT in live.frozen_html
        assert timezone.now() - live.frozen_at < datetime.timedelta(minutes=1)

        meeting_unpublish(meeting=draft)
        live.refresh_from_db()
        assert not live.is_frozen
        assert live.frozen_html == ""

    def test_a_frozen_annex_refuses_changes(self, november_meeting):
        live = Annex.objects.get(
            report__item__meeting=november_meeting, report__item__number=4, letter="A"
        ).live
        live.quarter = 1
        with pytest.raises(ValidationError, match="frozen as its readers saw it"):
            live.full_clean()


class TestAnnexKinds:
    @pytest.fixture
    def draft(self, november_meeting):
        return MeetingFactory(board_year=november_meeting.board_year, status=Meeting.Status.DRAFT)

    def make(self, draft, **fields):
        annex = AnnexFactory(report=ReportFactory(item__meeting=draft), content="", generated=True)
        return LiveAnnex.objects.create(annex=annex, **fields)

    def test_each_kind_says_what_it_needs(self, draft):
        annex = AnnexFactory(report=ReportFactory(item__meeting=draft), content="", generated=True)
        live = LiveAnnex(annex=annex, kind=LiveAnnex.Kind.OUTPUTS)
        with pytest.raises(ValidationError) as refused:
            live.full_clean()
        assert set(refused.value.message_dict) == {"programme", "start_year", "quarter"}

    def test_priorities_and_member_leads(self, draft, november_meeting):
        live = self.make(draft, kind=LiveAnnex.Kind.PRIORITIES, board_year=november_meeting.board_year)
        html = render_live(live)
        assert "Leadership" in html
        assert "Cllr Judi Billing" in html
        assert "Innovation" in html
        assert "Cllr Peter Fleming" in html

    def test_mou_progress_for_a_theme(self, draft):
        from mou.models import Theme

        theme = Theme.objects.get(mou__start_year=2017, key="enabling-improvement")
        html = render_live(self.make(draft, kind=LiveAnnex.Kind.MOU_PROGRESS, theme=theme, quarter=2))
        assert "What have we delivered by end of September" in html
        assert "at least 110 peer challenges" in html

    def test_participation_tables_with_totals(self, draft):
        from programmes.models import Participation

        bookings = Participation.objects.get(programme__slug="highlighting-leadership")
        html = render_live(self.make(draft, kind=LiveAnnex.Kind.PARTICIPATION, participation=bookings))
        assert html.count(">735</td>") == 4
        assert "the figures entered total 735" in html
        assert "gives 740" in html


def test_an_annex_has_exactly_one_source(db):
    annex = AnnexFactory.build(report=ReportFactory(), content="Typed", generated=True)
    with pytest.raises(ValidationError, match="one source"):
        annex.clean()
    annex.content, annex.generated = "", False
    with pytest.raises(ValidationError, match="mark it as generated"):
        annex.clean()


def test_workstream_projects_do_not_nest(db):
    programme = Programme.objects.get(slug="productivity")
    project = Workstream.objects.filter(programme=programme, parent__isnull=False).first()
    nested = Workstream(programme=programme, parent=project, slug="x", name="X")
    with pytest.raises(ValidationError, match="projects do not nest"):
        nested.clean()
