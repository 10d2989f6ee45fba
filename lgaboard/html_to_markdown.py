"""Sanitised HTML back into the portal's Markdown, for the small subset a Word document converts to
(mammoth's output after `nh3`): paragraphs, headings, bold and italic, links, line breaks,
superscript and subscript, ordered and unordered lists (nested), and tables.

Written here rather than taken from a library because the papers need their own forms: numbered
paragraphs that run on from one list (and one section) to the next, sub-paragraphs written as
"- 3.1. text" (which `lgaboard.markdown` hangs in the margin), and tables as the pipe tables the
portal renders, or, where a cell holds a list or cells are merged, as the plain HTML table the
portal also accepts. Anything outside the subset keeps its text only; pictures are dropped (the
caller says so).
"""

import re
from dataclasses import dataclass, field
from html import escape as html_escape
from html.parser import HTMLParser

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
LISTS = {"ol", "ul"}
CELLS = {"td", "th"}
_VOID = {"br", "img", "hr"}
_MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*"}
_RAW_INLINE = {"sup", "sub", "s"}  # kept by the portal's sanitiser, written as HTML in the Markdown
_KEPT_ATTRIBUTES = {
    "a": {"href"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
_SPACE = re.compile(r"\s+")
_SPECIAL = re.compile(r"([\\`*_\[\]|])")


@dataclass
class Element:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list = field(default_factory=list)  # Elements and strings


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    """The HTML as a tree under a root element."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def elements(node: Element, tags: set[str]) -> list[Element]:
    """Every element below `node` (itself included) whose tag is in `tags`, in document order."""
    found = [node] if node.tag in tags else []
    for child in node.children:
        if isinstance(child, Element):
            found.extend(elements(child, tags))
    return found


def text_of(node) -> str:
    """The text of a node, spaces collapsed."""
    if isinstance(node, str):
        return _SPACE.sub(" ", node)
    return _SPACE.sub(" ", "".join(text_of(child) for child in node.children)).strip()


class Numbering:
    """Paragraph numbers running through a paper: each top-level numbered list continues from the
    last (Word restarts a list after a heading or an unnumbered paragraph; the papers do not)."""

    def __init__(self):
        self.last = 0


# Inline -------------------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Text as Markdown that shows it as it is: nothing in it becomes markup or raw HTML."""
    text = _SPACE.sub(" ", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", text)


def inline(nodes: list, *, in_table: bool = False) -> str:
    """Inline nodes as Markdown on one line (a line break is a hard break, or <br> in a table)."""
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(escape(node))
        elif node.tag in _MARKS:
            out.append(_marked(inline(node.children, in_table=in_table), _MARKS[node.tag]))
        elif node.tag == "a":
            out.append(_link(node, in_table))
        elif node.tag == "br":
            out.append("<br>" if in_table else "  \n")
        elif node.tag in _RAW_INLINE:
            out.append(f"<{node.tag}>{inline(node.children, in_table=in_table)}</{node.tag}>")
        elif node.tag != "img":
            out.append(inline(node.children, in_table=in_table))
    return "".join(out)


def _marked(inner: str, mark: str) -> str:
    """`**bold**` with any spaces at its ends outside the marks (Markdown ignores `** bold **`)."""
    core = inner.strip()
    if not core:
        return inner
    lead, trail = inner[: len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()) :]
    return f"{lead}{mark}{core}{mark}{trail}"


def _link(node: Element, in_table: bool) -> str:
    label = inline(node.children, in_table=in_table)
    href = node.attrs.get("href", "").strip()
    if not href or href.startswith("#"):  # no address kept, or a place in the document: its text
        return label
    url = href.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C")
    return f"[{label.strip() or escape(href)}]({url})"


def _paragraph(nodes: list) -> str:
    text = "\n".join(line.lstrip() for line in inline(nodes).strip().split("\n"))
    return "\\" + text if text.startswith("#") else text


# Blocks -------------------------------------------------------------------------------------------


def to_markdown(nodes: list, *, numbering: Numbering | None = None) -> str:
    """Block nodes (a section of a document) as Markdown. With `numbering`, top-level numbered
    lists are the paper's numbered paragraphs: they run on from the last number given, and lists
    numbered inside them become sub-paragraphs ("- 3.1. text")."""
    parts = [_block(node, numbering) for node in _grouped(nodes)]
    return "\n\n".join(part for part in parts if part.strip())


def _grouped(nodes: list) -> list:
    """Stray inline nodes between blocks gathered into paragraphs."""
    grouped, run = [], []
    for node in nodes:
        if isinstance(node, str) or node.tag not in _BLOCKS:
            run.append(node)
            continue
        if run:
            grouped.append(Element("p", children=run))
            run = []
        grouped.append(node)
    if run:
        grouped.append(Element("p", children=run))
    return grouped


def _block(node: Element, numbering: Numbering | None) -> str:
    if node.tag in HEADINGS:
        level = max(2, int(node.tag[1]))
        return f"{'#' * level} {inline(node.children).strip()}"
    if node.tag in LISTS:
        return _list(node, numbering, parent_number=None)
    if node.tag == "table":
        return table(node)
    if node.tag in {"div", "blockquote", "section"}:
        return to_markdown(node.children, numbering=numbering)
    return _paragraph(node.children)


_BLOCKS = HEADINGS | LISTS | {"p", "table", "div", "blockquote", "section", "hr"}


def _list(node: Element, numbering: Numbering | None, parent_number: str | None) -> str:
    items = [child for child in node.children if isinstance(child, Element) and child.tag == "li"]
    start = node.attrs.get("start", "")
    start = int(start) if start.isascii() and start.isdigit() and len(start) < 6 else 1
    lines = []
    for index, item in enumerate(items):
        marker, number = _marker(node.tag, index, start, numbering, parent_number)
        content = _item(item, number)
        first, *rest = content.split("\n")
        lines.append(f"{marker} {first}".rstrip())
        lines.extend(f"    {line}" if line else "" for line in rest)
    return "\n".join(lines)


def _marker(tag, index, start, numbering, parent_number) -> tuple[str, str | None]:
    """The item's marker, and its paragraph number for the sub-paragraphs below it (if any)."""
    if tag == "ul":
        return "-", None
    if parent_number is not None:  # a sub-paragraph: numbered once, as the paper numbers it
        number = f"{parent_number}.{index + 1}"
        return f"- {number}.", number
    if numbering is not None:
        numbering.last += 1
        return f"{numbering.last}.", str(numbering.last)
    return f"{start + index}.", None


def _item(item: Element, number: str | None) -> str:
    """A list item's content: its text, then any paragraphs and nested lists, indented by the caller."""
    pieces = []
    for node in _grouped(item.children):
        if node.tag in LISTS:
            # Only top-level lists take paragraph numbers; a list numbered inside a numbered
            # paragraph is its sub-paragraphs, any other nested list is an ordinary list.
            pieces.append(("list", _list(node, None, number if node.tag == "ol" else None)))
        else:
            pieces.append(("block", _block(node, None)))
    out = ""
    for kind, text in pieces:
        if not text.strip():
            continue
        joiner = "\n" if kind == "list" else "\n\n"
        out = f"{out}{joiner}{text}" if out else text
    return out


# Tables -------------------------------------------------------------------------------------------


def table(node: Element) -> str:
    """A pipe table (its first row the header) where every cell is plain text; else an HTML table."""
    rows = elements(node, {"tr"})
    grid = [
        [cell for cell in row.children if isinstance(cell, Element) and cell.tag in CELLS] for row in rows
    ]
    grid = [row for row in grid if row]
    if not grid:
        return ""
    if all(_plain_cell(cell) for row in grid for cell in row):
        return _pipe_table(grid)
    return _html_table(grid)


def _plain_cell(cell: Element) -> bool:
    if cell.attrs.get("colspan", "1") not in {"", "1"} or cell.attrs.get("rowspan", "1") not in {"", "1"}:
        return False
    return not elements(cell, HEADINGS | LISTS | {"table"})


def _cell_text(cell: Element) -> str:
    paragraphs = [child for child in cell.children if isinstance(child, Element) and child.tag == "p"]
    if not paragraphs:
        return inline(cell.children, in_table=True).strip()
    lines = [inline(p.children, in_table=True).strip() for p in paragraphs]
    return "<br>".join(line for line in lines if line)


def _pipe_table(grid: list[list[Element]]) -> str:
    width = max(len(row) for row in grid)
    lines = []
    for number, row in enumerate(grid):
        cells = [_cell_text(cell) for cell in row] + [""] * (width - len(row))
        lines.append("| " + " | ".join(cells) + " |")
        if number == 0:
            lines.append("|" + "---|" * width)
    return "\n".join(lines)


def _html_table(grid: list[list[Element]]) -> str:
    """The HTML table the portal's Markdown passes through (sanitised again when rendered): the
    first row is the header, as in the pipe tables."""
    head, *body = grid
    header = "".join(_html_cell(cell, "th", ' scope="col"') for cell in head)
    lines = ["<table>", f"<thead><tr>{header}</tr></thead>", "<tbody>"]
    lines += ["<tr>" + "".join(_html_cell(cell, cell.tag, "") for cell in row) + "</tr>" for row in body]
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def _html_cell(cell: Element, tag: str, extra: str) -> str:
    return f"<{tag}{_attributes(cell)}{extra}>{_html(cell.children)}</{tag}>"


def _attributes(node: Element) -> str:
    kept = _KEPT_ATTRIBUTES.get(node.tag, set())
    return "".join(f' {name}="{html_escape(value)}"' for name, value in node.attrs.items() if name in kept)


def _html(nodes: list) -> str:
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(html_escape(_SPACE.sub(" ", node), quote=False))
        elif node.tag == "br":
            out.append("<br>")
        elif node.tag != "img":
            out.append(f"<{node.tag}{_attributes(node)}>{_html(node.children)}</{node.tag}>")
    return "".join(out)
