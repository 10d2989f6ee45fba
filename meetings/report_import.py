"""A report filled from a Word document.

Clerks write reports in Word. `read_word_document` turns a .docx into the report's sections: `mammoth`
makes HTML of it (pictures are never unpacked), the portal's own sanitiser (`nh3`, the tags and
link schemes `lgaboard.markdown` allows) cleans it, the headings an LGA paper uses ("Purpose of
report", "Summary", "Recommendations", "Action", "Contact officer", "Background"…, "Implications for
Wales", "Financial Implications", "Next steps") divide it, and `lgaboard.html_to_markdown` writes each
section as the Markdown the report stores. Nothing is saved: the clerk sees the preview, with what
could not be converted, and `report_fill_from_word` then writes it all in one transaction.
Between the two the result travels signed (`preview_token`), so the file is not kept.
"""

import dataclasses
import io
import re
import zipfile

import mammoth
import nh3
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction

from lgaboard import html_to_markdown as h2m
from lgaboard.html_to_markdown import Element
from lgaboard.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES
from lgaboard.versioning import STALE_MESSAGE, StaleEdit

from .models import AgendaItem, Meeting, Person, Recommendation, Report, ReportContact

MAX_BYTES = 10 * 1024 * 1024  # a long report with its pictures is a few MB; pictures are not kept
MAX_TEXT_BYTES = 30 * 1024 * 1024  # the document's XML unpacked (a 100-page paper's is 2–3 MB)
MAX_CHARACTERS = 1_000_000  # the Markdown of all the sections together
PREVIEW_SECONDS = 2 * 60 * 60  # how long a preview may wait for "Save into the report"

# Word's Title style is the paper's title; its other paragraph styles are ordinary paragraphs.
STYLE_MAP = "p[style-name='Title'] => h1:fresh\np[style-name='Subtitle'] => p:fresh"
NOTE_ID = "lgaboard-note-"  # mammoth's footnotes and endnotes come last, with ids starting so

FRONT = ("purpose", "summary", "recommendations", "action", "contacts")
CLOSING = ("implications_for_wales", "financial_implications", "next_steps")
MARKDOWN_FIELDS = ("purpose_text", "summary", "action", "body", *CLOSING)
PURPOSES = ("information", "discussion", "decision", "direction")
SECTION_NAMES = {
    "purpose": "Purpose", "summary": "Summary", "recommendations": "Recommendations", "action": "Action",
    "contacts": "Contact officer", "body": "the body of the report",
    "implications_for_wales": "Implications for Wales", "financial_implications": "Financial implications",
    "next_steps": "Next steps",
}  # fmt: skip
FIELD_NAMES = {
    "purpose_text": "The purpose written out", "summary": "The summary", "action": "The action",
    "body": "The body of the report", "implications_for_wales": "Implications for Wales",
    "financial_implications": "Financial implications", "next_steps": "Next steps",
}  # fmt: skip
# The headings as the papers (and clerks) spell them, normalised by `_key`.
HEADINGS = {
    "purpose": {"purpose", "purpose of report", "purpose of the report", "purpose of this report"},
    "summary": {"summary", "executive summary"},
    "recommendations": {"recommendation", "recommendations"},
    "action": {"action", "actions", "action required"},
    "contacts": {"contact officer", "contact officers", "contact", "contacts"},
    "implications_for_wales": {"implications for wales", "wales implications"},
    "financial_implications": {"financial implications", "financial implication", "finance implications"},
    "next_steps": {"next steps", "next step"},
    # Headings of the body itself: kept there as headings.
    "body_heading": {"background", "issues", "introduction", "proposal", "proposals", "discussion",
                     "conclusion", "conclusions", "options", "context"},
}  # fmt: skip
SECTION_OF = {heading: key for key, headings in HEADINGS.items() for heading in headings}
_NUMBERED_HEADING = re.compile(r"^\d+(\.\d+)*\.?\s+")
_PURPOSE = re.compile(r"^for\s+(.+?)\.?$", re.I)
_PURPOSE_WORDS = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
_CONTACT_LABEL = re.compile(
    r"^(contact officers?|position|phone(?: no\.?)?|tel(?:ephone)?|e-?mail)\s*:?\s*", re.I
)
_NOT_NAMES = {"cllr", "councillor", "dr", "mr", "mrs", "ms", "miss", "sir", "dame", "prof", "professor",
              "obe", "mbe", "cbe", "jp", "dl"}  # fmt: skip
