"""The 2017/18 MoU as the November 2017 papers give it."""

import re
from decimal import Decimal

import pytest

from mou.models import Deliverable, Mou
from mou.selectors import mou_progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def mou_2017():
    return Mou.objects.get(start_year=2017)


def progress(mou, theme, reference):
    for t in mou_progress(mou, up_to_quarter=2):
        if t.theme.key == theme:
            return next(d for d in t.deliverables if d.deliverable.reference == reference)
    raise AssertionError(theme)


def test_the_mou_has_its_four_themes_and_the_grant(mou_2017):
    assert mou_2017.grant == Decimal(21000000)
    assert list(mou_2017.themes.values_list("title", flat=True)) == [
        "Enabling improvement in local authorities",
        "Efficiency and productivity",
        "Leadership and capacity",
        "Strong communities with excellent public services",
    ]
    assert mou_2017.themes.get(key="enabling-improvement").outcomes.count() == 5


def test_the_peer_challenge_deliverable_as_written(mou_2017):
    peer = Deliverable.objects.get(theme__mou=mou_2017, theme__key="enabling-improvement", reference="1")
    assert peer.target_label == "at least 110 peer challenges"
    assert str(peer.sub_targets.get()) == "at least 70 corporate or finance peer reviews"
    assert peer.commitment.startswith("**Deliver at least 110 peer challenges.**")


@pytest.mark.parametrize(
    ("theme", "reference", "total", "percent"),
    [
        ("enabling-improvement", "1", 31, 28),  # 31 peer challenges by the half year
        ("leadership-and-capacity", "3", 740, 106),  # 740 councillors booked
        ("leadership-and-capacity", "10", 131, 131),  # 131 graduates appointed
        ("efficiency-and-productivity", "3", 15, 60),  # productivity experts in 15 councils
    ],
)
def test_half_year_figures_from_the_papers(mou_2017, theme, reference, total, percent):
    d = progress(mou_2017, theme, reference)
    assert (d.total, d.percent) == (Decimal(total), percent)


def test_the_quarterly_report_for_q2_2017(client):
    html = re.sub(r"\s+", " ", client.get("/mou/2017-18/q2/").content.decode())
    assert "Progress report: Q2 (Jul–Sep)" in html
    assert "What have we delivered by end of September" in html
    assert "at least 110 peer challenges" in html
    assert "Cyber security" in html or "31 July 2017" in html


SOURCE = (
    "Transcribed from the published papers: Improvement and Innovation Board agenda pack, 1 November 2017"
)


def test_the_papers_returns_are_recorded_as_approved_citing_the_papers(mou_2017):
    from mou.models import QuarterlyReturn

    returns = QuarterlyReturn.objects.filter(deliverable__theme__mou=mou_2017).prefetch_related("events")
    assert returns.count() == 38
    for record in returns:
        assert record.status == QuarterlyReturn.Status.APPROVED
        assert [e.kind for e in record.events.all()] == ["submitted", "approved"]
        for event in record.events.all():
            assert event.by is None  # the demo logins were not created
            assert event.reason.startswith(SOURCE)
            assert "Recorded as approved when the demo data was loaded" in event.reason


def test_with_the_demo_logins_the_approver_approved_them(settings, mou_2017):
    from django.core.management import call_command

    from mou.models import ReturnEvent

    settings.DEBUG = True
    call_command("load_demo", "--with-demo-users", verbosity=0)
    events = ReturnEvent.objects.filter(quarterly_return__deliverable__theme__mou=mou_2017)
    assert events.count() == 2 * 38
    assert set(events.values_list("by__username", flat=True)) == {"approver"}
