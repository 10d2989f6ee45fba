"""The agenda pack laid out in parts, each part's rendering kept under a fingerprint of what it is
made from, so that a revision lays out again only the parts that changed.

Every part of the pack starts a page (the cover breaks after itself, every section before itself),
so the pack's pages are its parts' pages one after another: the front (cover, contents, guidance,
meeting notes, membership), the agenda, one part for each item with its annexes, and the back (next
meeting, location). Each part is a document of its own: the pack's HTML, as `render_pack_pdf` lays
it out, with only that part in its article and its margins left empty. The agenda's page ranges
are written into it once the other parts' page counts are known; the running header and page
numbers are one more document, of empty pages, drawn over the joined pages (`lgaboard.pdf_join`).
Editing one report lays out that item's part again, the agenda if a range moved, and the
furniture if the number of pages changed."""

import hashlib
import json
import re
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

from lgaboard.pdf import write_pdf
from lgaboard.pdf_join import Part, join, lay_out, part_of

from .pdf import merge_pdf_annexes, range_entries, range_text, ranges_from, uploaded_annexes
from .selectors import AgendaPack

PACK_TEMPLATE = "meetings/meeting_detail.html"
FURNITURE_TEMPLATE = "meetings/pack_furniture.html"
_SECTION_MARK = re.compile(r"<!-- pack-section ([\w-]+) -->")
_END_MARK = "<!-- pack-sections end -->"
# The boxes around a part (base.html's), whose edges fall only at the pack's start and end.
_AROUND = "html, body, .govuk-width-container, .govuk-main-wrapper, .app-pack"
_CONTINUED = f"{_AROUND} {{ margin-top: 0 !important; padding-top: 0 !important; border-top: 0 !important; }}"
_CONTINUES = (
    f"{_AROUND} {{ margin-bottom: 0 !important; padding-bottom: 0 !important; border-bottom: 0 !important; }}"
)
AGENDA = "agenda"  # the part whose Page column says where the others are


@dataclass(frozen=True)
class Rendered:
    """A part's finished PDF, its number of pages, and the (0-based) page each of its own anchors
    is first on."""

    pdf: bytes
    pages: int
    anchors: dict[str, int]


class StorageCache:
    """Parts' renderings in Django's storage, under `folder`: `<fingerprint>.pdf` and beside it
    `<fingerprint>.json` (pages and anchors). A fingerprint names what a rendering is made from,
    so a stored file is never stale; nothing is ever overwritten with something else."""

    def __init__(self, storage=None, folder: str = "pack-sections"):
        self.storage = storage or default_storage
        self.folder = folder

    def get(self, name: str) -> bytes | None:
        path = f"{self.folder}/{name}"
        if not self.storage.exists(path):
            return None
        with self.storage.open(path, "rb") as handle:
            return handle.read()

    def set(self, name: str, data: bytes) -> None:
        path = f"{self.folder}/{name}"
        if not self.storage.exists(path):
            self.storage.save(path, ContentFile(data))


def render_pack_pdf_incremental(pack: AgendaPack, cache) -> bytes:
    """The pack as `meetings.pdf.render_pack_pdf` renders it (the same pages, text, agenda ranges,
    bookmarks and links, tagged PDF/UA-1), laying out only the parts `cache` does not hold.

    `cache` is anything with `get(name) -> bytes | None` and `set(name, bytes)`: a `StorageCache`,
    or one of Django's caches."""
    context = _context(pack)
    parts = _parts(render_to_string(PACK_TEMPLATE, context))
    annexes = _annexes_by_part(pack)
    rendered = {
        name: _rendered(name, part, cache, annexes.get(name, []))
        for name, part in parts.items()
        if name != AGENDA
    }
    rendered[AGENDA], parts[AGENDA] = _agenda(pack, context, parts, rendered, cache)
    order = list(parts)
    furniture = _furniture_part(pack, _confidential_pages(pack, order, rendered))
    drawn = _rendered("furniture", furniture, cache, [], tagged=False)
    return join([(rendered[name].pdf, parts[name].borrowed) for name in order], drawn.pdf)


def _context(pack: AgendaPack) -> dict:
    return {
        "pack": pack,
        "meeting": pack.meeting,
        "range_ends": range_entries(pack),
        "pdf": True,
        "pdf_header": [pack.meeting.board_name, f"{pack.meeting.date:%-d %B %Y}"],
        "furniture_apart": True,
    }


