"""Sanitised HTML (a Word document's, through mammoth) back into the portal's Markdown, which then
renders as the papers are laid out: the round trip is what is tested."""

import pytest

from lgaboard.html_to_markdown import Numbering, parse, to_markdown
from lgaboard.markdown import render_markdown


def markdown(html: str, *, numbered: bool = False) -> str:
    return to_markdown(parse(html).children, numbering=Numbering() if numbered else None)


def rendered(html: str, **kwargs) -> str:
    return " ".join(render_markdown(markdown(html, **kwargs)).split())


def test_paragraphs_headings_bold_italic_and_links():
    html = (
        "<h1>Title</h1><h3>Background</h3><p>Members <strong>agreed </strong>the <em>plan</em>: see "
        '<a href="https://www.local.gov.uk/a (b)">the LGA</a>.</p>'
    )
    assert markdown(html) == (
        "## Title\n\n### Background\n\n"
        "Members **agreed** the *plan*: see [the LGA](https://www.local.gov.uk/a%20%28b%29)."
    )


def test_text_that_looks_like_markup_stays_text():
    said = markdown("<p># 5 * 3 = [15] | a_b &lt;script&gt;alert(1)&lt;/script&gt; &amp; co</p>")
    assert said == r"\# 5 \* 3 = \[15\] \| a\_b &lt;script&gt;alert(1)&lt;/script&gt; &amp; co"
    assert (
        render_markdown(said) == "<p># 5 * 3 = [15] | a_b &lt;script&gt;alert(1)&lt;/script&gt; &amp; co</p>"
    )


def test_a_link_to_a_place_in_the_document_keeps_its_words_only():
    assert markdown('<p>See <a href="#footnote-1">[1]</a> and <a>this</a>.</p>') == r"See \[1\] and this."


def test_a_line_break_is_a_hard_break():
    assert rendered("<p>Line one<br />line two</p>") == "<p>Line one<br> line two</p>"


def test_lists_nest():
    html = "<ul><li>Peer challenge<ul><li>Corporate</li><li>Finance</li></ul></li><li>Leadership</li></ul>"
    assert markdown(html) == "- Peer challenge\n    - Corporate\n    - Finance\n- Leadership"
    assert rendered(html) == (
        "<ul> <li>Peer challenge<ul> <li>Corporate</li> <li>Finance</li> </ul> </li> "
        "<li>Leadership</li> </ul>"
    )


def test_an_ordered_list_keeps_its_start_without_paragraph_numbers():
    assert markdown('<ol start="4"><li>Four</li><li>Five</li></ol>') == "4. Four\n5. Five"
    assert markdown("<ol><li>One<ol><li>Nested</li></ol></li></ol>") == "1. One\n    1. Nested"


def test_numbered_paragraphs_run_on_and_their_lists_are_sub_paragraphs():
    html = (
        "<h2>Background</h2><ol><li>First.</li><li>Areas of focus:<ol><li>Brexit;</li><li>Devolution."
        "<ul><li>a point</li></ul></li></ol></li></ol><p>An unnumbered paragraph.</p>"
        "<h2>Issues</h2><ol><li>Third.</li></ol>"
    )
    said = markdown(html, numbered=True)
    assert said == (
        "## Background\n\n1. First.\n2. Areas of focus:\n    - 2.1. Brexit;\n    - 2.2. Devolution.\n"
        "        - a point\n\nAn unnumbered paragraph.\n\n## Issues\n\n3. Third."
    )
    page = rendered(html, numbered=True)
    assert (
        '<ol class="app-paragraphs" role="list"> <li><span class="app-paragraphs__number">2.1. </span>'
        in page
    )
    assert '<ol start="3"> <li>Third.</li> </ol>' in page


def test_one_numbering_runs_through_several_sections():
    numbering = Numbering()
    first = to_markdown(parse("<ol><li>One</li><li>Two</li></ol>").children, numbering=numbering)
    second = to_markdown(parse("<ol><li>Three</li></ol>").children, numbering=numbering)
    assert (first, second) == ("1. One\n2. Two", "3. Three")


def test_a_list_item_with_paragraphs():
    html = "<ul><li><p>First paragraph</p><p>Second paragraph</p></li></ul>"
    assert markdown(html) == "- First paragraph\n\n    Second paragraph"


def test_a_plain_table_is_a_pipe_table_with_its_first_row_the_header():
    html = (
        "<table><tr><td><p>Group</p></td><td><p>Seats</p></td></tr>"
        "<tr><td><p>Labour | Co-op</p></td><td><p>9</p><p>(2 vacant)</p></td></tr>"
        "<tr><td>Short</td></tr></table>"
    )
    assert markdown(html) == (
        "| Group | Seats |\n|---|---|\n| Labour \\| Co-op | 9<br>(2 vacant) |\n| Short |  |"
    )
    page = rendered(html)
    assert "<thead> <tr> <th>Group</th> <th>Seats</th> </tr> </thead>" in page
    assert "<td>Labour | Co-op</td> <td>9<br>(2 vacant)</td>" in page


@pytest.mark.parametrize(
    "cell",
    ['<td colspan="2"><p>Both</p></td>', "<td><ul><li>One</li><li>Two &amp; three</li></ul></td>"],
)
def test_a_table_with_merged_cells_or_lists_in_cells_stays_an_html_table(cell):
    html = f"<table><tr><td>A</td><td>B</td></tr><tr>{cell}</tr></table>"
    said = markdown(html)
    assert said.startswith('<table>\n<thead><tr><th scope="col">A</th><th scope="col">B</th></tr></thead>')
    page = rendered(html)
    assert '<div class="app-table-wrapper" role="region"' in page
    assert cell in page


def test_pictures_and_unknown_tags_leave_their_text_only():
    assert markdown('<p>Before <img alt="A chart"> after <span>kept</span></p>') == "Before  after kept"
