"""The quarterly report on paper: the traffic-light chart prints in its colours with every theme's
full name, and the summary table that follows it is never split across pages."""

import io

import pytest
from pypdf import PdfReader

from mou.selectors import RAG_FILLS, ThemeProgress, rag_chart
from tests.pdf_checks import AMBER, GREEN, count_pixels, largest_dark_run, near, page_image

pytestmark = pytest.mark.django_db

THEMES = [
    "Enabling improvement in local authorities",
    "Efficiency and productivity",
    "Leadership and capacity",
    "Strong communities with excellent public services",
]


@pytest.fixture(scope="module")
def report_pdf(django_db_setup, django_db_blocker):
    """Rendered once for the module: the demo's Q2 2017/18 report, as the public download it."""
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/mou/2017-18/q2.pdf")
    assert response.status_code == 200
    return response.content


def pages_text(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_chart_prints_in_colour_not_as_black_bars(report_pdf):
    chart = page_image(report_pdf, page=1, dpi=50)
    assert count_pixels(chart, lambda pixel: near(pixel, GREEN)) > 200  # Efficiency: 6 green
    assert count_pixels(chart, lambda pixel: near(pixel, AMBER)) > 200  # and 4 amber
    assert largest_dark_run(chart) < 60  # text only: a black bar ran for hundreds of pixels


def test_the_chart_names_each_theme_in_full_with_its_counts(report_pdf):
    first = pages_text(report_pdf)[0]
    for theme in THEMES:
        assert theme in first
    assert "Efficiency and productivity 4 6 24" in first  # amber, green, not reported, in the bar


def test_the_summary_table_is_not_split_across_pages(report_pdf):
    pages = pages_text(report_pdf)
    (page,) = [text for text in pages if "Deliverables by traffic light and theme" in text]
    table = page[page.index("Deliverables by traffic light and theme") :]
    for theme in THEMES:
        assert theme in table


def test_long_theme_names_wrap_onto_lines_of_their_own_never_cut():
    class Theme:
        title = (
            "Enabling improvement in local authorities through sector-led support, peer challenge and " * 2
        )

    theme = ThemeProgress(theme=Theme())
    (bar,) = rag_chart([theme])["bars"]
    assert len(bar.lines) > 1
    assert " ".join(text for _, text in bar.lines) == Theme.title.strip()
    baselines = [y for y, _ in bar.lines]
    assert baselines == sorted(baselines)
    assert baselines[-1] < bar.y  # all above the bar


def test_the_chart_and_progress_bars_carry_their_colours_as_attributes(client):
    html = client.get("/mou/2017-18/q2/").content.decode()
    svg = html[html.index('<svg role="img"') : html.index("</svg>")]
    assert f'fill="{RAG_FILLS["green"][0]}"' in svg
    assert f'fill="{RAG_FILLS["amber"][0]}"' in svg
    assert 'font-family="arial' in svg
    assert "class=" not in svg.split(">", 1)[1]  # nothing inside the SVG relies on the stylesheet
    assert "…" not in svg
    progress = client.get("/mou/2017-18/").content.decode()
    assert 'class="app-progress__bar' not in progress
    assert 'height="8" fill="#' in progress
