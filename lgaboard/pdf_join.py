"""A long PDF laid out in parts and joined: each part is a document of its own, laid out and tagged
alone (so a part that did not change need not be laid out again), then the parts are joined into one
tagged PDF and the page furniture (running header, page numbers) is drawn over the joined pages.

Joining keeps what a reader's software reads: the pages in order; one structure tree (WeasyPrint
tags each page as a kid of one /Document element, so the joined /Document has the parts' kids in
turn, their parent tree keys moved past the parts before); the bookmarks, nested as they were; and
the named destinations that links go to, so a link in one part to an anchor in another goes there.
"""

import functools
import hashlib
import io
import re
import warnings
from dataclasses import dataclass

import pikepdf
import weasyprint
from pikepdf import Array, Dictionary, Name
from weasyprint import CSS, HTML

from lgaboard.pdf import BASE_URL, StaticFilesFetcher
from lgaboard.pdf_tagging import saved

# What changes a part's rendering besides its HTML and stylesheets: the renderer and this module.
RENDERER = f"weasyprint {weasyprint.__version__}; parts 1"
_STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)">')
_STYLE_ELEMENT = re.compile(r"<style>(.*?)</style>", re.DOTALL)
_LINKED = re.compile(r'href="#([^"]+)"')
_ID = re.compile(r'\sid="([^"]+)"')
_BODY = re.compile(r"<body[^>]*>")
_PAGINATION = b"/Artifact <</Type /Pagination>> BDC"


@dataclass(frozen=True)
class Part:
    """One part's HTML, its stylesheets taken out of it (each `(base URL, text)`, in the order the
    HTML gave them), and the anchors it links to but does not hold (stand-ins are added for them:
    WeasyPrint drops a link to an anchor it cannot find)."""

    html: str
    stylesheets: tuple[tuple[str, str], ...]
    borrowed: frozenset[str]

    @functools.cached_property
    def fingerprint(self) -> str:
        """What the part's rendering is made from: another fingerprint, another rendering."""
        digest = hashlib.sha256(RENDERER.encode())
        for text in (self.html, *(text for _, text in self.stylesheets)):
            digest.update(hashlib.sha256(text.encode()).digest())
        return digest.hexdigest()


def part_of(html: str) -> Part:
    """The part a self-contained HTML document makes.

    Its stylesheets are parsed once per process, not once per part (the portal's stylesheet takes
    0.7 s to parse, longer than most parts take to lay out): they are taken out of the HTML and
    given to WeasyPrint parsed, in the same order. WeasyPrint counts a stylesheet given that way
    as the user's, below the document's own, so all of them go that way: among themselves they
    cascade as before, and only a `style` attribute marked !important would now lose to them."""
    sheets = []
    for match in _STYLESHEET_LINK.finditer(html):
        sheets.append((BASE_URL.rstrip("/") + match.group(1), _fetched_text(match.group(1))))
    sheets += [(BASE_URL, match.group(1)) for match in _STYLE_ELEMENT.finditer(html)]
    html = _STYLE_ELEMENT.sub("", _STYLESHEET_LINK.sub("", html))
    borrowed = frozenset(_LINKED.findall(html)) - set(_ID.findall(html))
    return Part(_with_stand_ins(html, borrowed), tuple(sheets), borrowed)


def _fetched_text(path: str) -> str:
    response = StaticFilesFetcher().fetch(BASE_URL.rstrip("/") + path)
    return response.read().decode("utf-8-sig")  # the stylesheet starts with a byte order mark


def _with_stand_ins(html: str, names) -> str:
    """Anchors for the links to other parts, out of the flow at the top of the first page: an empty
    positioned box moves nothing and leaves no tag (empty elements are pruned)."""
    if not names:
        return html
    spans = "".join(f'<span id="{name}"></span>' for name in sorted(names))
    stand_ins = f'<div style="position: absolute; width: 0; height: 0; overflow: hidden">{spans}</div>'
    body = _BODY.search(html)
    return html[: body.end()] + stand_ins + html[body.end() :]


@functools.lru_cache(maxsize=16)
def _parsed(base_url: str, text: str) -> CSS:
    return CSS(string=text, base_url=base_url, url_fetcher=StaticFilesFetcher())


def lay_out(part: Part):
    """The part laid out by WeasyPrint, as `lgaboard.pdf.render_document` lays out a whole page."""
    stylesheets = [_parsed(base_url, text) for base_url, text in part.stylesheets]
    html = HTML(string=part.html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher())
    return html.render(stylesheets=stylesheets)


def join(parts: list[tuple[bytes, frozenset[str]]], furniture: bytes | None = None) -> bytes:
    """One tagged PDF of `parts` (each a tagged PDF from `lgaboard.pdf.write_pdf` and the anchors it
    only borrowed), with the pages of `furniture` (as many as the parts have in all) drawn over
    them as pagination artifacts. The first part gives the document its catalogue: language,
    title, metadata, viewer preferences."""
    first, borrowed = parts[0]
    with pikepdf.open(io.BytesIO(first)) as joined:
        tree = _Joined(joined, borrowed)
        for data, borrowed in parts[1:]:
            with pikepdf.open(io.BytesIO(data)) as part:
                tree.append(part, borrowed)
        tree.finish()
        if furniture is not None:
            with pikepdf.open(io.BytesIO(furniture)) as drawn:
                draw_over(joined, drawn)
        return saved(joined)


