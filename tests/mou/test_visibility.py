"""Which returns the public see: a quarter's figures once approved, "Not yet reported" before. Draft
and submitted returns are for officers, approvers and clerks, marked as not yet public; totals,
percentages, traffic lights and the outturn are worked out from what the reader may see."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from lgaboard.permissions import APPROVERS, CLERKS, OFFICERS
from meetings.models import Person
from mou import services
from mou.models import Deliverable, QuarterlyReturn
from mou.permissions import sees_unapproved_returns

pytestmark = pytest.mark.django_db

NOT_PUBLIC = "not yet public"


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def figures_row(html: str, reference: str) -> list[str]:
    figures = html[html.index('id="figures"') :]
    start = re.search(rf">{reference}[ <]", figures).start()
    row = figures[start:].split("</tr>")[0]
    return re.findall(r"numeric\">([^<]*)</td>", row)


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def login(django_user_model, name, group=None, **flags) -> Client:
    user = django_user_model.objects.create_user(name, **flags)
    if group:
        user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


def the_return(mou, reference, quarter) -> QuarterlyReturn:
    return QuarterlyReturn.objects.get(
        deliverable__theme__mou=mou, deliverable__reference=reference, quarter=quarter
    )


@pytest.fixture
def approver(django_user_model):
    return login(django_user_model, "approver-visibility", APPROVERS, is_staff=True)


@pytest.fixture
def signed_off(mou, django_user_model):
    """The MoU of tests/mou/conftest.py part signed off: peer 1's Q1 approved, its Q2 a draft; leads 3's
    Q1 (n/a) a draft and its Q2 submitted; leads 6 no return."""
    by = django_user_model.objects.create_user("head-of-improvement")
    q1 = the_return(mou, "1", 1)
    services.return_submit(quarterly_return=q1, by=by)
    services.return_approve(quarterly_return=q1, by=by)
    services.return_submit(quarterly_return=the_return(mou, "3", 2), by=by)
    return mou


class TestWhoSeesUnapprovedReturns:
    @pytest.mark.parametrize(
        ("group", "flags", "sees"),
        [
            (None, {}, False),  # a login with no role, e.g. a member of the board
            (None, {"is_staff": True}, False),  # staff status alone is no role
            (CLERKS, {"is_staff": True}, True),
            (OFFICERS, {"is_staff": True}, True),
            (APPROVERS, {"is_staff": True}, True),
            (None, {"is_staff": True, "is_superuser": True}, True),
        ],
    )
    def test_the_staff_roles_and_no_one_else(self, django_user_model, group, flags, sees):
        user = django_user_model.objects.create_user("someone", **flags)
        if group:
            user.groups.add(Group.objects.get(name=group))
        assert sees_unapproved_returns(user) is sees

    def test_the_public(self):
        from django.contrib.auth.models import AnonymousUser

        assert sees_unapproved_returns(AnonymousUser()) is False
        assert sees_unapproved_returns(None) is False


class TestThePublicSeeApprovedFiguresOnly:
    def test_the_quarterly_report(self, client, signed_off):
        html = page(client, "/mou/2030-31/q2/")
        assert "9 more" not in html  # peer 1's Q2: a draft
        assert "41 councils" not in html  # leads 3's Q2: submitted
        assert "On track" not in html  # a draft's commentary
        assert NOT_PUBLIC not in html
        assert html.count('<td class="govuk-table__cell">Not yet reported') == 3
        # Totals and % from the approved Q1 alone; the quarter reported on says so, not a blank.
        assert figures_row(html, "1") == ["12", "Not yet reported", "", "", "12", "40%"]
        assert figures_row(html, "3") == ["", "Not yet reported", "", "", "", ""]
        summary = html[html.index("Deliverables by traffic light and theme") :]
        peer = summary[summary.index("Peer support and challenge") :].split("</tr>")[0]
        assert re.findall(r"numeric\">(\d+)</td>", peer) == ["0", "0", "0", "1"]

    def test_the_same_report_signed_in_as_an_approver_shows_them_marked(self, approver, signed_off):
        html = page(approver, "/mou/2030-31/q2/")
        assert f'9 more <strong class="govuk-tag govuk-tag--grey">Draft: {NOT_PUBLIC}</strong>' in html
        assert (
            f'41 councils <strong class="govuk-tag govuk-tag--grey">Submitted: {NOT_PUBLIC}</strong>' in html
        )
        assert figures_row(html, "1") == ["12", "9", "", "", "21", "70%"]
        assert figures_row(html, "3") == ["n/a", "41", "", "", "41", "68%"]

    def test_a_login_with_no_role_sees_what_the_public_see(self, django_user_model, signed_off):
        member = login(django_user_model, "member-visibility")
        html = page(member, "/mou/2030-31/q2/")
        assert "9 more" not in html
        assert figures_row(html, "1") == ["12", "Not yet reported", "", "", "12", "40%"]

    def test_the_mou_page_and_the_deliverable_page(self, client, signed_off):
        html = page(client, "/mou/2030-31/")
        assert "<strong>12</strong> of 30 (40%)" in html
        assert "of 60" not in html  # leads 3: nothing approved
        assert html.count("Not yet reported") == 2  # leads 3 and leads 6
        html = page(client, "/mou/2030-31/peer/1/")
        assert "12 delivered" in html
        assert "9 more" not in html
        assert "Not yet reported" in html
        assert "40% of the target" in html

    def test_the_outturn(self, client, signed_off):
        html = page(client, "/mou/2030-31/outturn/")
        assert "0 of 3 deliverables fully met, 1 partially met; 2 not yet reported." in html

    def test_as_at_an_earlier_date_shows_what_was_approved_then(self, client, approver, signed_off):
        earlier = timezone.make_aware(datetime.datetime(2030, 10, 10, 12))
        QuarterlyReturn.history.filter(deliverable__theme__mou=signed_off).update(history_date=earlier)
        draft = the_return(signed_off, "1", 2)
        services.return_submit(quarterly_return=draft, by=None)
        services.return_approve(quarterly_return=draft, by=None)  # approved today
        assert "9 more" in page(client, "/mou/2030-31/q2/")
        then = page(client, "/mou/2030-31/q2/?as_at=2030-10-15")
        assert "9 more" not in then
        assert figures_row(then, "1") == ["12", "Not yet reported", "", "", "12", "40%"]
        assert "9 more" in page(approver, "/mou/2030-31/q2/?as_at=2030-10-15")  # entered by then

    def test_a_return_reopened_for_correction_is_not_yet_reported_again(self, client, signed_off):
        services.return_reopen(quarterly_return=the_return(signed_off, "1", 1), by=None, reason="Miscounted.")
        assert figures_row(page(client, "/mou/2030-31/q1/"), "1") == ["Not yet reported", "", "", "", "", ""]


class TestDownloads:
    def test_the_public_download_has_approved_returns_only_in_the_same_columns(self, client, signed_off):
        from mou.spreadsheets import HEADERS

        from_csv = csv_rows(client.get("/mou/2030-31/q2-returns.csv").content)
        workbook = load_workbook(io.BytesIO(client.get("/mou/2030-31/q2-returns.xlsx").content))
        from_xlsx = [
            ["" if v is None else str(v) for v in row] for row in workbook.active.iter_rows(values_only=True)
        ]
        assert from_csv == from_xlsx
        assert from_csv[0] == HEADERS
        blank = ["", "", "", "Not yet reported", "", "", "", ""]
        assert from_csv[1] == ["peer", "1", "at least 30 peer challenges", *blank]
        assert from_csv[2] == ["leads", "3", "at least 60 councils", *blank]
        assert from_csv[3] == ["leads", "6", "", *blank]
        q1 = csv_rows(client.get("/mou/2030-31/q1-returns.csv").content)
        assert q1[1][3:8] == ["12", "", "", "12 delivered", "green"]

    def test_signed_in_staff_download_every_return(self, approver, signed_off):
        rows = csv_rows(approver.get("/mou/2030-31/q2-returns.csv").content)
        assert rows[1][3:9] == ["9", "", "", "9 more", "amber", "On track"]
        assert rows[3][3:] == ["", "", "", "", "", "", "", ""]  # no return: blank, to fill in

    @pytest.fixture
    def officer(self, signed_off, django_user_model):
        """Una leads leads 3 (submitted in Q2) and leads 6 (no return)."""
        client = login(django_user_model, "officer-visibility", OFFICERS, is_staff=True)
        user = django_user_model.objects.get(username="officer-visibility")
        person = Person.objects.create(
            slug="una-visibility", first_name="Una", last_name="Officer", user=user
        )
        Deliverable.objects.filter(theme__mou=signed_off, reference__in=["3", "6"]).update(
            lead_officer=person
        )
        return client

    def upload(self, officer, mou, content: bytes, name: str) -> str:
        url = f"/admin/mou/mou/{mou.pk}/quarter/2/import/"
        response = officer.post(url, {"file": SimpleUploadedFile(name, content)}, follow=True)
        assert response.status_code == 200
        return response.content.decode()

    def stored(self, mou):
        return list(
            QuarterlyReturn.objects.filter(deliverable__theme__mou=mou)
            .order_by("pk")
            .values_list("pk", "figure", "narrative", "rag", "status", "version")
        )

    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_the_public_download_uploaded_back_changes_nothing(self, client, officer, signed_off, fmt):
        before = self.stored(signed_off)
        download = client.get(f"/mou/2030-31/q2-returns.{fmt}").content
        html = self.upload(officer, signed_off, download, f"q2.{fmt}")
        assert "Q2: no changes; 0 returns imported." in html
        assert self.stored(signed_off) == before  # "Not yet reported" became no narrative
        assert not QuarterlyReturn.objects.filter(
            deliverable__theme__mou=signed_off, deliverable__reference="6"
        ).exists()

    def test_not_yet_reported_with_figures_typed_beside_it_is_refused_not_saved(
        self, client, officer, signed_off
    ):
        rows = csv_rows(client.get("/mou/2030-31/q2-returns.csv").content)
        rows[3][3] = "4"  # leads 6: a figure, the narrative left as the public download gave it
        rows[3][7] = "green"
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        html = self.upload(officer, signed_off, buffer.getvalue().encode(), "q2.csv")
        assert "Nothing was imported" in html
        assert "Row 4 (6, what have we delivered): “Not yet reported” is what the public download" in html
        assert not QuarterlyReturn.objects.filter(
            deliverable__theme__mou=signed_off, deliverable__reference="6"
        ).exists()


def test_the_report_query_count_is_the_same_for_the_public_with_drafts_stored(
    client, signed_off, django_assert_num_queries
):
    # MoU, themes, returns (approved only), deliverables.
    with django_assert_num_queries(4):
        client.get("/mou/2030-31/q2/")
