"""Confidential items never reach the public: a marker planted in every confidential field is
looked for in every public response (pages, PDFs, exports), before and after publication, and at
guessed addresses. Members of the board and clerks do see it, marked confidential.

The same marker is in the texts of quarterly returns not yet approved (a draft and a submitted
one): the public see a quarter's figures once approved, so it reaches no public address either, nor
a live annex frozen into the published pack; officers, approvers and clerks see those returns,
marked as not yet public."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver, resolve
from django.urls.resolvers import URLResolver
from django.utils import timezone
from pypdf import PdfReader
from weasyprint import HTML

from lgaboard.permissions import APPROVERS, OFFICERS
from lgaboard.search.services import search_rebuild
from meetings.models import (
    Action,
    ActionProgress,
    AgendaItem,
    Annex,
    Decision,
    DiscussionPoint,
    Exemption,
    Meeting,
    Membership,
    Minutes,
    Person,
    Recommendation,
    Report,
)
from meetings.services import meeting_publish
from mou.models import Deliverable, QuarterlyReturn, Theme
from programmes.models import LiveAnnex
from tests.factories import MinuteEntryFactory
from tests.opendata.addresses import api_urls

pytestmark = pytest.mark.django_db

MARKER = "ZQXSECRET4417"
BOARD = "/boards/improvement-and-innovation-board"
DAY = datetime.date(2018, 3, 14)
NEXT_DAY = datetime.date(2018, 5, 16)


@pytest.fixture
def secret(november_meeting):
    """A draft meeting of the real board with a confidential item whose every field carries the
    marker, its minutes, and a following meeting whose pack reprints those minutes."""
    year = november_meeting.board_year
    meeting = Meeting.objects.create(
        board_year=year, date=DAY, venue=november_meeting.venue, status=Meeting.Status.DRAFT
    )
    AgendaItem.objects.create(meeting=meeting, number=1, title="Welcome")
    public = AgendaItem.objects.create(meeting=meeting, number=2, title="Open report")
    open_report = Report.objects.create(item=public, for_information=True, body="An open report.")
    item = AgendaItem.objects.create(
        meeting=meeting,
        number=3,
        title="Commercial negotiations",
        note="Presentation by the chief executive",
        confidential=True,
        exemption=Exemption.FINANCIAL,
        exemption_reason="The report contains the financial affairs of a supplier.",
    )
    report = Report.objects.create(
        item=item,
        title=f"Title {MARKER}",
        for_decision=True,
        purpose_text=f"Purpose {MARKER}",
        summary=f"Summary {MARKER}",
        action=f"Action {MARKER}",
        body=f"## Body\n\n1. Body {MARKER}\n\n| a | b |\n|---|---|\n| {MARKER} | x |",
        implications_for_wales=f"Wales {MARKER}",
        financial_implications=f"Finance {MARKER}",
        next_steps=f"Next {MARKER}",
    )
    Recommendation.objects.create(report=report, number=1, text=f"Agree {MARKER}")
    Annex.objects.create(report=report, letter="A", title=f"Annex {MARKER}", content=f"Annex {MARKER}")
    upload = HTML(string=f"<p>Uploaded {MARKER}</p>").write_pdf()
    Annex.objects.create(
        report=report, letter="B", title="Slides", pdf=SimpleUploadedFile("slides.pdf", upload)
    )
    minutes = Minutes.objects.create(meeting=meeting)
    entry = MinuteEntryFactory(minutes=minutes, agenda_item=item, narrative=f"Narrative {MARKER}")
    DiscussionPoint.objects.create(entry=entry, number=1, text=f"Point {MARKER}")
    decision = Decision.objects.create(entry=entry, number=1, text=f"Decision {MARKER}", outcome="agreed")
    action = Action.objects.create(entry=entry, number=1, text=f"Action {MARKER}", owner_label="Officers")
    ActionProgress.objects.create(action=action, date=DAY, text=f"Progress {MARKER}")
    deliverable = Deliverable.objects.get(
        theme__mou__start_year=2017, theme__key="enabling-improvement", reference="1"
    )
    deliverable.reports.add(report)
    deliverable.decisions.add(decision)
    deliverable.actions.add(action)
    plant_in_returns(open_report)
    following = Meeting.objects.create(
        board_year=year, date=NEXT_DAY, venue=november_meeting.venue, status=Meeting.Status.PUBLISHED
    )
    AgendaItem.objects.create(
        meeting=following,
        number=1,
        title="Note of the previous meeting",
        kind=AgendaItem.Kind.PREVIOUS_MINUTES,
    )
    return meeting


RETURN_TEXTS = {
    "narrative": f"Return narrative {MARKER}",
    "commentary": f"Return commentary {MARKER}",
    "highlight": f"Return highlight {MARKER}",
}


def plant_in_returns(open_report: Report) -> None:
    """Returns not yet approved with the marker in every text: drafts (Q3 of enabling improvement's
    deliverable 1, Q2 of its deliverable 2) and a submitted one (Q2 of its deliverable 4); and, in
    the meeting's open report, a live annex of the theme's MoU progress to the end of Q2, which
    publication freezes as the public receive it."""
    theme = Theme.objects.get(mou__start_year=2017, key="enabling-improvement")
    draft, submitted = QuarterlyReturn.Status.DRAFT, QuarterlyReturn.Status.SUBMITTED
    for reference, quarter, status in (("1", 3, draft), ("2", 2, draft), ("4", 2, submitted)):
        QuarterlyReturn.objects.create(
            deliverable=theme.deliverables.get(reference=reference),
            quarter=quarter,
            rag="green",
            status=status,
            **RETURN_TEXTS,
        )
    annex = Annex.objects.create(report=open_report, letter="A", title="MoU progress", generated=True)
    LiveAnnex.objects.create(annex=annex, kind=LiveAnnex.Kind.MOU_PROGRESS, theme=theme, quarter=2)


def public_urls() -> list[str]:
    day, next_day = f"{BOARD}/{DAY}", f"{BOARD}/{NEXT_DAY}"
    urls = ["/", "/boards/", f"{BOARD}/", f"{BOARD}/actions/", f"{BOARD}/actions/?status=open"]
    urls += [f"{BOARD}/attendance/2017-18/", f"{BOARD}/attendance/2017-18.pdf"]
    urls += [f"{day}/", f"{day}/pack.pdf", f"{day}/minutes/", f"{day}/minutes.pdf"]
    urls += [f"{day}/items/{n}/" for n in (1, 2, 3)] + [f"{day}/items/{n}.pdf" for n in (2, 3)]
    urls += [f"{day}/items/3/annex-a.pdf", f"{day}/items/3/annex-b.pdf"]  # guessed addresses
    urls += [f"{day}/revisions/1/", f"{day}/revisions/1.pdf", f"{day}/revisions/2/"]
    urls += [f"{next_day}/", f"{next_day}/pack.pdf"]
    urls += ["/mou/", "/mou/2017-18/", "/mou/2017-18/q2/", "/mou/2017-18/q2.pdf", "/mou/2017-18/outturn/"]
    urls += ["/mou/2017-18/q2-returns.csv", "/mou/2017-18/q2-returns.xlsx"]
    urls += ["/mou/2017-18/q3/", "/mou/2017-18/q3-returns.csv", "/mou/2017-18/q3-returns.xlsx"]
    urls += [f"/mou/2017-18/q2/?as_at={timezone.localdate()}", "/mou/2017-18/enabling-improvement/4/"]
    urls += ["/mou/2017-18/enabling-improvement/1/", "/mou/2017-18/update/", "/mou/2017-18/update.pdf"]
    urls += ["/programmes/", "/programmes/productivity/", "/sign-in/"]
    urls += ["/sign-in/forgotten-password/", "/sign-in/forgotten-password/sent/"]
    urls += ["/sign-in/reset/MQ/not-a-token/", "/sign-in/reset/done/"]  # a wrong link: the expired page
    urls += ["/health/"]  # the load balancer's check: "ok", nothing else
    urls += ["/meetings.ics", f"{BOARD}/meetings.ics", f"{BOARD}/feed/", "/mou/feed/"]  # calendars, feeds
    urls += api_urls(DAY)  # the open data API: every list, and each object of the meeting
    urls += [f"{BOARD}/alerts/", "/alerts/no-such-link/confirm/", "/alerts/no-such-link/unsubscribe/"]
    urls += [f"{BOARD}/meetings.csv", f"{BOARD}/members/2017-18.csv", f"{BOARD}/actions.csv"]  # downloads
    urls += ["/mou/2017-18/deliverables.csv"]
    # Search: the words planted beside the marker (a search for the marker itself shows it as typed).
    urls += ["/search/", "/search/?q=Commercial+negotiations"]
    urls += [f"/search/?q={word}" for word in ("Title", "Purpose", "Body", "Annex", "Uploaded", "Narrative")]
    urls += [f"/search/?q={word}" for word in ("Point", "Decision", "Progress", "Return", "commentary")]
    urls += TWO_FACTOR_URLS
    return urls


# Pages of one's own account and sign-in: the public are sent to sign in, and whoever need not give a
# code is sent on from the code page (a 302 either way).
TWO_FACTOR_URLS = ["/sign-in/code/", "/account/two-factor/", "/account/", "/your-papers/"]


def readable(response) -> str:
    """What a reader's software gets out of a response: text of pages, PDFs, CSV and XLSX."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(body))
        return " ".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    if kind.startswith("text/csv"):
        return " ".join(" ".join(row) for row in csv.reader(io.StringIO(body.decode())))
    return body.decode()


