"""An MoU's deliverables with their progress as CSV (`/mou/<year>/deliverables.csv`), read back with
the csv module: each quarter's approved figure, the total to date and % achieved as the progress
pages give them (mou/rules.py through the selectors), never a return not yet approved."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mou.models import Deliverable, QuarterlyReturn
from mou.selectors import mou_for, mou_progress
from tests.factories import DeliverableFactory, MouFactory, QuarterlyReturnFactory

pytestmark = pytest.mark.django_db

URL = "/mou/2017-18/deliverables.csv"
Q = ["Q1 (Apr–Jun) figure", "Q2 (Jul–Sep) figure", "Q3 (Oct–Dec) figure", "Q4 (Jan–Mar) figure"]
APPROVED = QuarterlyReturn.Status.APPROVED


def read(response, filename: str = "mou-2017-18-deliverables.csv") -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def row_for(rows, theme: str, reference: str) -> dict[str, str]:
    return next(row for row in rows if row["Theme"] == theme and row["Reference"] == reference)


def peer_challenges() -> Deliverable:
    return Deliverable.objects.get(
        theme__mou__start_year=2017, theme__key="enabling-improvement", reference="1"
    )


ENABLING = "Enabling improvement in local authorities"


def test_every_deliverable_with_its_figures_as_the_papers_give_them(client):
    rows = read(client.get(URL))
    assert len(rows) == 96
    peer = row_for(rows, ENABLING, "1")
    assert peer["Short form"] == "Deliver at least 110 peer challenges…"
    assert peer["Commitment"].startswith("**Deliver at least 110 peer challenges.**\n\nThis will include")
    assert peer["Target"] == "at least 110 peer challenges"
    assert peer["How the quarters combine"] == "Cumulative: each quarter reports the position to date"
    assert [peer[q] for q in Q] == ["", "31", "", ""]  # the half year's figure; nothing else reported
    assert (peer["Total to date"], peer["% achieved"]) == ("31", "28")  # 31 of 110
    assert peer["Page"] == "http://testserver/mou/2017-18/enabling-improvement/1/"
    narrative = row_for(rows, ENABLING, "2")
    assert (narrative["Target"], narrative["Total to date"], narrative["% achieved"]) == ("", "", "")
    cyber = row_for(rows, "Efficiency and productivity", "11d")
    assert (cyber["Target"], cyber["Milestone"], cyber["Traffic light"]) == (
        "by 31 July 2017",
        "Done",
        "Green",
    )


def test_totals_and_percentages_are_the_progress_pages(client):
    """The same numbers as the MoU's page and the quarterly report (mou.rules via the selectors),
    for every deliverable."""
    rows = read(client.get(URL))
    expected = [
        (
            f"{p.total.normalize():f}" if p.total is not None else "",
            "" if p.percent is None else str(p.percent),
        )
        for theme in mou_progress(mou_for("2017-18"))
        for p in theme.deliverables
    ]
    assert [(row["Total to date"], row["% achieved"]) for row in rows] == expected
    assert sum(1 for total, _ in expected if total) >= 10  # the papers give that many totals at least


def test_a_return_not_yet_approved_is_neither_shown_nor_counted(client):
    deliverable = peer_challenges()
    QuarterlyReturnFactory(deliverable=deliverable, quarter=3, figure=50, rag="green")  # a draft
    QuarterlyReturnFactory(
        deliverable=deliverable, quarter=4, figure=70, status=QuarterlyReturn.Status.SUBMITTED
    )
    peer = row_for(read(client.get(URL)), ENABLING, "1")
    assert [peer[q] for q in Q] == ["", "31", "", ""]
    assert (peer["Total to date"], peer["% achieved"]) == ("31", "28")


def test_an_approved_return_counts_by_the_deliverables_rule(client):
    deliverable = peer_challenges()
    QuarterlyReturnFactory(deliverable=deliverable, quarter=3, figure=50, rag="green", status=APPROVED)
    QuarterlyReturnFactory(deliverable=deliverable, quarter=4, not_applicable=True, status=APPROVED)
    peer = row_for(read(client.get(URL)), ENABLING, "1")
    assert [peer[q] for q in Q] == ["", "31", "50", "n/a"]
    assert (peer["Total to date"], peer["% achieved"], peer["Traffic light"]) == ("50", "45", "Green")


def test_a_signed_in_officer_receives_the_public_figures_too(staff_client):
    QuarterlyReturnFactory(deliverable=peer_challenges(), quarter=3, figure=50)  # a draft
    peer = row_for(read(staff_client.get(URL)), ENABLING, "1")
    assert peer["Q3 (Oct–Dec) figure"] == ""


def test_text_cannot_run_as_a_formula(client):
    planted = '=HYPERLINK("https://example.org/steal","Click for the figures")'
    deliverable = peer_challenges()
    deliverable.short_title = planted
    deliverable.save()
    assert row_for(read(client.get(URL)), ENABLING, "1")["Short form"] == f"'{planted}"


def test_a_draft_mou_or_an_unknown_year_is_not_found(client, staff_client):
    draft = MouFactory(start_year=2040, draft=True)
    assert client.get(f"/mou/{draft.slug}/deliverables.csv").status_code == 404
    assert staff_client.get(f"/mou/{draft.slug}/deliverables.csv").status_code == 404
    assert "deliverables.csv" not in staff_client.get(f"/mou/{draft.slug}/").content.decode()
    assert client.get("/mou/2031-32/deliverables.csv").status_code == 404


def test_the_mou_page_links_to_it(client):
    page = client.get("/mou/2017-18/").content.decode()
    assert (
        f'<a class="govuk-link" href="{URL}">Download the deliverables and their progress (CSV)</a>' in page
    )


def test_queries_do_not_grow_with_the_deliverables(client, mou, django_assert_num_queries):
    url = f"/mou/{mou.slug}/deliverables.csv"
    with CaptureQueriesContext(connection) as few:
        assert len(read(client.get(url), f"mou-{mou.slug}-deliverables.csv")) == 3
    theme = mou.themes.first()
    for n in range(5):
        more = DeliverableFactory(
            theme=theme, reference=f"x{n}", target=10, comparator="at_least", rule="additive"
        )
        QuarterlyReturnFactory(deliverable=more, quarter=1, figure=n, status=APPROVED)
    with django_assert_num_queries(len(few)):
        assert len(read(client.get(url), f"mou-{mou.slug}-deliverables.csv")) == 8