_STYLE_MESSAGE = re.compile(r"Unrecognised (paragraph|run) style: '?(.+?)'? \(Style ID")


@dataclasses.dataclass
class ReportFromWord:
    """What a Word document gives a report: each field as the report stores it, and what the clerk
    should know before saving (`not_converted`: what was lost or moved; `notes`: what was done)."""

    filename: str
    title: str = ""
    purposes: list[str] | None = None  # ["discussion", "direction"] for "For discussion and direction."
    purpose_text: str = ""
    summary: str = ""
    recommendations_intro: str = ""
    recommendations: list[str] = dataclasses.field(default_factory=list)
    action: str = ""
    contact_ids: list[int] = dataclasses.field(default_factory=list)
    body: str = ""
    implications_for_wales: str = ""
    financial_implications: str = ""
    next_steps: str = ""
    not_converted: list[str] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)

    @property
    def contacts(self) -> list[Person]:
        people = Person.objects.in_bulk(self.contact_ids)
        return [people[pk] for pk in self.contact_ids if pk in people]


# Reading the file ---------------------------------------------------------------------------------


def read_word_document(upload) -> ReportFromWord:
    """The report's sections from an uploaded .docx, or ValidationError saying plainly why not (not
    a .docx, damaged, too big, nothing in it). Saves nothing."""
    data = _checked_bytes(upload)
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            id_prefix=NOTE_ID,
            # A picture becomes <img alt> without its bytes (never read): only to say where it was.
            convert_image=mammoth.images.img_element(lambda image: {}),
        )
    except Exception as error:  # mammoth raises many kinds on a document it cannot follow
        raise ValidationError(_unreadable(upload.name)) from error
    filled = ReportFromWord(filename=upload.name)
    filled.not_converted += _mammoth_messages(result.messages) + _refused_links(result.value)
    _fill(filled, result.value)
    if not any(getattr(filled, name) for name in (*MARKDOWN_FIELDS, "recommendations", "title")):
        raise ValidationError(f"“{upload.name}” has no text to fill the report with.")
    if sum(len(getattr(filled, name)) for name in MARKDOWN_FIELDS) > MAX_CHARACTERS:
        raise ValidationError(
            f"“{upload.name}” is too long for one report: split it into a report and annexes."
        )
    return filled


def _checked_bytes(upload) -> bytes:
    name = upload.name or "The file"
    if not name.lower().endswith(".docx"):
        raise ValidationError(
            f"“{name}” is not a Word document (.docx). In Word, choose Save As, “Word Document (.docx)”, "
            "and upload that."
        )
    if upload.size > MAX_BYTES:
        raise ValidationError(
            f"“{name}” is {upload.size / 1024 / 1024:.1f} MB; a document may be at most "
            f"{MAX_BYTES // 1024 // 1024} MB. Pictures are not kept: save a copy without them and upload "
            "that."
        )
    data = upload.read()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise ValidationError(_unreadable(name)) from error
    if "word/document.xml" not in {part.filename for part in parts}:
        raise ValidationError(_unreadable(name))
    if sum(part.file_size for part in parts if not part.filename.startswith("word/media/")) > MAX_TEXT_BYTES:
        raise ValidationError(f"“{name}” unpacks to far more text than a report has: it cannot be read.")
    return data


def _unreadable(name: str) -> str:
    return (
        f"“{name}” could not be read as a Word document: it may be damaged, protected by a password, or "
        "another kind of file. Open it in Word, save it as a .docx without a password, and upload it again."
    )


def _mammoth_messages(messages) -> list[str]:
    said = []
    for message in messages:
        style = _STYLE_MESSAGE.match(message.message)
        if style:
            kind = "paragraphs" if style.group(1) == "paragraph" else "text"
            text = (
                f"Word's style “{style.group(2)}” is not one the portal knows: its {kind} are kept as "
                f"ordinary {kind}."
            )
        else:
            text = f"From Word: {message.message}"
        if text not in said:
            said.append(text)
    return said


def _refused_links(html: str) -> list[str]:
    """Links the sanitiser removes (only web, e-mail and telephone addresses are kept)."""
    refused = []
    for href in re.findall(r'<a [^>]*href="([^"]*)"', html):
        scheme = href.split(":", 1)[0].lower() if ":" in href else ""
        if scheme and scheme not in URL_SCHEMES:
            refused.append(
                f"A link to “{href[:60]}” was removed (its words are kept): only web, e-mail and "
                "telephone links are kept."
            )
    return refused


