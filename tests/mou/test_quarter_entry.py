"""The quarter entry screen with the demo as loaded: Siobhan Coughlan, the `officer` login, leads the
17 efficiency and productivity deliverables her programme serves (fixtures/demo/mou/2017-18.yaml)."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from lgaboard.permissions import APPROVERS, OFFICERS
from meetings.models import Person
from mou.models import Deliverable, Mou, QuarterlyReturn

pytestmark = pytest.mark.django_db

THEME = "efficiency-and-productivity"
# The deliverables the productivity programme's projects serve (fixtures/demo/programmes/2017-18.yaml).
HERS = {"1", "1a", "1b", "1c", "2", "3", "4", "5", "6", "7", "8", "9", "11a", "11b", "11c", "11d", "14"}


def login(django_user_model, name, group, person) -> Client:
    user = django_user_model.objects.create_user(f"{name}-entry", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    Person.objects.filter(slug=person).update(user=user)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def officer(django_user_model):
    return login(django_user_model, "officer", OFFICERS, "siobhan-coughlan")


@pytest.fixture
def approver(django_user_model):
    return login(django_user_model, "approver", APPROVERS, "dennis-skinner")


@pytest.fixture
def entry():
    mou = Mou.objects.get(start_year=2017)
    return lambda quarter=3, query="": f"/admin/mou/mou/{mou.pk}/quarter/{quarter}/{query}"


def deliverable(reference, theme=THEME) -> Deliverable:
    return Deliverable.objects.get(theme__mou__start_year=2017, theme__key=theme, reference=reference)


def text(html: str) -> str:
    """What a person reads: the page without its tags, its spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_demo_makes_the_officer_the_lead_of_her_programmes_deliverables():
    led = Deliverable.objects.filter(lead_officer__slug="siobhan-coughlan")
    assert {d.theme.key for d in led} == {THEME}
    assert {d.reference for d in led} == HERS
    assert (
        not Deliverable.objects.exclude(reference__in=HERS, theme__key=THEME)
        .exclude(lead_officer=None)
        .exists()
    )  # the papers name no lead officers: nobody else is given any


def test_loading_the_demo_again_keeps_the_leads():
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    led = Deliverable.objects.filter(lead_officer__slug="siobhan-coughlan")
    assert sorted(d.reference for d in led) == sorted(HERS)


def test_the_officer_sees_her_deliverables_with_their_words_and_no_disabled_inputs(officer, entry):
    html = officer.get(entry()).content.decode()
    page = text(html)
    assert "Efficiency and productivity, Q3 (Oct–Dec)" in page  # her theme, without choosing it
    assert "Deliverables I lead (17)" in page
    assert "All deliverables of this theme (34)" in page
    assert html.count('<li class="qe-card') == 17
    # Each commitment's words: its short form, and the whole of it as written one click away.
    assert "3 Provide productivity and income generation experts to work with at least 25 councils" in page
    assert "Through this programme IDeA identifies and provides an expert for councils" in page
    assert "<summary>The commitment as written" in html
    assert "disabled" not in html
    assert "You do not lead this deliverable" not in page
    three = deliverable("3")
    assert f'name="d{three.pk}-figure"' in html
    assert "Q2 15 Green" in page  # the earlier quarter, its traffic light in words
    assert "Total to date 15: 60% of the target" in page  # 15 of 25 councils, by the rules


def test_all_deliverables_of_the_theme_shows_the_others_as_text(officer, entry):
    html = officer.get(entry(query=f"?theme={THEME}&show=all")).content.decode()
    page = text(html)
    assert html.count('<li class="qe-card') == 34
    assert page.count("You do not lead this deliverable") == 34 - 17
    other = deliverable("10")
    assert f'name="d{other.pk}-' not in html  # text, not inputs
    assert "disabled" not in html
    assert "10 Maintain and improve LG Inform, the on-line data and benchmarking service" in page


def test_an_approver_sees_the_whole_theme_by_default(approver, entry):
    html = approver.get(entry(query=f"?theme={THEME}")).content.decode()
    assert html.count('<li class="qe-card') == 34
    assert f'name="d{deliverable("10").pk}-narrative"' in html
    assert "You do not lead this deliverable" not in html


def test_deliverables_i_lead_says_so_when_there_are_none(approver, entry):
    page = text(approver.get(entry(query=f"?theme={THEME}&show=mine")).content.decode())
    assert "Deliverables I lead (0)" in page
    assert "You lead none of this theme's deliverables. Show all deliverables of this theme" in page


