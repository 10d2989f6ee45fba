import re

import pytest

from lgaboard.markdown import render_markdown


def test_numbered_paragraphs_keep_the_papers_numbers():
    html = render_markdown("30. There are no implications for Wales.\n31. None.")
    assert '<ol start="30">' in html
    assert "<li>There are no implications for Wales.</li>" in html


def test_tables_render_with_header_cells():
    html = render_markdown("| Group | Seats |\n|---|---|\n| Labour | 7 |")
    assert "<th>Group</th>" in html
    assert "<td>7</td>" in html


def test_html_tables_in_markdown_keep_their_structure_but_lose_attributes():
    header = '<tr><th scope="col" style="color:red">A</th></tr>'
    html = render_markdown(f"<table>{header}<tr><td><ul><li>x</li></ul></td></tr></table>")
    assert '<th scope="col">A</th>' in html
    assert "<li>x</li>" in html
    assert "style" not in html


def test_scripts_frames_and_event_handlers_are_removed_not_run():
    html = render_markdown(
        "Hello <script>alert('pwned')</script> <iframe src='https://evil.example'></iframe>"
        ' <b onclick="steal()">bold</b> [link](javascript:alert(1))'
    )
    assert "<script" not in html
    assert "alert('pwned')" not in html
    assert "<iframe" not in html
    assert "onclick" not in html
    assert "javascript:" not in html
    assert "<b>bold</b>" in html


def test_headings_shift_to_fit_the_page_and_keep_their_order():
    html = render_markdown("## Background\n\ntext\n\n### Detail\n\nmore", top_heading=3)
    assert "<h3>Background</h3>" in html
    assert "<h4>Detail</h4>" in html
    assert "<h2" not in html


def test_links_are_kept_safe():
    html = render_markdown("[LGA](https://www.local.gov.uk) and <a href='mailto:a@b.c'>mail</a>")
    assert 'href="https://www.local.gov.uk"' in html
    assert 'rel="noopener noreferrer"' in html
    assert 'href="mailto:a@b.c"' in html


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""


def test_times_are_printed_as_in_the_papers():
    import datetime

    from lgaboard.templatetags.lgaboard import clock

    assert clock(datetime.time(11, 0)) == "11.00am"
    assert clock(datetime.time(13, 0)) == "1.00pm"
    assert clock(datetime.time(0, 30)) == "12.30am"
    assert clock(datetime.time(12, 5)) == "12.05pm"
    assert clock(None) == ""


def test_a_papers_table_is_named_by_the_heading_before_it_and_can_be_scrolled_by_keyboard():
    html = render_markdown(
        "### Programme bookings\n\n| Political group | LA |\n|---|---|\n| Labour | 7 |\n\n"
        "| Region | LA |\n|---|---|\n| London | 7 |\n\n"
        "**Programme activities 2017/18:**\n\n| Objective | Achieved |\n|---|---|\n| A | B |\n\n"
        "6. **Shared services**\n    - 6.1. **Programme activities 2017/18:**\n\n"
        "| Objective | Achieved |\n|---|---|\n| C | D |\n\n"
        "**Programme activities 2017/18:**\n\n| Objective | Achieved |\n|---|---|\n| E | F |"
    )
    assert '<caption class="govuk-visually-hidden">Programme bookings</caption>' in html
    assert '<caption class="govuk-visually-hidden">Programme bookings, by region</caption>' in html
    assert '<caption class="govuk-visually-hidden">Programme activities 2017/18</caption>' in html
    assert "Shared services: Programme activities 2017/18</caption>" in html
    assert "Programme activities 2017/18 (table 2)</caption>" in html
    assert html.count('role="region"') == 5
    wrapper = '<div class="app-table-wrapper" role="region" aria-label="Table: Programme bookings"'
    assert wrapper in html


def test_a_table_with_its_own_caption_keeps_it():
    html = render_markdown('<table><caption>Seats "held"</caption><tr><th>A</th></tr></table>')
    assert html.count("<caption") == 1
    assert 'aria-label="Table: Seats &quot;held&quot;"' in html


def test_the_table_box_tag_names_a_table_by_its_caption_or_by_a_label_it_is_given():
    from django.template import Context, Template

    table = "<table><caption class='x'>Members &amp; seats</caption></table>"
    by_caption = Template("{% load lgaboard %}{% table_box %}" + table + "{% endtable_box %}").render(
        Context()
    )
    assert by_caption == (
        '<div class="app-table-wrapper" role="region" aria-label="Table: Members &amp; seats" tabindex="0">'
        f"{table}</div>"
    )
    labelled = Template("{% load lgaboard %}{% table_box label=name %}<table></table>{% endtable_box %}")
    assert 'aria-label="Table: Cllr &quot;Judi&quot; Billing"' in labelled.render(
        Context({"name": 'Cllr "Judi" Billing'})
    )


def sub_paragraphs(html: str) -> list[str]:
    return re.findall(r'<span class="app-paragraphs__number">([^<]*) </span>', html)


def test_sub_paragraph_numbers_replace_the_bullet():
    html = render_markdown("3. The building blocks are:\n    - 3.1 peer challenge;\n    - 3.2 leadership.")
    assert '<ol class="app-paragraphs" role="list">' in html
    assert "<ul>" not in html
    assert sub_paragraphs(html) == ["3.1", "3.2"]
    assert '<span class="app-paragraphs__number">3.1 </span>peer challenge;</li>' in html
    assert html.count("3.1") == 1  # the number appears once, not as a marker and again in the text


def test_sub_paragraphs_keep_the_papers_own_style_and_depth():
    text = (
        "10. Smarter sourcing:\n"
        "    - 10.1. Under the NPS the main workstreams are:\n"
        "        - 10.1.1. Category management.\n"
        "        - 10.1.2. Strategic supplier management.\n"
        "    - 10.2. **Programme activities**\n\n"
        "        Loose items keep their paragraphs.\n"
    )
    html = render_markdown(text)
    assert sub_paragraphs(html) == ["10.1.", "10.1.1.", "10.1.2.", "10.2."]
    assert "<ul>" not in html
    assert (
        '<p><span class="app-paragraphs__number">10.2. </span><strong>Programme activities</strong></p>'
        in html
    )


@pytest.mark.parametrize(
    "text",
    [
        "- 1.5 million visits\n- 2.3 per cent more",  # figures, not paragraph numbers
        "- 3.1 peer challenge\n- leadership",  # not every item numbered
        "- 3.2 later\n- 3.1 earlier",  # not in order
        "- 3 peer challenges\n- 4 reviews",
    ],
)
def test_other_bulleted_lists_keep_their_bullets(text):
    html = render_markdown(text)
    assert "<ul>" in html
    assert "app-paragraphs" not in html


def test_sub_paragraph_numbers_come_from_the_sanitised_text():
    html = render_markdown(
        '- 3.1 <script>alert(1)</script>peer <b onclick="x()">challenge</b>\n'
        "- 3.2 <img src=x onerror=alert(1)>"
    )
    assert sub_paragraphs(html) == ["3.1", "3.2"]
    assert "<script" not in html
    assert "onclick" not in html
    assert "onerror" not in html