def _sanitised(html: str) -> Element:
    clean = nh3.clean(
        html,
        # h1: Word's Title and Heading 1 (written as level 2 in the Markdown, as the portal's are);
        # pictures only to say where they were, never kept.
        tags=ALLOWED_TAGS | {"h1", "img"},
        attributes={**ALLOWED_ATTRIBUTES, "img": {"alt"}},
        url_schemes=URL_SCHEMES,
    )
    return h2m.parse(clean)


# Dividing it into sections ------------------------------------------------------------------------


def _key(text: str) -> str:
    text = _NUMBERED_HEADING.sub("", " ".join(text.split()).lower().replace("&", "and"))
    return text.rstrip(":.– ").strip()


def _is_bold(node: Element) -> bool:
    """A paragraph in bold alone (the papers' other way of writing a heading)."""
    rest = [
        child for child in node.children if not (isinstance(child, Element) and child.tag in {"strong", "b"})
    ]
    return len(rest) < len(node.children) and not h2m.text_of(Element("p", children=rest))


def _heading_text(block: Element) -> str | None:
    """The text of a block that may name a section: a heading, a paragraph in bold alone, or a short
    paragraph that is exactly a section's name."""
    if block.tag in h2m.HEADINGS:
        return h2m.text_of(block)
    if block.tag == "p":
        text = h2m.text_of(block)
        if _is_bold(block) or _key(text) in SECTION_OF:
            return text
    return None


def _lead_label(block: Element) -> tuple[str | None, Element]:
    """("contacts", block) for "**Contact officer:** Dennis Skinner"; (key, the rest) for another
    section named in bold at the start of a paragraph ("**Purpose:** For discussion.")."""
    children = [c for c in block.children if not (isinstance(c, str) and not c.strip())]
    if block.tag != "p" or not children or not isinstance(children[0], Element):
        return None, block
    if children[0].tag not in {"strong", "b"}:
        return None, block
    label = h2m.text_of(children[0])
    following = h2m.text_of(Element("p", children=children[1:2]))
    key = SECTION_OF.get(_key(label)) if label.endswith(":") or following.startswith(":") else None
    if key in (None, "body_heading"):
        return None, block
    return key, block if key == "contacts" else Element("p", children=children[1:])


def _first_cell_key(block: Element) -> str | None:
    cells = h2m.elements(block, h2m.CELLS) if block.tag == "table" else []
    return SECTION_OF.get(_key(h2m.text_of(cells[0]))) if cells else None


class _Sections:
    """The document's blocks, in order, shared out among the report's sections."""

    def __init__(self):
        self.blocks: dict[str, list] = {key: [] for key in (*FRONT, "body", *CLOSING)}
        self.current: str | None = None  # None: before the first section (the preamble)
        self.preamble: list = []
        self.title = ""
        self.moved: list[str] = []

    def add(self, block) -> None:
        if isinstance(block, str):
            block = Element("p", children=[block])
        heading = _heading_text(block)
        if heading is not None and self._heading(block, heading):
            return
        key, rest = _lead_label(block) if self.current in (None, *FRONT) else (None, block)
        if key is None and _first_cell_key(block) == "contacts":
            key = "contacts"
        if key is not None:
            self.current = key
            block = rest
        elif self.current == "contacts" and block.tag in h2m.LISTS:
            self.current = "body"  # numbered paragraphs after the contacts: the report has begun
        (self.preamble if self.current is None else self.blocks[self.current]).append(block)

    def _heading(self, block: Element, heading: str) -> bool:
        """Start the section a heading names; False if it is not a heading but a paragraph in bold."""
        key = SECTION_OF.get(_key(heading))
        if key == "body_heading":
            self._into_body(heading)
            self.blocks["body"].append(Element("h2", children=[heading]))
        elif key is not None:
            self.current = key
            if key == "contacts":
                self.blocks["contacts"].append(block)  # "Contact officer:" labels the names after it
        elif block.tag not in h2m.HEADINGS:
            return False
        elif self.current is None and not self.title:
            self.title = heading
        elif _key(heading) != _key(self.title):  # the title again, above the body: left out
            self._into_body(heading)
            self.blocks["body"].append(block)
        return True

    def _into_body(self, heading: str) -> None:
        if self.current in CLOSING:
            self.moved.append(
                f"“{heading}” is not one of the report's sections: it (and what follows it, up to the next "
                f"section) was placed at the end of the body, after “{SECTION_NAMES[self.current]}”."
            )
        self.current = "body"


