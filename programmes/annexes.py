"""Live annexes: tables generated from the data. A draft meeting's annex is rendered afresh on
every view; publishing the meeting freezes it, with the moment the data was taken.

Meetings knows nothing of them: `LiveAnnexContent` answers its annex-content hook
(meetings/annex_content.py), registered in `ProgrammesConfig.ready()`."""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from meetings.models import Meeting
from mou.models import QUARTERS

from . import selectors
from .models import LiveAnnex


def annex_context(live: LiveAnnex) -> dict:
    """What each kind of annex shows."""
    kind = LiveAnnex.Kind
    if live.kind == kind.OUTPUTS:
        name, months, _ = QUARTERS[live.quarter]
        return {
            "outputs": selectors.quarter_outputs(live.programme, live.start_year, live.quarter),
            "programme": live.programme,
            "quarter_name": name,
            "months": months,
            "start_year": live.start_year,
        }
    if live.kind == kind.MOU_PROGRESS:
        return {
            "progress": selectors.theme_progress(live.theme, live.quarter),
            "mou": live.theme.mou,
            "quarter_name": QUARTERS[live.quarter][0],
            "quarter_end": live.theme.mou.quarter_end(live.quarter),
        }
    if live.kind == kind.PRIORITIES:
        return {
            "priorities": selectors.latest_priorities(live.board_year),
            "board_year": live.board_year,
        }
    return {
        "participation": live.participation,
        "breakdowns": selectors.participation_tables(live.participation),
    }


def render_live(live: LiveAnnex) -> str:
    """The annex's table built from the data as it stands now."""
    context = {"live": live, **annex_context(live)}
    return render_to_string(f"programmes/annexes/{live.kind}.html", context)


def live_annex_html(live: LiveAnnex, published: bool) -> SafeString:
    """A published meeting's frozen copy, or (a draft) the live data; with a line saying which."""
    if published and live.is_frozen:
        body, frozen_at = live.frozen_html, live.frozen_at
    else:
        body, frozen_at = render_live(live), None
    note = render_to_string("programmes/annexes/_data_note.html", {"frozen_at": frozen_at})
    return mark_safe(note + body)  # noqa: S308 - both parts are our own rendered templates


def _annex_names(annexes: list) -> str:
    """ "Annex A to item 4", "Annexes A and B to item 4 and Annex C to item 7"."""
    by_item: dict[int, list[str]] = {}
    for annex in annexes:
        by_item.setdefault(annex.report.item.number, []).append(annex.letter)
    names = [
        f"{'Annexes' if len(letters) > 1 else 'Annex'} {_and(letters)} to item {number}"
        for number, letters in by_item.items()
    ]
    return _and(names)


def _and(words: list[str]) -> str:
    return " and ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else "".join(words)


def figures_taken(items, published: bool) -> list[dict]:
    """When the figures of the generated annexes among `items` (agenda items, their reports and
    annexes loaded) were taken, for a paper to say once: the moment each was frozen (a published
    meeting), or else now, as the paper is rendered. One entry per moment: {"annexes", "at", "frozen"}."""
    now, moments = timezone.now(), {}
    for item in items:
        report = getattr(item, "report", None)
        for annex in report.annexes.all() if report else ():
            live = _live(annex)
            if live is not None:
                frozen = published and live.is_frozen
                moments.setdefault((live.frozen_at if frozen else now, frozen), []).append(annex)
    return [
        {"annexes": _annex_names(annexes), "at": at, "frozen": frozen}
        for (at, frozen), annexes in sorted(moments.items(), key=lambda moment: moment[0][0])
    ]


def freeze_annexes(meeting) -> None:
    """Freeze every live annex of a published meeting not frozen yet."""
    now = timezone.now()
    with transaction.atomic():
        for live in LiveAnnex.objects.filter(
            annex__report__item__meeting=meeting, frozen_at__isnull=True
        ).select_related("programme", "theme__mou", "board_year", "participation"):
            # update(), not save(): a frozen copy is written once, and only here.
            LiveAnnex.objects.filter(pk=live.pk).update(frozen_html=render_live(live), frozen_at=now)


def thaw_annexes(meeting) -> int:
    """A meeting taken back to draft shows live data again (and is frozen afresh when published)."""
    return LiveAnnex.objects.filter(annex__report__item__meeting=meeting, frozen_at__isnull=False).update(
        frozen_html="", frozen_at=None
    )


@transaction.atomic
def live_annex_save(*, live: LiveAnnex) -> LiveAnnex:
    """Save a live annex; added to an already published meeting, it is frozen at once, as the
    meeting's other annexes were at publication."""
    live.save()
    meeting = Meeting.objects.get(pk=live.annex.report.item.meeting_id)  # as it stands, not as loaded
    if meeting.is_published:
        freeze_annexes(meeting)
        live.refresh_from_db(fields=["frozen_html", "frozen_at"])
    return live


def _live(annex) -> LiveAnnex | None:
    """The annex's live annex (loaded with it: `related`), if it has one."""
    return getattr(annex, "live", None) if annex.generated else None


class LiveAnnexContent:
    """Live annexes as the content of meetings' annexes (meetings.annex_content's provider)."""

    related = ("live",)

    def html(self, annex, *, published: bool) -> str | None:
        live = _live(annex)
        return None if live is None else live_annex_html(live, published)

    def fingerprint(self, annex) -> str | None:
        live = getattr(annex, "live", None)
        return None if live is None else live.frozen_html

    def figures_taken(self, items, *, published: bool) -> str:
        moments = figures_taken(items, published)
        if not moments:
            return ""
        return render_to_string("programmes/annexes/_figures_taken.html", {"moments": moments})

    def freeze(self, meeting) -> None:
        freeze_annexes(meeting)

    def thaw(self, meeting) -> None:
        thaw_annexes(meeting)
