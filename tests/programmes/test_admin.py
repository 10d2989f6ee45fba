"""Officers enter participation as a grid; clerks set up live annexes."""

import pytest
from django.urls import reverse

from programmes.models import Participation
from programmes.participation import breakdowns_for

pytestmark = pytest.mark.django_db


def grid(participation, rows):
    """POST data for the breakdown grid: [(category, [counts…])]."""
    columns = list(participation.columns.all())
    data = {}
    for index, (category, counts) in enumerate(rows):
        data[f"row-{index}-category"] = category
        for column, count in zip(columns, counts, strict=True):
            data[f"row-{index}-{column.code}"] = "" if count is None else str(count)
    return data


class TestBreakdownGrid:
    def url(self, participation, dimension="gender"):
        return reverse("admin:programmes_breakdown", args=[participation.pk, dimension])

    def test_the_grid_shows_the_existing_rows_and_the_other_totals(self, staff_client, participation):
        html = staff_client.get(self.url(participation, "political_group")).content.decode()
        assert 'value="Labour"' in html
        assert 'value="Conservative"' in html
        assert "By political group: 2030/31 to September" in html

    def test_a_breakdown_that_agrees_is_saved(self, staff_client, participation):
        response = staff_client.post(
            self.url(participation), grid(participation, [("Female", [2, 2]), ("Male", [3, 1])])
        )
        assert response.status_code == 302
        gender = next(b for b in breakdowns_for(participation) if b.dimension == "gender")
        assert [(r.category, r.total) for r in gender.rows] == [("Female", 4), ("Male", 4)]

    def test_a_breakdown_that_disagrees_is_refused_with_the_difference_and_nothing_saved(
        self, staff_client, participation
    ):
        response = staff_client.post(
            self.url(participation), grid(participation, [("Female", [2, 2]), ("Male", [3, 0])])
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "Nothing was saved." in html
        assert (
            "By gender the total is 7, but by political group it is 8: Next Generation (NXG) 2 against 3."
            in html
        )
        assert 'value="Male"' in html  # what was typed is kept for correcting
        assert not participation.counts.filter(dimension="gender").exists()

    def test_a_negative_count_is_refused_at_its_cell(self, staff_client, participation):
        html = staff_client.post(
            self.url(participation), grid(participation, [("Female", [-1, 9])])
        ).content.decode()
        assert "Ensure this value is greater than or equal to 0." in html
        assert not participation.counts.filter(dimension="gender").exists()

    def test_an_unknown_dimension_is_404(self, staff_client, participation):
        assert staff_client.get(self.url(participation, "shoe-size")).status_code == 404

    def test_the_demo_bookings_grid_has_a_row_per_printed_row(self, staff_client):
        bookings = Participation.objects.get(programme__slug="highlighting-leadership")
        html = staff_client.get(self.url(bookings, "region")).content.decode()
        assert 'value="Yorkshire &amp; Humber"' in html
        assert html.count('name="row-') == (10 + 3) * 7  # 10 regions and 3 blank rows; category + 6 columns


@pytest.mark.parametrize(
    "name",
    ["programme", "priority", "workstream", "output", "participation", "liveannex", "sectorupdate"],
)
def test_admin_lists_load(staff_client, name):
    response = staff_client.get(reverse(f"admin:programmes_{name}_changelist"))
    assert response.status_code == 200
    assert "Select" in response.content.decode()


def test_the_live_annex_admin_links_to_the_paper(staff_client):
    from programmes.models import LiveAnnex

    live = LiveAnnex.objects.get(annex__report__item__number=4, annex__letter="A")
    html = staff_client.get(reverse("admin:programmes_liveannex_change", args=[live.pk])).content.decode()
    assert "/boards/improvement-and-innovation-board/2017-11-01/items/4/#item-4-a" in html


def test_a_clerk_links_a_report_to_a_deliverable_from_the_report(staff_client, november_meeting):
    from meetings.models import Report

    report = Report.objects.get(item__meeting=november_meeting, item__number=3)
    html = staff_client.get(reverse("admin:meetings_report_change", args=[report.pk])).content.decode()
    assert "MoU deliverables this report discusses" in html
    assert report.deliverables.filter(theme__key="enabling-improvement", reference="1").exists()