def _fill(filled: ReportFromWord, html: str) -> None:
    notes_at = html.find(f'<ol><li id="{NOTE_ID}')
    html, footnotes = (html[:notes_at], html[notes_at:]) if notes_at >= 0 else (html, "")
    sections = _Sections()
    for block in _sanitised(html).children:
        if isinstance(block, Element) or block.strip():
            sections.add(block)
    blocks = sections.blocks
    if sections.preamble:
        blocks["body"][:0] = sections.preamble
        if h2m.text_of(Element("p", children=sections.preamble)):
            filled.not_converted.append(_preamble_note(sections))
    if footnotes:
        blocks["body"] += _footnotes(footnotes)
        filled.notes.append("The document's footnotes are at the end of the body, numbered as in Word.")
    filled.title = sections.title
    filled.not_converted += sections.moved + _pictures(blocks)
    _fill_front(filled, blocks)
    numbering = h2m.Numbering()  # the papers number their paragraphs on, from the body to the end
    for key in ("body", *CLOSING):
        setattr(filled, key, h2m.to_markdown(blocks[key], numbering=numbering))
    if numbering.last:
        numbers = "1" if numbering.last == 1 else f"1 to {numbering.last}"
        filled.notes.append(
            f"Numbered paragraphs are numbered {numbers} through the body and the sections "
            "after it, as the papers number them, and numbered lists inside them as sub-paragraphs (3.1, "
            "3.2…): check the numbers in the preview."
        )


def _preamble_note(sections: _Sections) -> str:
    if not any(sections.blocks[key] for key in (*FRONT, *CLOSING)):
        return (
            "No section headings were recognised (“Purpose of report”, “Summary”, “Recommendations”…): "
            "all the text was placed in the body."
        )
    start = h2m.text_of(Element("p", children=sections.preamble))[:80]
    return f"The text before the first section heading (“{start}…”) was placed at the start of the body."


def _footnotes(html: str) -> list[Element]:
    notes = h2m.elements(_sanitised(html), {"li"})
    paragraphs = [Element("p", children=[Element("strong", children=["Notes"])])]
    for number, note in enumerate(notes, start=1):
        _drop_back_links(note)
        children = [child for p in note.children if isinstance(p, Element) for child in p.children]
        paragraphs.append(Element("p", children=[Element("sup", children=[f"[{number}]"]), " ", *children]))
    return paragraphs


def _drop_back_links(node: Element) -> None:
    node.children = [
        child
        for child in node.children
        if not (
            isinstance(child, Element) and child.tag == "a" and child.attrs.get("href", "").startswith("#")
        )
    ]
    for child in node.children:
        if isinstance(child, Element):
            _drop_back_links(child)


def _pictures(blocks: dict[str, list]) -> list[str]:
    """Where each picture was: pictures are not kept in reports."""
    said = []
    for key, section in blocks.items():
        place = SECTION_NAMES[key]
        for block in section:
            if block.tag in h2m.HEADINGS:
                place = f"“{h2m.text_of(block)}”"
            for picture in h2m.elements(block, {"img"}):
                alt = picture.attrs.get("alt", "").strip()
                described = f" (“{alt[:80]}”)" if alt else ""
                said.append(
                    f"A picture{described} in {place} was left out: reports do not keep pictures. "
                    "If members need it, add it to an annex as a PDF."
                )
    return said


# The front sheet ----------------------------------------------------------------------------------


def _fill_front(filled: ReportFromWord, blocks: dict[str, list]) -> None:
    purpose = h2m.to_markdown(blocks["purpose"])
    filled.purposes = _purposes_in(h2m.text_of(Element("p", children=blocks["purpose"])))
    filled.purpose_text = "" if filled.purposes else purpose
    filled.summary = h2m.to_markdown(blocks["summary"])
    filled.action = h2m.to_markdown(blocks["action"])
    filled.recommendations_intro, filled.recommendations = _recommendations(blocks["recommendations"], filled)
    filled.contact_ids = _contacts(blocks["contacts"], filled)


def _purposes_in(text: str) -> list[str] | None:
    """["discussion", "direction"] for "For discussion and direction."; None for any other wording."""
    found = _PURPOSE.match(text.strip())
    if not found:
        return None
    words = [word.lower() for word in _PURPOSE_WORDS.split(found.group(1)) if word]
    words = ["information" if word == "noting" else word for word in words]
    return [p for p in PURPOSES if p in words] if words and set(words) <= set(PURPOSES) else None