class _Joined:
    """The first part, growing by the parts appended to it."""

    def __init__(self, pdf, borrowed: frozenset[str]):
        self.pdf = pdf
        self.root = pdf.Root.StructTreeRoot
        self.document = _only_kid(self.root)
        self.nums = list(self.root.ParentTree.Nums)
        self.next_key = _next_key(self.nums)
        self.dests = _dests(pdf.Root, borrowed, {})
        self.outlines = pdf.Root.get("/Outlines")

    def append(self, part, borrowed: frozenset[str]) -> None:
        _move_keys(part, self.next_key)
        with warnings.catch_warnings():
            # It warns that named destinations are left behind: they are joined below.
            warnings.simplefilter("ignore", pikepdf.exceptions.PageCopyWarning)
            self.pdf.pages.extend(part.pages)
        # One copy of the part's catalogue: QPDF keeps one map of the objects it copied from each
        # file, so the structure elements' /Pg, the bookmarks' and destinations' pages are the
        # pages just appended.
        catalog = self.pdf.copy_foreign(part.Root)
        self._append_tree(catalog.StructTreeRoot)
        self._append_outline(catalog.get("/Outlines"))
        _dests(catalog, borrowed, self.dests)

    def _append_tree(self, root) -> None:
        for name in ("/IDTree", "/ClassMap"):
            if name in root:
                raise ValueError(f"Joining tagged PDFs with {name} is not supported")
        if "/RoleMap" in root:
            self.root.RoleMap = Dictionary({**dict(self.root.get("/RoleMap", {})), **dict(root.RoleMap)})
        kids = _kids(_only_kid(root))
        for kid in kids:
            if isinstance(kid, Dictionary) and "/S" in kid:
                kid.P = self.document
        self.document.K = Array([*_kids(self.document), *kids])
        nums = list(root.ParentTree.Nums)
        self.nums += nums
        self.next_key = max(self.next_key, _next_key(nums))

    def _append_outline(self, outlines) -> None:
        if outlines is None or "/First" not in outlines:
            return
        if self.outlines is None or "/First" not in self.outlines:
            self.outlines = self.pdf.Root.Outlines = self.pdf.make_indirect(
                Dictionary(Type=Name.Outlines, Count=0)
            )
            self.outlines.First = outlines.First
        else:
            self.outlines.Last.Next = outlines.First
            outlines.First.Prev = self.outlines.Last
        self.outlines.Last = outlines.Last
        item = outlines.First
        while item is not None:
            item.Parent = self.outlines
            item = item.get("/Next")
        self.outlines.Count = int(self.outlines.get("/Count", 0)) + int(outlines.get("/Count", 0))

    def finish(self) -> None:
        self.root.ParentTree.Nums = Array(self.nums)
        if "/ParentTreeNextKey" in self.root:
            self.root.ParentTreeNextKey = self.next_key
        names = Array()
        for name in sorted(self.dests):
            names.extend([pikepdf.String(name), self.dests[name]])
        if "/Names" not in self.pdf.Root:
            self.pdf.Root.Names = Dictionary()
        self.pdf.Root.Names.Dests = Dictionary(Names=names)


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _only_kid(root):
    """The /Document element WeasyPrint puts at the top of its tree."""
    (document,) = _kids(root)
    return document


def _next_key(nums) -> int:
    return max((int(key) for key in nums[::2]), default=-1) + 1


def _move_keys(part, offset: int) -> None:
    """Move the part's parent tree keys past those already joined: in its tree, on its pages and on
    their annotations."""
    tree = part.Root.StructTreeRoot.ParentTree
    if "/Nums" not in tree:
        raise ValueError("Joining tagged PDFs whose parent tree has /Kids is not supported")
    nums = tree.Nums
    for index in range(0, len(nums), 2):
        nums[index] = int(nums[index]) + offset
    for page in part.pages:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + offset


def _dests(catalog, borrowed: frozenset[str], into: dict) -> dict:
    """The named destinations of a part added to `into`, but those only standing in for an anchor
    of another part; a name already there keeps its first destination, as in one document."""
    dests = catalog.get("/Names", {}).get("/Dests")
    if dests is None:
        return into
    if "/Kids" in dests:
        raise ValueError("Joining PDFs whose destinations are a tree with /Kids is not supported")
    names = dests.get("/Names", [])
    for name, dest in zip(names[::2], names[1::2], strict=True):
        name = str(name)
        if name not in borrowed:
            into.setdefault(name, dest)
    return into


def draw_over(pdf, furniture) -> None:
    """Draw each page of `furniture` over the page of the same number, marked as a pagination
    artifact, after the page's own content (where WeasyPrint draws its margin boxes), so text
    comes out in the same order as from a document laid out whole."""
    if len(furniture.pages) != len(pdf.pages):
        raise ValueError(f"{len(furniture.pages)} pages of furniture for {len(pdf.pages)} pages")
    for page, over in zip(pdf.pages, furniture.pages, strict=True):
        form = pdf.copy_foreign(over.as_form_xobject())
        # WeasyPrint shares one /Resources among all pages: each page gets its own.
        resources = Dictionary(page.obj.Resources)
        xobjects = Dictionary(resources.get("/XObject", Dictionary()))
        xobjects.LgaFurniture = form
        resources.XObject = xobjects
        page.obj.Resources = resources
        page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
        page.contents_add(pdf.make_stream(b"Q\n" + _PAGINATION + b"\n/LgaFurniture Do\nEMC\n"))