def leaks(client) -> dict[str, int]:
    found = {}
    for url in public_urls():
        response = client.get(url)
        sent_on = url in ["/sign-in/", *TWO_FACTOR_URLS] and response.status_code == 302
        assert response.status_code in (200, 404) or sent_on, (url, response.status_code)
        if response.status_code == 200 and MARKER in readable(response):
            found[url] = response.status_code
    return found


class TestThePublicNeverSeesIt:
    def test_not_before_publication(self, secret):
        assert leaks(Client()) == {}
        assert Client().get(f"{BOARD}/{DAY}/").status_code == 404

    def test_not_after_publication(self, secret, django_user_model):
        meeting_publish(meeting=secret, by=django_user_model.objects.create_user("publisher"))
        search_rebuild()  # every source read afresh, the draft returns and the note included
        public = Client()
        assert leaks(public) == {}
        found = public.get("/search/?q=Commercial+negotiations").content.decode()
        assert f'href="{BOARD}/{DAY}/items/3/"' in found  # the search holds the meeting: its title
        item = public.get(f"{BOARD}/{DAY}/items/3/").content.decode()
        assert "Commercial negotiations" in item  # the title is public
        assert "Not for publication." in item
        assert "Paragraph 3: information relating to the financial or business affairs" in item
        assert "The report contains the financial affairs of a supplier." in item
        assert public.get(f"{BOARD}/{DAY}/items/3/annex-b.pdf").status_code == 404
        assert "Open report" in public.get(f"{BOARD}/{DAY}/").content.decode()

    def test_a_published_pack_freezes_the_figures_as_the_public_see_them(self, secret):
        meeting_publish(meeting=secret, by=None)
        live = LiveAnnex.objects.get(annex__report__item__meeting=secret)
        assert live.is_frozen
        assert "31 peer challenges delivered" in live.frozen_html  # approved: the papers' figure
        assert MARKER not in live.frozen_html
        assert "Not yet reported" in live.frozen_html  # deliverables 2 and 4: draft, submitted
        item = Client().get(f"{BOARD}/{DAY}/items/2/").content.decode()
        assert "31 peer challenges delivered" in item

    def test_not_at_guessed_admin_addresses(self, secret):
        public = Client()
        report = Report.objects.get(item__meeting=secret, item__number=3)
        for url in [
            f"/admin/meetings/report/{report.pk}/change/",
            f"/admin/meetings/annex/{report.annexes.first().pk}/change/",
            f"/admin/meetings/minuteentry/{report.item.minute_entries.get().pk}/change/",
        ]:
            response = public.get(url, follow=True)
            assert MARKER not in response.content.decode()
            assert "Log in" in response.content.decode()

    def test_every_public_address_is_covered(self, secret):
        """A new page must be added to public_urls(): the test names every route it does not reach."""
        reached = {resolve(url.split("?")[0]).view_name for url in public_urls()}
        routes = set()

        def walk(patterns, namespace=""):
            for pattern in patterns:
                if isinstance(pattern, URLResolver):
                    if pattern.namespace != "admin":
                        walk(pattern.url_patterns, pattern.namespace or namespace)
                elif pattern.name:
                    routes.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

        walk(get_resolver().url_patterns)
        post_only = {"sign_out"}  # a GET is refused (405): tests/lgaboard/test_sign_in.py
        assert routes - reached - post_only == set()


