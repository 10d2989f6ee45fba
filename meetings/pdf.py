"""PDF board papers, rendered by WeasyPrint from the same templates as the HTML pages.

A renderer is a function that returns bytes; the view only serves them.
"""

import io

from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
)

from lgaboard.pdf import render_document, write_pdf

from .models import Annex
from .selectors import AgendaPack


def range_entries(pack: AgendaPack) -> dict[str, str]:
    """The entries the agenda gives pages for, in order (each item with a paper, then its listed
    annexes), each → the marker where its pages end. An annex not listed on the agenda counts as
    pages of the entry before it. The markers sit inside the last box of each part, never after a
    forced page break (an uploaded annex's last page), where they would start a page of their own."""
    entries: dict[str, str] = {}
    for item in pack.items:
        report = getattr(item, "report", None)
        if report is None:
            if item.kind == "previous_minutes" and pack.previous_minutes:
                entries[item.anchor] = f"{item.anchor}-end"
            continue  # otherwise no paper (or withheld): no page, as on the printed agenda
        entry, end = item.anchor, f"{item.anchor}-paper-end"
        for annex in report.annexes.all():
            if annex.on_agenda:
                entries[entry] = end
                entry = annex.anchor
            end = f"{annex.anchor}-end"
        entries[entry] = end
    return entries


def anchor_pages(document) -> dict[str, int]:
    """Each anchor in the rendered document → the (1-based) page it first appears on."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for name in page.anchors:
            pages.setdefault(name, number)
    return pages


def page_ranges(document, entries: dict[str, str]) -> dict[str, tuple[int, int]]:
    """'item-3' → (7, 14): the page its title is on and the page its end marker is on."""
    return ranges_from(anchor_pages(document), entries)


def ranges_from(pages: dict[str, int], entries: dict[str, str]) -> dict[str, tuple[int, int]]:
    """The entries' ranges, from the page each anchor is first on."""
    return {
        start: (pages[start], max(pages[start], pages.get(end, pages[start])))
        for start, end in entries.items()
        if start in pages
    }


def range_text(first: int, last: int) -> str:
    # No-break spaces keep "7 - 14" on one line of the agenda's Page column.
    return str(first) if first == last else f"{first}\u00a0-\u00a0{last}"


def render_pack_pdf(pack: AgendaPack) -> bytes:
    """The whole agenda pack as one PDF whose agenda gives each paper's real page range, from one
    layout: the agenda's Page column is CSS (`target-counter`) reading the page of each entry's
    title and of the marker where it ends, so WeasyPrint fills it in while laying the pack out.

    CSS cannot leave out the second number of a paper one page long ("7 - 7"): only then is the
    pack laid out again, with the ranges written in, until they no longer move."""
    entries = range_entries(pack)
    context = {
        "pack": pack,
        "meeting": pack.meeting,
        "range_ends": entries,
        "pdf": True,
        "pdf_header": [pack.meeting.board_name, f"{pack.meeting.date:%-d %B %Y}"],
    }
    document = render_document(render_to_string("meetings/meeting_detail.html", context))
    written: dict[str, str] = {}
    for _ in range(3):
        found = page_ranges(document, entries)
        if not written and all(first != last for first, last in found.values()):
            break  # the target counters printed every range as it is
        texts = {anchor: range_text(*pages) for anchor, pages in found.items()}
        if texts == written:
            break
        written = texts
        html = render_to_string("meetings/meeting_detail.html", {**context, "page_ranges": written})
        document = render_document(html)
    return merge_pdf_annexes(write_pdf(document), document, uploaded_annexes(pack.items))


def render_item_pdf(html: str, annexes: list) -> bytes:
    """One item's paper (from its page rendered with `pdf` set, live or frozen) with its uploaded
    annexes (live or frozen: each has an `anchor` and a `pdf` file) laid onto the pages reserved
    for them, as in the pack."""
    document = render_document(html)
    return merge_pdf_annexes(write_pdf(document), document, annexes)


