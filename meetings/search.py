"""What the meetings app offers the search (lgaboard/search): the papers as the public received them
(each item's page and its annexes, from the latest published revision) and the notes of meetings as
the public read them, a meeting at a time. `search_refresh_meeting` is called wherever either may
change: publication, a revision, unpublishing, the note's approval or correction, the admin's saves."""

from django.core.cache import cache
from pypdf import PdfReader

from lgaboard.markdown import render_markdown
from lgaboard.search import registry
from lgaboard.search.services import search_refresh
from lgaboard.search.text import html_text, page_parts

from .models import FrozenItem, Meeting
from .selectors.minutes import minutes_of
from .selectors.visibility import ANONYMOUS

PDF_TEXT_KEPT = 30 * 24 * 3600  # seconds


def _public(meeting: Meeting) -> Meeting | None:
    """The meeting as it is now, if the public may read it."""
    return (
        Meeting.objects.select_related("board", "board_year")
        .filter(pk=meeting.pk, status=Meeting.Status.PUBLISHED)
        .first()
    )


def _where(meeting: Meeting, *more: str) -> str:
    return ", ".join([meeting.board_name, f"{meeting.date:%-d %B %Y}", *more])


class PapersSource:
    """Each published item's page and its annexes, as frozen in the meeting's latest revision: what the
    public receive, never the live (perhaps since changed) report. A confidential item's page holds
    only its title and why it is withheld, so that is all that is found of it."""

    name = "meetings.papers"
    kinds = {"report": ("Agenda items and reports", "Agenda item"), "annex": ("Annexes", "Annex")}

    def scope_key(self, meeting: Meeting) -> str:
        return f"meeting:{meeting.pk}"

    def scopes(self):
        return Meeting.objects.filter(status=Meeting.Status.PUBLISHED)

    def documents(self, meeting: Meeting):
        meeting = _public(meeting)
        revision = meeting and meeting.revisions.order_by("-number").first()
        if revision is None:
            return
        common = {
            "board": meeting.board.slug,
            "board_name": meeting.board_name,
            "start_year": meeting.board_year.start_year,
            "date": meeting.date,
        }
        items = FrozenItem.objects.filter(revision=revision).prefetch_related("annexes").order_by("number")
        for item in items:
            url = f"{meeting.get_absolute_url()}items/{item.number}/"
            with item.html_file.open("rb") as page:
                parts = page_parts(page.read().decode())
            own, annexes = parts[0], parts[1:]
            yield registry.Document(
                kind="report",
                title=f"{item.number}. {own.title}",
                url=url,
                body=_without_title(own),
                context=_where(meeting, f"item {item.number}"),
                **common,
            )
            for annex in annexes:
                yield registry.Document(
                    kind="annex",
                    title=annex.title,
                    url=f"{url}#{annex.anchor}",
                    body=_without_title(annex),
                    context=_where(meeting, f"item {item.number}: {own.title}"),
                    **common,
                )
            for uploaded in item.annexes.all():
                yield registry.Document(
                    kind="annex",
                    title=f"Annex {uploaded.letter} (PDF)",
                    url=f"{url}annex-{uploaded.letter.lower()}.pdf",
                    body=_pdf_text(uploaded.pdf),
                    context=_where(meeting, f"item {item.number}: {own.title}"),
                    **common,
                )


def _without_title(part) -> str:
    text = part.text
    return text[len(part.title) :].strip() if part.title and text.startswith(part.title) else text


def _pdf_text(stored) -> str:
    """The text of an uploaded PDF, as far as it has any (a scan has none). Kept in the cache under
    the file's name: published files are named by their content, so a name never holds other text."""
    key = f"search:pdf-text:{stored.name}"
    text = cache.get(key)
    if text is None:
        try:
            with stored.open("rb") as file:
                pages = PdfReader(file).pages
                text = " ".join(" ".join((page.extract_text() or "").split()) for page in pages)
        except Exception:  # a damaged file: found by its title alone
            text = ""
        cache.set(key, text, PDF_TEXT_KEPT)
    return text


class MinutesSource:
    """The note of each published meeting as the public read it (its page: what it records of a
    confidential item is left out), an item at a time: discussion, decisions, actions."""

    name = "meetings.minutes"
    kinds = {"minutes": ("Minutes", "Minutes")}

    def scope_key(self, meeting: Meeting) -> str:
        return f"meeting:{meeting.pk}"

    def scopes(self):
        return Meeting.objects.filter(status=Meeting.Status.PUBLISHED, minutes__isnull=False)

    def documents(self, meeting: Meeting):
        meeting = _public(meeting)
        record = meeting and minutes_of(meeting, ANONYMOUS)
        if record is None:
            return
        url = f"{meeting.get_absolute_url()}minutes/"
        state = (
            "Note of the meeting" if record.minutes.is_approved else "Note of the meeting, not yet approved"
        )
        for item, entries in record.items:
            texts = []
            for entry in entries:
                texts += [entry.heading, html_text(render_markdown(entry.narrative))]
                texts += [point.text for point in entry.discussionpoints.all()]
                texts += [f"{d.text} ({d.get_outcome_display()})" for d in entry.decisions.all()]
                texts += [f"{a.text} ({a.owner_label or a.owner or ''})" for a in entry.actions.all()]
            yield registry.Document(
                kind="minutes",
                title=f"{item.number}. {item.title}",
                url=f"{url}#minute-{item.number}",
                body=" ".join(" ".join(text.split()) for text in texts if text),
                context=_where(meeting, state),
                board=meeting.board.slug,
                board_name=meeting.board_name,
                start_year=meeting.board_year.start_year,
                date=meeting.date,
            )


def search_refresh_meeting(meeting: Meeting) -> None:
    """What the search holds of a meeting's papers and note, as the public may read them now."""
    search_refresh(PapersSource.name, meeting)
    search_refresh(MinutesSource.name, meeting)


def search_refresh_minutes(meeting: Meeting) -> None:
    """What the search holds of a meeting's note alone (its papers change only when published)."""
    search_refresh(MinutesSource.name, meeting)


def register() -> None:
    registry.register(PapersSource())
    registry.register(MinutesSource())