def _recommendations(blocks: list, filled: ReportFromWord) -> tuple[str, list[str]]:
    """The line introducing them ("Members are asked to:") and each recommendation as plain text."""
    intro, items = [], []
    for block in blocks:
        if block.tag in h2m.LISTS:
            for item in (c for c in block.children if isinstance(c, Element) and c.tag == "li"):
                items.append(h2m.text_of(item))
        elif text := h2m.text_of(block):
            (intro if not items and text.endswith(":") else items).append(text)
    said = " ".join(intro)
    if len(said) > Report._meta.get_field("recommendations_intro").max_length:
        filled.not_converted.append(
            "The recommendations' introduction is longer than 300 characters: it is kept as the first "
            "recommendation."
        )
        return "", [said, *items]
    return said, items


def _contacts(blocks: list, filled: ReportFromWord) -> list[int]:
    """The people the portal knows among the contact officers named; the others are listed."""
    found, names = [], _contact_names(blocks)
    if blocks and not names:
        filled.not_converted.append("The contact officer section names no one: add the report's contacts.")
    for name in names:
        words = [w for w in re.split(r"[\s,]+", name) if w and w.lower().rstrip(".") not in _NOT_NAMES]
        people = (
            list(Person.objects.filter(first_name__iexact=words[0], last_name__iexact=words[-1])[:2])
            if len(words) >= 2
            else []
        )
        if len(people) == 1:
            found.append(people[0].pk)
        elif people:
            filled.not_converted.append(
                f"Contact officer “{name}” matches more than one of the portal's people: choose the right "
                "one in the report's contact officers."
            )
        else:
            filled.not_converted.append(
                f"Contact officer “{name}” is not among the portal's people: add them under People, then "
                "to the report's contact officers."
            )
    return list(dict.fromkeys(found))


def _contact_names(blocks: list) -> list[str]:
    names, taking = [], False
    for line in _lines(blocks):
        label = _CONTACT_LABEL.match(line)
        if label:
            taking, line = label.group(1).lower().startswith("contact"), line[label.end() :]
        if taking and line.strip() and "@" not in line:
            names.append(line.strip())
    return names


_LINE_ENDS = {"p", "td", "th", "li", "br", *h2m.HEADINGS}


def _lines(blocks: list) -> list[str]:
    """The text of blocks as lines: a paragraph, a table cell or a line break ends a line."""
    text = "".join(_text_in_lines(block) for block in blocks)
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def _text_in_lines(node) -> str:
    if isinstance(node, str):
        return node
    inner = "".join(_text_in_lines(child) for child in node.children)
    return f"{inner}\n" if node.tag in _LINE_ENDS else inner


# From the preview to the report -------------------------------------------------------------------

_SALT = "meetings.report_import"


def _signed(payload: dict, salt: str) -> str:
    return signing.dumps(payload, salt=salt, compress=True)


def _unsigned(token: str, salt: str, again: str) -> dict:
    """A preview's payload, or ValidationError if it was altered or is too old (`again`: what to do)."""
    try:
        return signing.loads(token, salt=salt, max_age=PREVIEW_SECONDS)
    except signing.BadSignature as error:
        raise ValidationError(f"The preview has expired or could not be read back: {again}.") from error


def default_purposes(filled: ReportFromWord, report: Report | None) -> list[str]:
    """The purposes a preview ticks: the document's, or where it states none, the report's it replaces."""
    if filled.purposes is not None:
        return filled.purposes
    return [purpose for purpose in PURPOSES if report and getattr(report, f"for_{purpose}")]


def preview_token(*, filled: ReportFromWord, item: AgendaItem, user, version: int | None) -> str:
    """The converted report, signed, for the preview's form: tied to the item, the clerk and the
    report's version, so it cannot be altered, used for another item or by someone else."""
    payload = {"item": item.pk, "user": user.pk, "version": version, "report": dataclasses.asdict(filled)}
    return _signed(payload, _SALT)


def from_preview_token(token: str, *, item: AgendaItem, user) -> tuple[ReportFromWord, int | None]:
    """What `preview_token` signed, or ValidationError if it was altered, is too old, or is not this
    clerk's preview of this item."""
    payload = _unsigned(token, _SALT, "upload the document again")
    if payload.get("item") != item.pk or payload.get("user") != user.pk:
        raise ValidationError("That preview is not yours, or not of this item: upload the document again.")
    return ReportFromWord(**payload["report"]), payload.get("version")


