"""Markdown to safe HTML: one place decides what a paper's text may contain."""

import re

import markdown as markdown_lib
import nh3

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
    html = markdown_lib.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    html = _shift_headings(html, top_heading)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