def _parts(html: str) -> dict[str, Part]:
    """The pack's HTML as one document for each part, in order: each keeps the whole page around
    its part (head, article), so it is laid out as the pack is, but where the pack continues on
    from an earlier part, or on to a later one, the boxes around the part do not start, or end,
    there: they give it no space above, or below."""
    end = html.index(_END_MARK)
    pieces = _SECTION_MARK.split(html[:end])
    head, tail = pieces[0], html[end:]
    named = [(name, body) for name, body in zip(pieces[1::2], pieces[2::2], strict=True) if body.strip()]
    parts = {}
    for index, (name, body) in enumerate(named):
        rules = (_CONTINUED if index > 0 else "") + (_CONTINUES if index < len(named) - 1 else "")
        page = head.replace("</head>", f"<style>{rules}</style></head>", 1) if rules else head
        parts[name] = part_of(page + body + tail)
    return parts


def _annexes_by_part(pack: AgendaPack) -> dict:
    return {item.anchor: uploaded_annexes([item]) for item in pack.items}


def _rendered(name: str, part: Part, cache, annexes, tagged: bool = True) -> Rendered:
    key = _key(part, annexes)
    meta, data = cache.get(f"{key}.json"), cache.get(f"{key}.pdf")
    if meta is not None and data is not None:
        stored = json.loads(meta)
        return Rendered(data, stored["pages"], stored["anchors"])
    rendered = render_part(name, part, annexes, tagged)
    cache.set(f"{key}.pdf", rendered.pdf)
    cache.set(f"{key}.json", json.dumps({"pages": rendered.pages, "anchors": rendered.anchors}).encode())
    return rendered


def _key(part: Part, annexes) -> str:
    """The part's fingerprint, and the files of the uploaded annexes drawn into it."""
    digest = hashlib.sha256(part.fingerprint.encode())
    for annex in annexes:
        with annex.pdf.open("rb") as handle:
            digest.update(hashlib.sha256(handle.read()).digest())
    return digest.hexdigest()


def render_part(name: str, part: Part, annexes, tagged: bool = True) -> Rendered:
    """Lay one part out and finish its PDF: tagged, with its uploaded annexes drawn in."""
    document = lay_out(part)
    data = merge_pdf_annexes(write_pdf(document), document, annexes) if tagged else document.write_pdf()
    anchors: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor not in part.borrowed:
                anchors.setdefault(anchor, number)
    return Rendered(data, len(document.pages), anchors)


def _agenda(pack: AgendaPack, context: dict, parts: dict[str, Part], rendered: dict[str, Rendered], cache):
    """The agenda with its page ranges written in. Where the later parts start depends on how many
    pages the agenda takes: the number it took last time is kept (under the fingerprint of the
    agenda without ranges) and tried first; if the agenda then takes another number of pages, it
    is laid out again with ranges counted from that."""
    hint_key = f"{parts[AGENDA].fingerprint}-pages.json"
    hint = cache.get(hint_key)
    pages = json.loads(hint)["pages"] if hint is not None else 1
    for _ in range(3):
        ranges = _ranges(pack, [rendered.get(name, pages) for name in parts])
        part = _parts(render_to_string(PACK_TEMPLATE, {**context, "page_ranges": ranges}))[AGENDA]
        agenda = _rendered(AGENDA, part, cache, [])
        if agenda.pages == pages:
            break
        pages = agenda.pages
    else:
        raise RuntimeError("The agenda's page ranges do not settle")
    if hint is None or json.loads(hint)["pages"] != pages:
        cache.set(hint_key, json.dumps({"pages": pages}).encode())
    return agenda, part


def _ranges(pack: AgendaPack, parts: list) -> dict[str, str]:
    """The agenda's Page column, from the parts in order (the agenda, which holds none of the
    anchors it lists, given as its number of pages)."""
    pages: dict[str, int] = {}
    first = 1
    for part in parts:
        if isinstance(part, int):
            first += part
            continue
        for anchor, number in part.anchors.items():
            pages.setdefault(anchor, first + number)
        first += part.pages
    found = ranges_from(pages, range_entries(pack))
    return {anchor: range_text(*pair) for anchor, pair in found.items()}


def _confidential_pages(pack: AgendaPack, order: list[str], rendered: dict[str, Rendered]) -> list[bool]:
    confidential = {item.anchor for item in pack.items if item.shown_confidential}
    return [name in confidential for name in order for _ in range(rendered[name].pages)]


def _furniture_part(pack: AgendaPack, confidential_pages: list[bool]) -> Part:
    context = {
        "meeting": pack.meeting,
        "pdf": True,
        "pdf_header": [pack.meeting.board_name, f"{pack.meeting.date:%-d %B %Y}"],
        "confidential_pages": confidential_pages,
    }
    return part_of(render_to_string(FURNITURE_TEMPLATE, context))