class TestMembersAndClerksSeeItMarked:
    @pytest.fixture
    def member(self, secret, django_user_model):
        user = django_user_model.objects.create_user("member-test")
        person = Person.objects.get(slug="judi-billing")
        person.user = user
        person.save()
        assert Membership.objects.filter(person=person, board_year=secret.board_year).exists()
        meeting_publish(meeting=secret, by=user)
        client = Client()
        client.force_login(user)
        return client

    def test_a_member_of_the_board_reads_it_marked_confidential(self, member):
        html = member.get(f"{BOARD}/{DAY}/").content.decode()
        assert f"Body {MARKER}" in html
        assert "Confidential: not for publication" in html
        assert f"Narrative {MARKER}" in member.get(f"{BOARD}/{DAY}/minutes/").content.decode()

    def test_every_page_of_it_in_the_pdf_says_confidential(self, member):
        reader = PdfReader(io.BytesIO(member.get(f"{BOARD}/{DAY}/items/3.pdf").content))
        pages = [page.extract_text() for page in reader.pages]
        assert any(MARKER in text for text in pages)
        assert all("CONFIDENTIAL: NOT FOR PUBLICATION" in text for text in pages[1:])

    def test_their_responses_are_never_cached(self, member):
        directives = {d.strip() for d in member.get(f"{BOARD}/{DAY}/")["Cache-Control"].split(",")}
        assert directives == {"private", "no-store"}
        assert "private" not in Client().get(f"{BOARD}/{DAY}/").get("Cache-Control", "")

    def test_a_login_that_is_not_a_member_does_not_see_it(self, secret, django_user_model):
        meeting_publish(meeting=secret, by=None)
        outsider = Client()
        outsider.force_login(django_user_model.objects.create_user("someone-else"))
        assert leaks(outsider) == {}

    def test_a_member_does_not_see_returns_not_yet_approved(self, member):
        assert RETURN_TEXTS["narrative"] not in member.get("/mou/2017-18/q2/").content.decode()

    @pytest.mark.parametrize("role", [OFFICERS, APPROVERS])
    def test_officers_and_approvers_see_returns_not_yet_approved_marked(
        self, secret, django_user_model, role
    ):
        user = django_user_model.objects.create_user(f"{role.lower()}-marker", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        client = Client()
        client.force_login(user)
        report = client.get("/mou/2017-18/q2/").content.decode()
        assert f"{RETURN_TEXTS['narrative']} <strong" in report
        assert "Draft: not yet public" in report
        assert "Submitted: not yet public" in report
        assert RETURN_TEXTS["commentary"] in readable(client.get("/mou/2017-18/q2-returns.csv"))
        assert RETURN_TEXTS["highlight"] in client.get("/mou/2017-18/update/").content.decode()
        assert (
            RETURN_TEXTS["narrative"] in client.get("/mou/2017-18/enabling-improvement/1/").content.decode()
        )

    def test_a_clerk_previewing_the_draft_pack_sees_the_figures_the_public_will_receive(
        self, secret, staff_client
    ):
        pack = staff_client.get(f"{BOARD}/{DAY}/").content.decode()
        assert "Live figures." in pack
        assert "31 peer challenges delivered" in pack
        assert RETURN_TEXTS["narrative"] not in pack

    def test_clerks_see_it(self, secret, staff_client):
        assert f"Decision {MARKER}" in staff_client.get(f"{BOARD}/{DAY}/minutes/").content.decode()
        assert f"Action {MARKER}" in staff_client.get("/mou/2017-18/enabling-improvement/1/").content.decode()


def test_a_confidential_item_needs_its_category(db):
    from django.core.exceptions import ValidationError

    item = AgendaItem(meeting=Meeting.objects.first(), number=99, title="X", confidential=True)
    with pytest.raises(ValidationError, match="category of exempt information"):
        item.clean()