@transaction.atomic
def report_fill_from_word(
    *, item: AgendaItem, filled: ReportFromWord, purposes: list[str], version: int | None
) -> Report:
    """Write a converted Word document into the item's report, making the report if the item has
    none, all at once: title, purpose (the ticked `purposes` and any purpose written out), summary,
    recommendations (replacing the report's), action, contact officers (the document's, where it
    names people the portal knows; else the report's stay), body and closing sections (a section
    the document lacks is emptied). Refused with StaleEdit if the report was saved since the
    preview (`version`: the one previewed; None: there was no report), and with ValidationError
    naming what is wrong (no purpose, a title too long)."""
    return _fill_report(item=item, filled=filled, purposes=purposes, version=version)


def _fill_report(
    *, item: AgendaItem, filled: ReportFromWord, purposes: list[str], version: int | None
) -> Report:
    """`report_fill_from_word`'s work, inside the caller's transaction (one report, or a meeting's)."""
    report = Report.objects.select_for_update().filter(item=item).first()
    if (report.version if report else None) != version:
        raise StaleEdit(STALE_MESSAGE.split(":")[0] + ". Upload the document again to see it over theirs.")
    report = report or Report(item=item)
    report.title = filled.title if _title_key(filled.title) != _title_key(item.title) else ""
    for name in (*MARKDOWN_FIELDS, "recommendations_intro"):
        setattr(report, name, getattr(filled, name))
    for purpose in PURPOSES:
        setattr(report, f"for_{purpose}", purpose in purposes)
    report.full_clean(exclude=["item"])
    report.save()
    report.recommendations.all().delete()
    Recommendation.objects.bulk_create(
        Recommendation(report=report, number=number, text=text)
        for number, text in enumerate(filled.recommendations, start=1)
    )
    contacts = [person.pk for person in filled.contacts]
    if contacts:
        report.contacts.all().delete()
        ReportContact.objects.bulk_create(
            ReportContact(report=report, person_id=pk, order=order) for order, pk in enumerate(contacts)
        )
    return report


# What the preview shows ---------------------------------------------------------------------------


class _Rows:
    """`.all()` as the pack's template asks a related manager."""

    def __init__(self, rows: list):
        self.rows = rows

    def all(self) -> list:
        return self.rows


class ReportPreview:
    """The report as it will be once saved, for the pack's own template (`meetings/_report.html`)
    to show before anything is saved. Its annexes are left out: filling from Word does not touch them."""

    def __init__(self, *, item: AgendaItem, filled: ReportFromWord, purposes: list[str]):
        self._report = Report(item=item, **{name: getattr(filled, name) for name in MARKDOWN_FIELDS})
        self._report.title = filled.title if _title_key(filled.title) != _title_key(item.title) else ""
        self._report.recommendations_intro = filled.recommendations_intro
        for purpose in PURPOSES:
            setattr(self._report, f"for_{purpose}", purpose in purposes)
        numbered = enumerate(filled.recommendations, start=1)
        self.recommendations = _Rows([Recommendation(number=n, text=text) for n, text in numbered])
        self.contacts = _Rows([ReportContact(person=person) for person in filled.contacts])
        self.annexes = _Rows([])

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._report, name)


def changes_to_know(report: Report | None, filled: ReportFromWord) -> list[str]:
    """What saving does to what the report has now, beyond showing the document: sections emptied,
    recommendations and contacts replaced or kept, annexes kept."""
    if report is None:
        return ["The item has no report yet: saving makes it."]
    said = [
        f"{FIELD_NAMES[name]} is in the report now but not in the document: saving empties it."
        for name in MARKDOWN_FIELDS
        if getattr(report, name).strip() and not getattr(filled, name).strip()
    ]
    count = report.recommendations.count()
    if count:
        said.append(
            f"The report's {count} recommendation{'s' if count != 1 else ''} will be replaced by the "
            f"document's {len(filled.recommendations) or 'none'}."
        )
    said.append(
        "The contact officers will be those named above."
        if filled.contact_ids
        else "The report's contact officers stay as they are."
    )
    said.append("The report's annexes stay as they are.")
    return said


# Several documents for a meeting ------------------------------------------------------------------
# A bundle of papers for one meeting: each document read as above, matched to the agenda item with
# its title (or made a new item at the end), previewed together and saved together.

