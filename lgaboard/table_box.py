"""A table in its scrolling box, the one way the portal shows a table (from templates and Markdown).

The box is a region named "Table: <name>" (its caption, unless told otherwise) that keyboard users can
reach (tabindex="0"), so a wide table can be scrolled on a phone without a mouse.
"""

import re

_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S)
_TAG = re.compile(r"<[^>]+>")


def text_of(html: str) -> str:
    """The text of some HTML, tags left out and spaces collapsed (entities stay escaped)."""
    return " ".join(_TAG.sub("", html).split())


def caption_of(table_html: str) -> str | None:
    """The text of the first caption in the HTML; None if it has none."""
    found = _CAPTION.search(table_html)
    return text_of(found.group(1)) if found else None


def table_box(table_html: str, name: str = "") -> str:
    """`table_html` in its box. `name` is HTML text (already escaped); by default the table's caption."""
    label = (name or caption_of(table_html) or "").replace('"', "&quot;")
    box = f'<div class="app-table-wrapper" role="region" aria-label="Table: {label}" tabindex="0">'
    return f"{box}{table_html}</div>"