def uploaded_annexes(items) -> list[Annex]:
    """The annexes uploaded as PDFs of the items' reports (a withheld item has no report here)."""
    return [
        annex
        for item in items
        if getattr(item, "report", None) is not None
        for annex in item.report.annexes.all()
        if annex.pdf
    ]


def merge_pdf_annexes(data: bytes, document, annexes: list) -> bytes:
    """Draw each page of an uploaded PDF annex into the picture box of the page reserved for it.

    The template reserves a page per annex page: a line naming it, then a placeholder picture
    (tagged /Figure with alternative text) filling the rest of the content box. Here the
    placeholder is swapped, on that page only, for the uploaded page as a form XObject scaled to
    fit the box, so the pack's header and page number keep the margins to themselves and a
    screen reader hears what the page is. The annex's own tags and annotations are left behind:
    they have no place in the pack's structure tree (the annex's own PDF keeps its links)."""
    boxes = picture_boxes(document)
    if not annexes or not boxes:
        return data
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    figures = placeholder_figures(writer)
    for annex in annexes:
        with annex.pdf.open("rb") as handle:
            uploaded = PdfReader(io.BytesIO(handle.read()))
        for number, page in enumerate(uploaded.pages, start=1):
            if (reserved := boxes.get(f"{annex.anchor}-page-{number}")) is None:
                continue  # more pages than were reserved: the file changed after the page was frozen
            page_number, box = reserved
            target = writer.pages[page_number - 1]
            placed = draw_in_placeholder(writer, target, page, box)
            if placed and (figure := figures.get(target.get("/StructParents"))) is not None:
                # WeasyPrint gives the box in CSS pixels from the top; a checker reads points.
                figure[NameObject("/A")] = DictionaryObject(
                    {NameObject("/O"): NameObject("/Layout"), NameObject("/BBox"): placed}
                )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PICTURE_SUFFIX = "-picture"  # the placeholder's id: the reserved page's, then this
POINTS_PER_PIXEL = 0.75  # WeasyPrint lays out in CSS pixels (96 an inch), a PDF counts points (72)


def picture_boxes(document) -> dict[str, tuple[int, tuple[float, float, float, float]]]:
    """'item-3-a-page-1' → (its page, 1-based; the placeholder's box in points from the page's
    bottom left: left, bottom, width, height), from the anchors of the reserved pages' pictures."""
    boxes = {}
    for number, page in enumerate(document.pages, start=1):
        for name, (x0, y0, x1, y1) in page.anchors.items():
            if name.endswith(PICTURE_SUFFIX):
                box = (x0, page.height - y1, x1 - x0, y1 - y0)
                boxes[name.removesuffix(PICTURE_SUFFIX)] = (number, tuple(v * POINTS_PER_PIXEL for v in box))
    return boxes


def placeholder_figures(writer: PdfWriter) -> dict:
    """A page's /StructParents → the /Figure among the elements owning its marked content (on a
    reserved page, the placeholder's)."""
    tree = writer.root_object.get("/StructTreeRoot")
    nums = tree["/ParentTree"].get("/Nums", []) if tree is not None else []
    figures = {}
    for key, owners in zip(nums[::2], nums[1::2], strict=True):
        owners = owners.get_object()
        if not isinstance(owners, ArrayObject):
            continue
        elements = [owner.get_object() for owner in owners]  # null where content is an artifact
        found = [e for e in elements if isinstance(e, DictionaryObject) and e.get("/S") == "/Figure"]
        if len(found) == 1:
            figures[key] = found[0]
    return figures


