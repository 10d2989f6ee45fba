"""The MoU pages as a member reads them, with the board's own examples for the numbers."""

import re
from decimal import Decimal

import pytest

from mou.models import Deliverable, QuarterlyReturn, Theme
from tests.factories import DeliverableFactory, QuarterlyReturnFactory, SubTargetFactory, ThemeOutcomeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mou(mou):
    """The MoU of tests/mou/conftest.py with its returns approved: these tests read the figures as
    the public do, who see them once approved (drafts: tests/mou/test_visibility.py)."""
    for record in QuarterlyReturn.objects.filter(deliverable__theme__mou=mou):
        record.status = QuarterlyReturn.Status.APPROVED
        record.save(update_fields=["status"], sign_off=True)  # kept in the history, for "as at"
    return mou


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_mou_page_shows_each_deliverable_against_its_target(client, mou):
    html = page(client, "/mou/2030-31/")
    assert "Programme 2030/31" in html
    assert "£21,000,000" in html
    assert "at least 30 peer challenges" in html
    assert "<strong>21</strong> of 30 (70%)" in html  # additive: 12 + 9
    assert "<strong>41</strong> of 60 (68%)" in html  # cumulative: n/a then 41
    assert "No numeric target" in html
    assert '<strong class="govuk-tag app-tag--red">Red</strong>' in html  # RAG in words, not colour alone


def test_the_mou_page_lists_outcomes_and_sub_targets_in_a_fixed_number_of_queries(
    client, mou, django_assert_num_queries
):
    peer = mou.themes.get(key="peer")
    ThemeOutcomeFactory(theme=peer, text="Councils will be challenged by their peers.")
    SubTargetFactory(deliverable=peer.deliverables.get(), target=20, unit="corporate peer challenges")
    # MoU, themes, returns, deliverables, outcomes, sub-targets.
    with django_assert_num_queries(6):
        html = page(client, "/mou/2030-31/")
    assert "We will:" in html
    assert "<li>Councils will be challenged by their peers.</li>" in html
    assert "of which at least 20 corporate peer challenges" in html


def test_the_quarterly_report_in_both_forms_with_a_summary(client, mou):
    html = page(client, "/mou/2030-31/q2/")
    assert "Progress report: Q2 (Jul–Sep)" in html
    assert "What have we delivered by end of September" in html
    assert "9 more" in html
    assert "41 councils" in html
    figures = html[html.index('id="figures"') :]
    # Each deliverable by its reference and its short form, as a board's figures tables print them.
    row = figures[figures.index(">1 <span") :].split("</tr>")[0]
    assert "Deliver at least 30 peer challenges." in row
    assert re.findall(r"numeric\">([^<]*)</td>", row) == ["12", "9", "", "", "21", "70%"]
    row = figures[figures.index(">3 <span") :].split("</tr>")[0]
    assert "Support at least 60 councils." in row
    assert re.findall(r"numeric\">([^<]*)</td>", row) == ["n/a", "41", "", "", "41", "68%"]
    assert "On track" in figures


def test_the_summary_chart_is_an_accessible_svg_with_a_table_of_the_same_numbers(client, mou):
    html = page(client, "/mou/2030-31/q2/")
    assert '<svg role="img" aria-labelledby="chart-title chart-desc"' in html
    assert '<title id="chart-title">Traffic lights by theme, Q2 2030/31</title>' in html
    summary = html[html.index("Deliverables by traffic light and theme") :]
    peer = summary[summary.index("Peer support and challenge") :].split("</tr>")[0]
    assert re.findall(r"numeric\">(\d+)</td>", peer) == ["0", "1", "0", "0"]
    leads = summary[summary.index(">Leadership<") :].split("</tr>")[0]
    assert re.findall(r"numeric\">(\d+)</td>", leads) == ["0", "0", "1", "1"]


def test_an_earlier_quarter_shows_only_what_was_known_then(client, mou):
    html = page(client, "/mou/2030-31/q1/")
    figures = html[html.index('id="figures"') :]
    row = figures[figures.index(">1 <span") :].split("</tr>")[0]
    assert re.findall(r"numeric\">([^<]*)</td>", row) == ["12", "", "", "", "12", "40%"]


@pytest.mark.parametrize(
    "url", ["/mou/2030-32/", "/mou/2031-32/", "/mou/2030-31/q5/", "/mou/2030-31/q0/", "/mou/x/"]
)
def test_unknown_years_and_quarters_give_404(client, mou, url):
    assert client.get(url).status_code == 404