MAX_DOCUMENTS = 20
MAX_BUNDLE_BYTES = 30 * 1024 * 1024
NEW_ITEM = "new"  # a document's target when it becomes a new item at the end of the agenda
_BUNDLE_SALT = "meetings.report_import.bundle"


@dataclasses.dataclass
class BundleDocument:
    """One document of a bundle and where it goes: `target`, the item's id, or None for a new item."""

    filled: ReportFromWord
    target: int | None


def read_word_documents(uploads: list) -> list[ReportFromWord]:
    """Each uploaded .docx read as `read_word_document` reads one, in the order given, or one
    ValidationError naming every file that cannot be read (and too many files, or too much in all).
    Saves nothing."""
    if not uploads:
        raise ValidationError("Choose the reports' Word documents (.docx).")
    if len(uploads) > MAX_DOCUMENTS:
        raise ValidationError(
            f"{len(uploads)} files were chosen; at most {MAX_DOCUMENTS} can be read at once: upload the "
            "rest afterwards."
        )
    total = sum(upload.size for upload in uploads)
    if total > MAX_BUNDLE_BYTES:
        raise ValidationError(
            f"The {len(uploads)} files come to {total / 1024 / 1024:.1f} MB; at most "
            f"{MAX_BUNDLE_BYTES // 1024 // 1024} MB can be uploaded at once: upload them in two goes."
        )
    read, problems = [], []
    for upload in uploads:
        try:
            read.append(read_word_document(upload))
        except ValidationError as error:
            problems += error.messages
    if problems:
        raise ValidationError([*problems, "Nothing was read from the other files: upload them again."])
    return read


def _title_key(text: str) -> str:
    """A title as compared: without case, punctuation or numbering ("2. Finance – Q3" = "finance q3")."""
    words = re.sub(r"[^\w\s]", " ", _key(text).replace("’", "").replace("'", "")).split()
    return " ".join(words)


def title_for_new_item(filled: ReportFromWord) -> str:
    """A new item's title: the document's, or its file name's words if it has no title."""
    title = filled.title or re.sub(r"[_-]+", " ", filled.filename.rsplit(".", 1)[0]).strip().capitalize()
    return title[: AgendaItem._meta.get_field("title").max_length]


def matched_targets(items: list[AgendaItem], documents: list[ReportFromWord]) -> list[int | None]:
    """For each document, the item whose title (or whose report's) is the document's, or None."""
    by_title = {}
    for item in items:
        report = getattr(item, "report", None)
        for title in (report.title if report else "", item.title):
            if _title_key(title):
                by_title.setdefault(_title_key(title), item.pk)
    return [by_title.get(_title_key(filled.title)) if filled.title else None for filled in documents]


def target_problems(documents: list[BundleDocument], items: list[AgendaItem]) -> list[str]:
    """What stops the bundle being saved where it is aimed: two documents for one item, or an item
    no longer on the agenda."""
    numbers = {item.pk: item.number for item in items}
    aimed: dict[int, list[str]] = {}
    problems = []
    for document in documents:
        if document.target is None:
            continue
        if document.target not in numbers:
            problems.append(f"“{document.filled.filename}” is aimed at an item no longer on the agenda.")
        aimed.setdefault(document.target, []).append(f"“{document.filled.filename}”")
    for target, names in aimed.items():
        if len(names) > 1 and target in numbers:
            problems.append(
                f"{' and '.join(names)} are both aimed at item {numbers[target]}: an item has one report. "
                "Choose another item, or a new item at the end, for all but one."
            )
    return problems


def bundle_token(*, meeting, documents: list[BundleDocument], user, versions: dict[int, int | None]) -> str:
    """The converted documents, signed, for the preview's form: tied to the meeting, the clerk and the
    version of every report on the agenda as previewed (`versions`: item id → version, None: none)."""
    payload = {
        "meeting": meeting.pk,
        "user": user.pk,
        "versions": {str(pk): version for pk, version in versions.items()},
        "documents": [{"report": dataclasses.asdict(d.filled), "target": d.target} for d in documents],
    }
    return _signed(payload, _BUNDLE_SALT)


