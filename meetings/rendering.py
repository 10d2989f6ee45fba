"""The agenda pack and its items as a reader receives them, page and PDF, rendered without a view:
the views serve what these return, and publication stores what they return for the public.

A page rendered with the reader's request has a header saying who is signed in; rendered without
one (at publication), its account part is left for `views.frozen_page` to make for each reader.
"""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from lgaboard import storage

from . import pack_sections, pdf, selectors
from .models import AgendaItem, FrozenItem, Meeting

PACK_TEMPLATE = "meetings/meeting_detail.html"
ITEM_TEMPLATE = "meetings/agendaitem_detail.html"


def render_pack_html(meeting: Meeting, *, reader, request: HttpRequest | None = None) -> str:
    """The agenda pack's page as `reader` may read it."""
    pack = selectors.agenda_pack_for(meeting, reader)
    context = {"pack": pack, "meeting": meeting, "breadcrumbs": breadcrumbs_for(meeting.board, meeting)}
    return _page(PACK_TEMPLATE, context, request)


def render_pack_pdf(meeting: Meeting, *, reader) -> bytes:
    """The agenda pack as one PDF as `reader` may read it: the same document as `pdf.render_pack_pdf`
    lays out in one pass, put together from its parts (`pack_sections`), laying out only the parts
    whose content changed since they were last stored. The parts are kept in the private storage:
    a member's or clerk's copy holds confidential items."""
    return pack_sections.render_pack_pdf_incremental(
        selectors.agenda_pack_for(meeting, reader), pack_sections.StorageCache()
    )


def render_item_html(
    meeting: Meeting, number: int, *, reader, request: HttpRequest | None = None, for_pdf: bool = False
) -> str:
    """One item's page as `reader` may read it; `for_pdf`: the page its PDF is made from."""
    item = selectors.agenda_item_for(meeting, number, reader)
    return item_page(meeting, item, request=request, for_pdf=for_pdf)


def render_item_pdf(meeting: Meeting, number: int, *, reader) -> bytes:
    """One item as a PDF as `reader` may read it, its uploaded PDF annexes merged in."""
    item = selectors.agenda_item_for(meeting, number, reader)
    return pdf.render_item_pdf(item_page(meeting, item, for_pdf=True), pdf.uploaded_annexes([item]))


def render_frozen_item_pdf(frozen: FrozenItem) -> bytes:
    """A published item's PDF, made from the page and the uploaded annexes frozen at publication."""
    return pdf.render_item_pdf(storage.read_text(frozen.pdf_html_file), list(frozen.annexes.all()))


def item_page(meeting: Meeting, item: AgendaItem, *, request=None, for_pdf: bool = False) -> str:
    """An item already read for its reader (`selectors.agenda_item_for`) as its page."""
    context = {
        "meeting": meeting,
        "item": item,
        "breadcrumbs": breadcrumbs_for(meeting.board, meeting, item),
        "pdf_header": [meeting.board_name, f"{meeting.date:%-d %B %Y}", f"Item {item.number}"],
        "pdf": for_pdf,
    }
    return _page(ITEM_TEMPLATE, context, request)


def _page(template: str, context: dict, request: HttpRequest | None) -> str:
    # The pack's pages sit under "Boards" in the navigation, with or without a request to say so.
    return render_to_string(template, {"nav_section": "boards", **context}, request=request)


def breadcrumbs_for(
    board=None, meeting=None, item=None, current: str | None = None
) -> list[tuple[str, str | None]]:
    """Home › Boards › Board › Meeting › Item; the last is the current page, unless `current`
    names a page below them (the note, the register, the actions), which is then added last."""
    crumbs = [("Home", reverse("meetings:home")), ("Boards", reverse("meetings:board_list"))]
    if board:
        crumbs.append((board.name, board.get_absolute_url()))
    if meeting:
        crumbs.append((f"{meeting.date:%-d %B %Y}", meeting.get_absolute_url()))
    if item:
        crumbs.append((f"Item {item.number}", item.get_absolute_url()))
    if current:
        return [*crumbs, (current, None)]
    label, _ = crumbs[-1]
    crumbs[-1] = (label, None)
    return crumbs