def test_a_correction_reason_is_asked_only_where_a_cumulative_figure_can_go_down(officer, entry):
    html = officer.get(entry()).content.decode()
    first = deliverable("1b")  # cumulative, nothing reported before Q3
    assert f'name="d{first.pk}-figure"' in html
    assert f'name="d{first.pk}-correction_reason"' not in html
    narrative = deliverable("1a")
    assert f'name="d{narrative.pk}-figure"' not in html  # no numeric target: no figure to give
    assert f'name="d{narrative.pk}-correction_reason"' not in html
    three = deliverable("3")  # cumulative, Q2 reported 15: asked, but folded away
    card = re.search(rf'<li class="qe-card[^"]*" id="d{three.pk}">.*?</li>', html, re.S).group(0)
    assert re.search(r'<details class="qe-details">\s*<summary>Is the figure lower than Q2&#x27;s 15', card)
    assert f'name="d{three.pk}-correction_reason"' in card


def post_row(client, url, record, **values):
    """Posts the screen as shown, with one row's values changed."""
    from tests.forms import form_data

    data = form_data(client.get(url).content.decode())
    data |= {f"d{record.pk}-{name}": value for name, value in values.items()}
    return client.post(url, data)


def test_a_lower_cumulative_figure_needs_a_reason_and_the_error_follows_the_govuk_pattern(officer, entry):
    url = entry(query=f"?theme={THEME}")
    three = deliverable("3")
    response = post_row(officer, url, three, figure="14", rag="green", narrative="14 councils")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    summary = re.search(r'<div class="qe-error-summary".*?</div>', html, re.S).group(0)
    assert "There is a problem" in summary
    assert "Nothing was saved." in summary
    link = f'<a href="#id_d{three.pk}-figure-field">Deliverable 3, figure for Q3: This is lower than Q2'
    assert link in summary
    # The message beside the field, which points at it; what she typed is kept.
    assert f'<p class="qe-error-message" id="id_d{three.pk}-figure_error">' in html
    assert re.search(rf'aria-describedby="[^"]*id_d{three.pk}-figure_error"', html)
    assert re.search(rf'name="d{three.pk}-figure" value="14"', html)
    assert "14 councils</textarea>" in html
    assert re.search(
        r'<details class="qe-details" open>\s*<summary>Is the figure lower than Q2&#x27;s 15', html
    )
    assert not QuarterlyReturn.objects.filter(deliverable=three, quarter=3).exists()

    reason = "One council counted at Q2 had withdrawn before the work began."
    response = post_row(
        officer, url, three, figure="14", rag="green", narrative="14 councils", correction_reason=reason
    )
    assert response.status_code == 302
    saved = QuarterlyReturn.objects.get(deliverable=three, quarter=3)
    assert (saved.figure, saved.correction_reason) == (14, reason)


def test_every_problem_is_listed_and_nothing_is_saved(officer, entry):
    from tests.forms import form_data

    url = entry(query=f"?theme={THEME}")
    data = form_data(officer.get(url).content.decode())
    seven, nine = deliverable("7"), deliverable("9")
    data |= {f"d{seven.pk}-figure": "-2", f"d{seven.pk}-rag": "amber"}
    data |= {f"d{nine.pk}-figure": "8"}  # no traffic light
    html = officer.post(url, data).content.decode()
    negative = "Deliverable 7, figure for Q3: A figure cannot be negative."
    assert f'<a href="#id_d{seven.pk}-figure-field">{negative}</a>' in html
    assert f'<a href="#id_d{nine.pk}-rag-field">Deliverable 9, traffic light: Give the traffic light' in html
    assert not QuarterlyReturn.objects.filter(deliverable__in=[seven, nine], quarter=3).exists()


def test_a_forged_row_for_a_deliverable_she_does_not_lead_is_refused(officer, entry):
    """Shown as text, a row she does not lead posts nothing; a post for it anyway is refused whole."""
    from tests.forms import form_data

    url = entry(query=f"?theme={THEME}&show=all")
    data = form_data(officer.get(url).content.decode())
    six, other = deliverable("6"), deliverable("10")
    data |= {f"d{six.pk}-figure": "5", f"d{six.pk}-rag": "amber"}
    data |= {f"d{other.pk}-narrative": "Not hers", f"d{other.pk}-rag": "green"}
    html = officer.post(url, data).content.decode()
    assert f'<a href="#d{other.pk}">Deliverable 10: You do not lead this deliverable' in html
    assert not QuarterlyReturn.objects.filter(deliverable__in=[six, other], quarter=3).exists()


class TestQueryCounts:
    """The screen's queries are fixed: the same for 13 rows as for 34, and for her 17."""

    def count(self, client, url, django_assert_num_queries, expected):
        with django_assert_num_queries(expected):
            response = client.get(url)
        assert response.status_code == 200

    @pytest.mark.parametrize("theme", ["enabling-improvement", THEME])  # 13 and 34 deliverables
    def test_an_approvers_screen(self, approver, entry, django_assert_num_queries, theme):
        self.count(approver, entry(query=f"?theme={theme}"), django_assert_num_queries, 12)

    @pytest.mark.parametrize("show", ["mine", "all"])  # 17 and 34 deliverables
    def test_the_officers_screen(self, officer, entry, django_assert_num_queries, show):
        self.count(officer, entry(query=f"?theme={THEME}&show={show}"), django_assert_num_queries, 12)
