"""The last step of a tagged PDF: what WeasyPrint's tagging leaves for PDF/UA-1 to ask of it.

WeasyPrint tags the HTML's structure (headings, lists, tables, links) but leaves four things that a
PDF/UA-1 checker (and a screen reader) trips on. This module mends them in the written file:

- Running headers and page numbers (the @page margin boxes) are marked as content whose structure
  elements hang outside the tree; they become pagination artifacts, which readers skip.
- Table header cells carry no /Scope: a header row's cells are column headers, a header cell in a
  body row heads its row.
- A list item's content sits beside its label instead of in a list body (/LBody).
- Link annotations lack the Print flag, so print and screen differ.
"""

import io
import re

import pikepdf
from pikepdf import Array, Dictionary, Name

_MARKED_CONTENT = re.compile(rb"/(\w+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
_PAGINATION_ARTIFACT = b"/Artifact <</Type /Pagination>> BDC"
PRINT_FLAG = 4
# What may be dropped when empty: an empty table cell still holds its place in the grid.
EMPTY_DROPPED = {"/P", "/LI", "/LBody", "/Lbl", "/Span", "/NonStruct", "/Div"}


def finish_tagging(data: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is not None:
            reachable = _mend_structure(pdf, root)
            _furniture_as_artifacts(pdf, root, reachable)
        _print_links(pdf)
        return saved(pdf)


def saved(pdf: pikepdf.Pdf) -> bytes:
    """The PDF's bytes, compressed, with an /ID made from its content (the same document gives the
    same bytes)."""
    out = io.BytesIO()
    pdf.save(
        out,
        compress_streams=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        deterministic_id=True,
    )
    return out.getvalue()


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _is_element(kid) -> bool:
    is_dictionary = isinstance(kid, Dictionary)
    return is_dictionary and "/S" in kid and kid.get("/Type", Name.StructElem) == Name.StructElem


def _kind(kid) -> str | None:
    """A structure element's type ("/Table", "/LI"…), or None for marked content and annotations."""
    return str(kid.S) if _is_element(kid) else None


def _mend_structure(pdf, root) -> set:
    """Walk the tree once: give header cells their scope and list items their body. Returns the
    object numbers of every element reachable from the root."""
    reachable = set()
    stack = _kids(root)
    while stack:
        element = stack.pop()
        if not _is_element(element):
            continue
        reachable.add(element.objgen)
        kind = element.S
        if kind == Name.TH:
            _set_scope(element)
        elif kind == Name.LI:
            _wrap_list_body(pdf, element, reachable)
        elif kind == Name.Table:
            _flatten_table(element)
        elif kind == Name.Link:
            _name_empty_link(element)
        stack.extend(_kids(element))
    _prune_empty(root)
    return reachable


def _is_empty(kid) -> bool:
    return _kind(kid) in EMPTY_DROPPED and not _kids(kid) and "/Alt" not in kid


def _prune_empty(root) -> None:
    """Elements with nothing in them (a paragraph or list body whose text all fell on another page)
    leave a reader an empty stop: take them out, children before parents. Empty table cells stay."""
    order, stack = [], [root]
    while stack:
        element = stack.pop()
        order.append(element)
        stack.extend(kid for kid in _kids(element) if _is_element(kid))
    for element in reversed(order):
        kids = _kids(element)
        kept = [kid for kid in kids if not _is_empty(kid)]
        if len(kept) != len(kids):
            element.K = Array(kept)


def _set_scope(cell) -> None:
    attributes = cell.get("/A")
    if attributes is None:
        attributes = cell.A = Dictionary(O=Name.Table)
    if "/Scope" in attributes:
        return
    row = cell.get("/P")
    group = row.get("/P") if row is not None else None
    cells = [kid for kid in _kids(row) if _is_element(kid)] if row is not None else []
    header_row = (group is not None and group.get("/S") == Name.THead) or all(c.S == Name.TH for c in cells)
    attributes.Scope = Name.Column if header_row else Name.Row


def _flatten_table(table) -> None:
    """WeasyPrint tags the anonymous boxes around a (visually hidden) caption as tables inside the
    table: their content belongs to the table itself, the caption first."""
    kids = _kids(table)
    if "/Table" not in map(_kind, kids):
        return
    flat = []
    pending = list(kids)
    while pending:
        kid = pending.pop(0)
        if _kind(kid) == "/Table":
            pending[:0] = _kids(kid)
        else:
            if _is_element(kid):
                kid.P = table
            flat.append(kid)
    first_caption = next((kid for kid in flat if _kind(kid) == "/Caption"), None)
    if first_caption is not None:
        flat = [first_caption] + [kid for kid in flat if kid is not first_caption]
    table.K = Array(flat)


def _name_empty_link(link) -> None:
    """A link's printed address can leave a fragment of the link with no text of its own (a line
    break inside it): such a fragment is named by its address."""
    kids = _kids(link)
    annotations = [kid for kid in kids if isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR]
    if "/Alt" in link or len(annotations) != len(kids):
        return
    for kid in annotations:
        action = kid.Obj.get("/A") if "/Obj" in kid else None
        if action is not None and "/URI" in action:
            link.Alt = pikepdf.String(f"Link to {action.URI}")
            return


def _wrap_list_body(pdf, item, reachable: set) -> None:
    """Content beside the label (a paragraph in a list item) goes into a list body, in its place."""
    kids = _kids(item)
    if all(_is_element(kid) and kid.S in (Name.Lbl, Name.LBody) for kid in kids):
        return
    mended, loose = [], []

    def close_body():
        if loose:
            body = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.LBody, P=item, K=Array(loose)))
            if "/Pg" in item:
                body.Pg = item.Pg
            for kid in loose:
                if _is_element(kid):
                    kid.P = body
            mended.append(body)
            reachable.add(body.objgen)
            loose.clear()

    for kid in kids:
        if _is_element(kid) and kid.S in (Name.Lbl, Name.LBody):
            close_body()
            mended.append(kid)
        else:
            loose.append(kid)
    close_body()
    item.K = Array(mended)


def _furniture_as_artifacts(pdf, root, reachable: set) -> None:
    """Marked content whose structure element the tree never reaches is the page furniture WeasyPrint
    draws in the page margins: re-mark it as a pagination artifact and drop it from the parent tree."""
    parent_tree = root.get("/ParentTree")
    if parent_tree is None or "/Nums" not in parent_tree:
        return
    nums = parent_tree.Nums
    orphans: dict[int, set[int]] = {}
    for index in range(0, len(nums), 2):
        key, value = int(nums[index]), nums[index + 1]
        if not isinstance(value, Array):
            continue
        lost = {mcid for mcid, kid in enumerate(value) if _kind(kid) and kid.objgen not in reachable}
        if lost:
            orphans[key] = lost
            nums[index + 1] = Array([None if m in lost else e for m, e in enumerate(value)])
    for number, page in enumerate(pdf.pages):
        lost = orphans.get(int(page.obj.get("/StructParents", number)))
        if not lost:
            continue
        contents = page.obj.Contents
        streams = list(contents) if isinstance(contents, Array) else [contents]
        for stream in streams:
            stream.write(
                _MARKED_CONTENT.sub(
                    lambda match: _PAGINATION_ARTIFACT if int(match.group(2)) in lost else match.group(0),  # noqa: B023
                    stream.read_bytes(),
                )
            )


def _print_links(pdf) -> None:
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") == Name.Link:
                annotation.F = int(annotation.get("/F", 0)) | PRINT_FLAG
