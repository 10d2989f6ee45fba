"""Checks on uploaded files and typed-in keys, run before anything is saved."""

import re
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.template.defaultfilters import filesizeformat
from pypdf import PdfReader
from pypdf.errors import LimitReachedError, PyPdfError
from pypdf.filters import decode_stream_data
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

# An annex's letter is part of its address (annex-2-1.pdf) and its anchor (item-3-2-1).
validate_annex_letter = RegexValidator(
    r"\A[A-Za-z0-9]+(-[A-Za-z0-9]+)*\Z", "Use letters, digits and hyphens only, e.g. A, B, 1 or 2-1."
)

# Whatever pypdf (or the zlib under it) raises on a damaged or hostile file means "could not be read".
READ_ERRORS = (PyPdfError, ValueError, TypeError, KeyError, IndexError, AttributeError, OSError, zlib.error)

# What a reader's PDF software would run, open, send or unpack, by the PDF name that carries it:
# dictionary keys, and the types (/S of an action, /Subtype of an annotation) that are refused.
JAVASCRIPT = "JavaScript"
AUTOMATIC = "actions run automatically"
OPENS = "actions that open other files or programs"
FORMS = "form actions that send or import data"
FILES = "embedded files"
MEDIA = "embedded media"
XFA = "an XFA form"
ACTIVE_KEYS = {
    "/JS": JAVASCRIPT,
    "/JavaScript": JAVASCRIPT,  # the document's named scripts, run when it opens
    "/AA": AUTOMATIC,  # on opening, closing, printing, or showing a page or field
    "/EmbeddedFiles": FILES,
    "/EF": FILES,
    "/RichMediaContent": MEDIA,
    "/XFA": XFA,
    "/3DD": MEDIA,  # 3D artwork, which can carry its own scripts (/OnInstantiate)
    "/OnInstantiate": JAVASCRIPT,
}
ACTIVE_TYPES = {
    "/JavaScript": JAVASCRIPT,
    "/Launch": OPENS,
    "/GoToE": OPENS,
    "/GoToR": OPENS,
    "/SubmitForm": FORMS,
    "/ImportData": FORMS,
    "/FileAttachment": FILES,
    "/RichMedia": MEDIA,
    "/RichMediaExecute": MEDIA,
    "/Rendition": MEDIA,
    "/Screen": MEDIA,
    "/Movie": MEDIA,
    "/Sound": MEDIA,
    "/3D": MEDIA,
}
KINDS_IN_ORDER = (JAVASCRIPT, AUTOMATIC, OPENS, FORMS, FILES, MEDIA, XFA)

# Stream filters whose output is an image's own coding: counted as stored, like a JPEG file.
IMAGE_CODECS = {"/DCTDecode", "/DCT", "/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode", "/CCF"}
INFLATE_CHUNK = 1024 * 1024
# More objects than any paper needs (a 300-page report has a few thousand): checking them all would
# hold the clerk's request for many seconds, so such a file is refused as too complex.
MAX_OBJECTS = 200_000
# Links may open web pages and e-mail; any other scheme (javascript:, file:, data:…) is refused.
LINK_SCHEMES = ("http:", "https:", "mailto:")


def validate_pdf_upload(upload) -> None:
    """Refuse anything that is not a readable PDF of a sensible size, whatever its name says; and a
    PDF that would run, open or send anything on a reader's computer, or unpack to too much."""
    limit = settings.ANNEX_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(f"This file is larger than the {filesizeformat(limit)} allowed.")
    upload.seek(0)
    if upload.read(5) != b"%PDF-":
        raise ValidationError("This file is not a PDF: choose a PDF document.")
    upload.seek(0)
    try:
        check_pdf(PdfReader(upload))
    except READ_ERRORS as error:
        raise ValidationError("This PDF could not be read; it may be damaged.") from error
    finally:
        upload.seek(0)


def check_pdf(reader: PdfReader) -> None:
    """The checks on a readable PDF: its pages, then everything a reader's software would load."""
    check_page_count(len(reader.pages))
    found: dict[str, str] = {}
    unpacked = 0
    for count, obj in enumerate(reachable_objects(reader), start=1):
        if count > MAX_OBJECTS:
            raise ValidationError(
                "This PDF is far more complex than a paper needs (over "
                f"{MAX_OBJECTS:,} objects); save it again, e.g. print it to PDF, or split it."
            )
        found.update(active_content(obj))
        if isinstance(obj, StreamObject):
            unpacked += stream_size(obj, settings.ANNEX_MAX_DECODED_BYTES - unpacked)
            check_unpacked_size(unpacked)
    if found:
        raise ValidationError(active_content_message(found))


def check_page_count(pages: int) -> None:
    limit = settings.ANNEX_MAX_PAGES
    if pages == 0:
        raise ValidationError("This PDF has no pages.")
    if pages > limit:
        raise ValidationError(
            f"This PDF has {pages:,} pages; an annex may have at most {limit:,}. "
            f"Split it into annexes of up to {limit:,} pages each."
        )