def from_bundle_token(token: str, *, meeting, user) -> tuple[list[BundleDocument], dict[int, int | None]]:
    """What `bundle_token` signed, or ValidationError if it was altered, is too old, or is not this
    clerk's preview for this meeting."""
    payload = _unsigned(token, _BUNDLE_SALT, "upload the documents again")
    if payload.get("meeting") != meeting.pk or payload.get("user") != user.pk:
        raise ValidationError(
            "That preview is not yours, or not of this meeting: upload the documents again."
        )
    documents = [BundleDocument(ReportFromWord(**d["report"]), d["target"]) for d in payload["documents"]]
    return documents, {int(pk): version for pk, version in payload["versions"].items()}


@transaction.atomic
def reports_fill_from_word(
    *,
    meeting: Meeting,
    documents: list[BundleDocument],
    purposes: list[list[str]],
    versions: dict[int, int | None],
) -> list[Report]:
    """Save a meeting's bundle all at once: first a new item at the end of the agenda for each document
    aimed at none (numbered on from the last, in the documents' order), then each document into its
    item's report exactly as `report_fill_from_word` does (`purposes`: each document's, confirmed).
    Refused, saving nothing, with ValidationError naming the document or item: two documents for one
    item, an item gone, a report saved by someone else since the preview (StaleEdit), no purpose."""
    Meeting.objects.select_for_update().get(pk=meeting.pk)  # one bundle at a time per agenda
    items = {item.pk: item for item in meeting.items.all()}
    if set(items) != set(versions):
        # Items added or taken away since the preview, the bundle's own among them if this form was
        # sent before: saving again would add its new items twice.
        raise StaleEdit(
            "The agenda has changed since your preview (items were added or taken away), so nothing has "
            "been saved. If you had already saved these documents, they are on the agenda; otherwise "
            "upload them again."
        )
    if problems := target_problems(documents, list(items.values())):
        raise ValidationError(problems)
    _refuse_stale(items, documents, versions)
    last = max((item.number for item in items.values()), default=0)
    targets = []
    for document in documents:
        if document.target is None:
            last += 1
            item = AgendaItem(meeting=meeting, number=last, title=title_for_new_item(document.filled))
            item.full_clean(exclude=["meeting"])
            item.save()
            targets.append((item, None))
        else:
            targets.append((items[document.target], versions.get(document.target)))
    saved = []
    for document, (item, version), chosen in zip(documents, targets, purposes, strict=True):
        try:
            saved.append(_fill_report(item=item, filled=document.filled, purposes=chosen, version=version))
        except ValidationError as error:
            raise ValidationError(
                [f"“{document.filled.filename}”: {said}" for said in error.messages]
            ) from error
    return saved


def _refuse_stale(items: dict[int, AgendaItem], documents: list[BundleDocument], versions: dict) -> None:
    aimed = [document.target for document in documents if document.target is not None]
    now = dict(Report.objects.select_for_update().filter(item__in=aimed).values_list("item_id", "version"))
    stale = [items[pk] for pk in aimed if now.get(pk) != versions.get(pk, -1)]
    if stale:
        named = ", ".join(f"item {item.number} (“{item.title}”)" for item in stale)
        raise StaleEdit(
            f"Someone else saved the report of {named} since your preview, so nothing has been saved. "
            "Upload the documents again to see them over theirs."
        )


@dataclasses.dataclass
class BundleRow:
    """What the bundle's preview shows of one document: where it goes (an item, or a new one at the end
    numbered as it will be), the report it replaces, what saving does, and the report as the pack
    will show it."""

    filled: ReportFromWord
    item: AgendaItem
    new: bool
    report: Report | None
    changes: list[str]
    preview: ReportPreview


def bundle_rows(
    *, meeting: Meeting, items: list[AgendaItem], documents: list[BundleDocument], purposes: list[list[str]]
) -> list[BundleRow]:
    """The preview of each document where it is aimed (`items`: the agenda, with their reports)."""
    by_pk = {item.pk: item for item in items}
    # Read before any preview is made: a preview's unsaved report would take its item's place.
    reports = {item.pk: getattr(item, "report", None) for item in items}
    last = max((item.number for item in items), default=0)
    rows = []
    for document, chosen in zip(documents, purposes, strict=True):
        item = by_pk.get(document.target)
        if item is None:
            last += 1
            item = AgendaItem(meeting=meeting, number=last, title=title_for_new_item(document.filled))
        report = reports.get(item.pk)
        rows.append(
            BundleRow(
                filled=document.filled,
                item=item,
                new=item.pk is None,
                report=report,
                changes=changes_to_know(report, document.filled),
                preview=ReportPreview(item=item, filled=document.filled, purposes=chosen),
            )
        )
    return rows