def draw_in_placeholder(writer: PdfWriter, target, uploaded, box) -> ArrayObject | None:
    """Point the reserved page's placeholder picture at the uploaded page, fitted into its box;
    returns where it is drawn (left, bottom, right, top in points).

    A picture is drawn into the unit square that the page maps onto its box; a form XObject's
    /Matrix takes its own space there, so fitting the page needs no change to our content."""
    name = placeholder_name(target)
    if name is None:
        return None
    form = page_as_form(writer, uploaded)
    left, bottom, width, height = box
    to_unit_square = (1 / width, 0, 0, 1 / height, -left / width, -bottom / height)
    fit = fit_in_box(uploaded, box)
    form[NameObject("/Matrix")] = ArrayObject(FloatObject(round(v, 6)) for v in multiply(fit, to_unit_square))
    # WeasyPrint shares one /Resources among all pages: this page gets its own, the same but for
    # the placeholder's name.
    resources = DictionaryObject(target["/Resources"])
    xobjects = DictionaryObject(resources["/XObject"])
    xobjects[NameObject(name)] = writer._add_object(form)
    resources[NameObject("/XObject")] = xobjects
    target[NameObject("/Resources")] = resources
    return placed_box(uploaded, fit)


def placeholder_name(target) -> str | None:
    """The name of the one picture the reserved page draws: its placeholder (the page holds
    nothing else but a line of text and the running header and footer)."""
    xobjects = target["/Resources"].get("/XObject", {})
    for operands, operator in ContentStream(target.get_contents(), target.pdf).operations:
        if operator == b"Do" and xobjects[operands[0]].get("/Subtype") == "/Image":
            return operands[0]
    return None


def page_as_form(writer: PdfWriter, page) -> DecodedStreamObject:
    """The uploaded page's content as a form XObject clipped to its crop box, its marked content
    (tags, artifacts) unwrapped: inside our /Figure it is content of the figure, and sequences
    nested in it would point at a structure tree that is not ours."""
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    if b"BDC" in data or b"BMC" in data:  # only then is the content parsed, a page's slowest step
        content = ContentStream(contents, page.pdf)
        content.operations = [
            (operands, operator)
            for operands, operator in content.operations
            if operator not in (b"BDC", b"BMC", b"EMC")
        ]
        data = content.get_data()
    form = DecodedStreamObject()
    form.set_data(data)
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in page.cropbox),
            NameObject("/Resources"): page.get("/Resources", DictionaryObject()).clone(writer),
        }
    )
    if "/Group" in page:
        form[NameObject("/Group")] = page["/Group"].clone(writer)
    return form.flate_encode()


def fit_in_box(page, box) -> tuple[float, ...]:
    """The matrix that turns the page as a reader sees it (its crop box, turned by /Rotate) to
    fit the box, keeping its shape: centred across, at the top, under the line naming it."""
    x0, y0, x1, y1 = (float(v) for v in page.cropbox)
    upright = {
        0: (1, 0, 0, 1, -x0, -y0),
        90: (0, -1, 1, 0, -y0, x1),
        180: (-1, 0, 0, -1, x1, y1),
        270: (0, 1, -1, 0, y1, -x0),
    }[page.rotation % 360]
    shown_width, shown_height = (x1 - x0, y1 - y0) if page.rotation % 180 == 0 else (y1 - y0, x1 - x0)
    left, bottom, width, height = box
    scale = min(width / shown_width, height / shown_height)
    place = (
        scale,
        0,
        0,
        scale,
        left + (width - scale * shown_width) / 2,
        bottom + height - scale * shown_height,
    )
    return multiply(upright, place)


def placed_box(page, matrix) -> ArrayObject:
    """The page's crop box as `matrix` places it: left, bottom, right, top."""
    x0, y0, x1, y1 = (float(v) for v in page.cropbox)
    a, b, c, d, e, f = matrix
    xs = [a * x + c * y + e for x in (x0, x1) for y in (y0, y1)]
    ys = [b * x + d * y + f for x in (x0, x1) for y in (y0, y1)]
    return ArrayObject(FloatObject(round(v, 3)) for v in (min(xs), min(ys), max(xs), max(ys)))


def multiply(first, then) -> tuple[float, ...]:
    """The PDF matrix doing `first`, then `then` (each a, b, c, d, e, f)."""
    a, b, c, d, e, f = first
    p, q, r, s, t, u = then
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)