def check_unpacked_size(unpacked: int) -> None:
    limit = settings.ANNEX_MAX_DECODED_BYTES
    if unpacked > limit:
        raise ValidationError(
            f"This PDF unpacks to more than {filesizeformat(limit)}, the most an annex may hold; save it "
            "again with smaller images or at a lower resolution, or split it into smaller annexes."
        )


def reachable_objects(reader: PdfReader):
    """Every dictionary and stream a reader's software can reach from the file's trailer, once each,
    whether it is stored plainly or compressed in an object stream (pypdf resolves both)."""
    seen: set[tuple[int, int]] = set()
    pending: list = [reader.trailer]
    while pending:
        obj = pending.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            yield obj
            pending.extend(obj.values())  # as stored: references are followed above, once each
        elif isinstance(obj, ArrayObject):
            pending.extend(obj)


def active_content(obj: DictionaryObject) -> dict[str, str]:
    """{'/Launch': 'actions that open…'}: what in this one dictionary would run, open, send or unpack."""
    found = {key: ACTIVE_KEYS[key] for key in obj if key in ACTIVE_KEYS}
    for key in ("/S", "/Subtype"):
        value = resolved(obj, key)
        if isinstance(value, str) and value in ACTIVE_TYPES:
            found[value] = ACTIVE_TYPES[value]
    if kind := _link_kind(obj):
        found["/URI"] = kind
    opening = resolved(obj, "/OpenAction")  # a page to open at is fine; an action run on opening is not
    if isinstance(opening, DictionaryObject) and (triggered := active_content(opening)):
        found["/OpenAction"] = next(iter(triggered.values()))
    return found


def is_active_annotation(annotation: DictionaryObject) -> bool:
    """Whether an annotation, the action it runs, or any action chained after that (/Next) would
    run, open, send or unpack anything: the pack keeps an annex page's other annotations (links)."""
    seen: set[int] = set()
    pending = [annotation]
    while pending:
        obj = pending.pop()
        if id(obj) in seen or not isinstance(obj, DictionaryObject | ArrayObject):
            continue
        seen.add(id(obj))
        if isinstance(obj, ArrayObject):
            pending.extend(item.get_object() for item in obj)
        elif active_content(obj):
            return True
        else:
            pending.extend(resolved(obj, key) for key in ("/A", "/Next"))
    return False


def _link_kind(obj: DictionaryObject) -> str:
    """What a link to anything but a web page or an e-mail address would do (a javascript: or file:
    address…), or ''. Readers ignore tabs and line breaks inside a scheme and control characters
    before it, so this does too."""
    if resolved(obj, "/S") != "/URI":
        return ""
    uri = resolved(obj, "/URI")
    if isinstance(uri, bytes):
        uri = uri.decode("latin-1")
    if not isinstance(uri, str):
        return OPENS  # not an address a reader can follow as a web link
    cleaned = re.sub(r"^[\x00-\x20]+", "", re.sub(r"[\t\n\r]", "", uri)).lower()
    scheme = re.match(r"[a-z][a-z0-9+.-]*:", cleaned)
    if scheme is None or scheme.group() in LINK_SCHEMES:
        return ""
    return JAVASCRIPT if scheme.group() == "javascript:" else OPENS


def resolved(obj: DictionaryObject, key: str):
    """The value under `key`, following a reference to where it is stored; None if absent."""
    value = obj.get(key)
    return None if value is None else value.get_object()


def active_content_message(found: dict[str, str]) -> str:
    kinds = [kind for kind in KINDS_IN_ORDER if kind in found.values()]
    listed = kinds[0] if len(kinds) == 1 else f"{', '.join(kinds[:-1])} and {kinds[-1]}"
    return (
        f"This PDF contains {listed} ({', '.join(sorted(found))}); "
        "save it again without scripts, attachments or media, e.g. print it to PDF."
    )


def stream_size(stream: StreamObject, budget: int) -> int:
    """The bytes a stream's filters unpack it to, counted without keeping them where it is compressed
    the usual way (FlateDecode), and no further than just past `budget`."""
    filters = resolved(stream, "/Filter") or ArrayObject()
    filters = list(filters) if isinstance(filters, ArrayObject) else [filters]
    stored = stream._data  # the bytes as stored in the file (pypdf has no public name for them)
    if not filters or filters[0] in IMAGE_CODECS:
        return len(stored)
    if filters in (["/FlateDecode"], ["/Fl"]):
        return inflated_size(stored, budget)
    try:
        return len(decode_stream_data(stream))  # rarer filters: pypdf decodes within its own limits
    except LimitReachedError:
        return budget + 1
    except NotImplementedError:  # a filter pypdf does not know: a reader's software cannot unpack it
        return len(stored)


def inflated_size(data: bytes, budget: int) -> int:
    """How far zlib data inflates, a chunk at a time and thrown away, stopping once past `budget`."""
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)  # a zlib or gzip header
    size = 0
    try:
        while data and size <= budget:
            size += len(inflater.decompress(data, INFLATE_CHUNK))
            data = inflater.unconsumed_tail
        return size if data else size + len(inflater.flush())
    except zlib.error:  # damaged part way: readers show what came before
        return size
