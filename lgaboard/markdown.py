"""Markdown to safe HTML: one place decides what a paper's text may contain."""

import functools
import re

import markdown as markdown_lib
import nh3

from lgaboard.table_box import caption_of, table_box, text_of

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_HEADING = re.compile(r"<(/?)h([1-6])\b")
_FIRST_HEADER = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
# A table, or what names the tables after it in a paper: a heading, or a bold line ("**Programme
# activities:**"). One pass over the text finds both, in order.
_TABLE_OR_CONTEXT = re.compile(
    r"<table>(?P<table>.*?)</table>"
    r"|<h[2-6]>(?P<heading>.*?)</h[2-6]>"
    r"|<strong>(?P<bold>[^<]+)</strong>\s*(?=</p>|</li>|<ul>|<ol>|\n)",
    re.S,
)
# Sub-paragraphs: the papers write "- 3.1 peer challenge" or "- 3.1. Britain's exit" inside paragraph 3.
_LIST_TAG = re.compile(r"<(/?)(ul|ol|li)\b[^>]*>")
_PARAGRAPH_NUMBER = re.compile(r"\s*(?:<p>)?(\d+(?:\.\d+)+)(\.?)\s+")


def _name_for(contexts: list[str], table: str, names: dict[str, str]) -> str:
    """A table's name: the heading or bold line before it (the last of `contexts`). Where that already
    names an earlier table, the first column says how this one differs ("…bookings, by region"), or
    else the section it sits in does ("Shared Services and Collaboration: Programme activities
    2017/18"); numbered if still not unique. `names` maps the names given so far (case-folded) to
    their tables' first column header."""
    found = _FIRST_HEADER.search(table)
    header = text_of(found.group(1)) if found else ""
    name = (contexts[-1] if contexts else "") or header or "Table"
    if name.casefold() in names:
        section = next((c for c in reversed(contexts) if c.casefold() != name.casefold()), "")
        if header and header.casefold() != names[name.casefold()]:
            name = f"{name}, by {header[0].lower()}{header[1:]}"
        elif section:
            name = f"{section}: {name}"
    base, number = name, 1
    while name.casefold() in names:
        number += 1
        name = f"{base} (table {number})"
    names[name.casefold()] = header.casefold()
    return name


def _caption_and_wrap_tables(html: str) -> str:
    """Every table gets a caption (the papers' tables have none: it is taken from the heading or bold
    line before the table, and hidden, since that text is already on the page) and a scrolling box
    that keyboard users can reach and screen readers announce."""
    out, position, names, contexts = [], 0, {}, []
    for match in _TABLE_OR_CONTEXT.finditer(html):
        inner = match.group("table")
        if inner is None:
            contexts.append(text_of(match.group("heading") or match.group("bold")).rstrip(":. "))
            continue
        if caption_of(inner) is None:
            name = _name_for(contexts, inner, names)
            inner = f'<caption class="govuk-visually-hidden">{name}</caption>{inner}'
        out.append(html[position : match.start()])
        out.append(table_box(f"<table>{inner}</table>"))
        position = match.end()
    out.append(html[position:])
    return "".join(out)


def _sub_paragraphs(html: str) -> list[tuple[int, int, list[re.Match]]]:
    """Each bulleted list whose items all begin with a paragraph number of one paragraph, in order
    ("3.1", "3.2"…): (where its <ul> starts, where its </ul> starts, each item's number)."""
    found, stack = [], []  # stack: (tag, start, [where each of its items' text begins])
    for tag in _LIST_TAG.finditer(html):
        closing, name = tag.group(1), tag.group(2)
        if name == "li":
            if not closing and stack:
                stack[-1][2].append(tag.end())
        elif not closing:
            stack.append((name, tag.start(), []))
        elif stack:
            kind, start, items = stack.pop()
            numbers = [_PARAGRAPH_NUMBER.match(html, at) for at in items]
            if kind == "ul" and _numbered_in_order(numbers):
                found.append((start, tag.start(), numbers))
    return found


def _numbered_in_order(numbers: list[re.Match | None]) -> bool:
    """Every item numbered, all within one paragraph (3.1, 3.2…; 10.1.1, 10.1.2…), rising."""
    if not numbers or None in numbers:
        return False
    parts = [number.group(1).rsplit(".", 1) for number in numbers]
    lasts = [int(last) for _, last in parts]
    return len({parent for parent, _ in parts}) == 1 and lasts == sorted(set(lasts))


def _number_sub_paragraphs(html: str) -> str:
    """A sub-paragraph shows its number once, not a bullet and a number: its list becomes
    <ol class="app-paragraphs"> (no list markers; the PDF renderer cannot draw a marker from the text)
    and the number, as the paper wrote it, is the item's first text, in a span the stylesheet hangs in
    the margin. Runs after sanitising: the number is digits and dots only."""
    edits = []  # (start, end, replacement), none overlapping
    for start, end, numbers in _sub_paragraphs(html):
        edits.append((start, start + len("<ul>"), '<ol class="app-paragraphs" role="list">'))
        edits.append((end, end + len("</ul>"), "</ol>"))
        for number in numbers:
            # The space inside the span: it ends the hung number's box, so the text starts at the margin.
            label = f'<span class="app-paragraphs__number">{number.group(1)}{number.group(2)} </span>'
            edits.append((number.start(1), number.end(), label))
    for start, end, replacement in sorted(edits, reverse=True):
        html = html[:start] + replacement + html[end:]
    return html


def _shift_headings(html: str, top_level: int) -> str:
    """Renumber headings so the text's highest heading sits at top_level, keeping their order."""
    levels = [int(level) for _, level in _HEADING.findall(html)]
    if not levels:
        return html
    offset = top_level - min(levels)

    def renumber(match: re.Match) -> str:
        level = max(1, min(6, int(match.group(2)) + offset))
        return f"<{match.group(1)}h{level}"

    return _HEADING.sub(renumber, html)


def render_markdown(text: str, *, top_heading: int = 3) -> str:
    """Render Markdown (numbered paragraphs, tables, raw HTML tables) to sanitised HTML.

    Scripts, frames, event handlers and unknown schemes are removed, never escaped into the page.
    """
    if not text:
        return ""
    return _rendered(text, top_heading)


# The same text always gives the same HTML, and pages show the same papers again and again: each
# process keeps the latest renderings (a pack's reports, a board's terms of reference) rather than
# parsing them afresh on every view. An edited text is new text, rendered when first shown.
@functools.lru_cache(maxsize=512)
def _rendered(text: str, top_heading: int) -> str:
    html = markdown_lib.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    html = _shift_headings(html, top_heading)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return _number_sub_paragraphs(_caption_and_wrap_tables(clean))