def test_the_report_query_count_does_not_grow_with_deliverables(client, mou, django_assert_num_queries):
    theme = mou.themes.first()
    for n in range(20):
        d = DeliverableFactory(
            theme=theme, reference=f"x{n}", order=10 + n, commitment="More.", target=5, comparator="at_least",
            unit="councils", rule="cumulative",
        )  # fmt: skip
        QuarterlyReturnFactory(
            deliverable=d, quarter=2, figure=Decimal(1), rag="green", status=QuarterlyReturn.Status.APPROVED
        )
    # MoU, themes, returns, deliverables: the same for 3 deliverables or 23.
    with django_assert_num_queries(4):
        client.get("/mou/2030-31/q2/")


def test_the_report_shows_any_change_to_what_it_shows_at_once(client, mou):
    """The report's tables are kept rendered until what they show changes (mou/views.py): a figure,
    a return taken back, words changed even without saving each object, a deliverable added."""
    before = page(client, "/mou/2030-31/q2/")
    assert "9 more" in before
    record = QuarterlyReturn.objects.get(deliverable__theme__mou=mou, deliverable__reference="1", quarter=2)
    record.figure, record.narrative = Decimal(10), "10 more"
    record.save(sign_off=True)  # corrected, as through the sign-off services
    Deliverable.objects.filter(theme__mou=mou, reference="3").update(short_title="Sixty councils")
    Theme.objects.filter(mou=mou, key="leads").update(title="Leadership and renewal")
    DeliverableFactory(theme=mou.themes.get(key="peer"), reference="2", order=2, commitment="Train mentors.")
    html = page(client, "/mou/2030-31/q2/")
    figures = html[html.index('id="figures"') :]
    row = figures[figures.index(">1 <span") :].split("</tr>")[0]
    assert re.findall(r"numeric\">([^<]*)</td>", row) == ["12", "10", "", "", "22", "73%"]
    assert "10 more" in html
    assert "9 more" not in html
    assert "Sixty councils" in html
    assert "Leadership and renewal" in html
    peer = html[html.index('<caption class="govuk-table__caption govuk-table__caption--m">Peer support') :]
    assert "<strong>2.</strong> No numeric target" in peer.split("</table>")[0]
    QuarterlyReturn.objects.filter(pk=record.pk).update(status=QuarterlyReturn.Status.DRAFT)
    assert "10 more" not in page(client, "/mou/2030-31/q2/")  # taken back: not public any more


def test_the_outturn_counts_deliverables_met_partially_met_and_not_met(client, mou):
    html = page(client, "/mou/2030-31/outturn/")
    # peer 1: 21 of 30 (partially); leads 3: 41 of 60 (partially); leads 6: no return (not reported)
    assert "0 of 3 deliverables fully met, 2 partially met; 1 not yet reported." in html
    assert html.count("<strong>Partially met</strong>") == 2
    assert "<strong>Not reported</strong>" in html


def test_the_report_as_it_stood_on_an_earlier_date(client, mou):
    import datetime

    from django.utils import timezone

    record = QuarterlyReturn.objects.get(deliverable__theme__mou=mou, deliverable__reference="3", quarter=2)
    from mou import services

    # Back-date the original entry's history (entered and approved), then correct it today.
    record.history.update(history_date=timezone.make_aware(datetime.datetime(2030, 10, 10, 12)))
    services.return_reopen(quarterly_return=record, by=None, reason="Four councils were missed.")
    record.figure = 45
    record.narrative = "45 councils"
    record.save()
    services.return_submit(quarterly_return=record, by=None)
    services.return_approve(quarterly_return=record, by=None)
    now = page(client, "/mou/2030-31/q2/")
    assert "45 councils" in now
    then = page(client, "/mou/2030-31/q2/?as_at=2030-10-15")
    assert "As the figures stood at the end of 15 October 2030." in then
    assert "41 councils" in then
    assert "45 councils" not in then
    assert "68%" in then
    before = page(client, "/mou/2030-31/q2/?as_at=2030-10-01")
    assert "41 councils" not in before


def test_a_bad_as_at_date_is_a_404(client, mou):
    assert client.get("/mou/2030-31/q2/?as_at=2030-13-45").status_code == 404


@pytest.mark.parametrize("url", ["/mou/", "/mou/2017-18/", "/mou/2017-18/q2/", "/mou/2017-18/outturn/"])
def test_mou_pages_have_one_h1_and_headings_in_order(client, url):
    import itertools

    levels = [int(level) for level in re.findall(r"<h([1-6])\b", client.get(url).content.decode())]
    assert levels.count(1) == 1
    assert [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1] == []
