"""Live annexes: tables generated from the data. A draft meeting's annex is rendered afresh on
every view; publishing the meeting freezes it, with the moment the data was taken.

Meetings knows nothing of them: `LiveAnnexContent` answers its annex-content hook
(meetings/annex_content.py), registered in `ProgrammesConfig.ready()`."""

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from meetings.models import Meeting
from mou.models import QUARTERS

from . import selectors
from .models import LiveAnnex
from .participation import breakdowns_for


def annex_contexts(lives: list[LiveAnnex]) -> dict[int, dict]:
    """What each annex shows, by live annex pk: read for all of them together, in a fixed number of
    queries for each kind of annex however many annexes there are."""
    contexts: dict[int, dict] = {}
    for kind, read in _READERS.items():
        if of_kind := [live for live in lives if live.kind == kind]:
            contexts.update(read(of_kind))
    return contexts


def _outputs(lives: list[LiveAnnex]) -> dict[int, dict]:
    prefetch_related_objects(lives, "programme")
    outputs = selectors.quarters_outputs({_programme_quarter(live) for live in lives})
    contexts = {}
    for live in lives:
        name, months, _ = QUARTERS[live.quarter]
        contexts[live.pk] = {
            "outputs": outputs[_programme_quarter(live)],
            "programme": live.programme,
            "quarter_name": name,
            "months": months,
            "start_year": live.start_year,
        }
    return contexts


def _programme_quarter(live: LiveAnnex) -> tuple[int, int, int]:
    return live.programme_id, live.start_year, live.quarter


def _mou_progress(lives: list[LiveAnnex]) -> dict[int, dict]:
    progress = selectors.themes_progress({(live.theme_id, live.quarter) for live in lives})
    contexts = {}
    for live in lives:
        theme = progress[(live.theme_id, live.quarter)]
        contexts[live.pk] = {
            "progress": theme,
            "mou": theme.theme.mou,
            "quarter_name": QUARTERS[live.quarter][0],
            "quarter_end": theme.theme.mou.quarter_end(live.quarter),
        }
    return contexts


def _priorities(lives: list[LiveAnnex]) -> dict[int, dict]:
    prefetch_related_objects(lives, "board_year")
    priorities = selectors.years_priorities({live.board_year_id for live in lives})
    return {
        live.pk: {"priorities": priorities[live.board_year_id], "board_year": live.board_year}
        for live in lives
    }


def _participation(lives: list[LiveAnnex]) -> dict[int, dict]:
    records = selectors.participation_records({live.participation_id for live in lives})
    return {
        live.pk: {
            "participation": records[live.participation_id],
            "breakdowns": breakdowns_for(records[live.participation_id]),
        }
        for live in lives
    }


_READERS = {
    LiveAnnex.Kind.OUTPUTS: _outputs,
    LiveAnnex.Kind.MOU_PROGRESS: _mou_progress,
    LiveAnnex.Kind.PRIORITIES: _priorities,
    LiveAnnex.Kind.PARTICIPATION: _participation,
}


def render_live(live: LiveAnnex) -> str:
    """The annex's table built from the data as it stands now."""
    return render_all_live([live])[live.pk]


def render_all_live(lives: list[LiveAnnex]) -> dict[int, str]:
    """Each annex's table built from the data as it stands now, by live annex pk (`annex_contexts`:
    as many queries for ten annexes as for one)."""
    contexts = annex_contexts(lives)
    return {
        live.pk: render_to_string(f"programmes/annexes/{live.kind}.html", {"live": live, **contexts[live.pk]})
        for live in lives
    }


def live_annexes_html(lives: list[LiveAnnex], published: bool) -> dict[int, SafeString]:
    """Each annex's content, by annex pk: a published meeting's frozen copy, or (a draft) the live
    data, the live ones read together; with a line saying which."""
    frozen = {live.pk for live in lives if published and live.is_frozen}
    bodies = render_all_live([live for live in lives if live.pk not in frozen])
    html = {}
    for live in lives:
        body = live.frozen_html if live.pk in frozen else bodies[live.pk]
        note = render_to_string(
            "programmes/annexes/_data_note.html", {"frozen": live.pk in frozen, "frozen_at": live.frozen_at}
        )
        html[live.annex_id] = mark_safe(note + body)  # noqa: S308 - both parts are our own rendered templates
    return html


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
    # A moment not recorded (None: papers entered from print) comes first.
    in_order = sorted(moments.items(), key=lambda moment: (moment[0][0] is not None, moment[0][0] or now))
    return [
        {"annexes": _annex_names(annexes), "at": at, "frozen": frozen} for (at, frozen), annexes in in_order
    ]


def freeze_annexes(meeting, *, at=None) -> None:
    """Freeze every live annex of a published meeting not frozen yet, as at `at` (None: when is
    not recorded: papers entered from print)."""
    with transaction.atomic():
        lives = list(LiveAnnex.objects.filter(annex__report__item__meeting=meeting, frozen=False))
        for pk, html in render_all_live(lives).items():
            # update(), not save(): a frozen copy is written once, and only here.
            LiveAnnex.objects.filter(pk=pk).update(frozen_html=html, frozen=True, frozen_at=at)


def thaw_annexes(meeting) -> int:
    """A meeting taken back to draft shows live data again (and is frozen afresh when published)."""
    return LiveAnnex.objects.filter(annex__report__item__meeting=meeting, frozen=True).update(
        frozen_html="", frozen=False, frozen_at=None
    )


@transaction.atomic
def live_annex_save(*, live: LiveAnnex) -> LiveAnnex:
    """Save a live annex; added to an already published meeting, it is frozen at once, as the
    meeting's other annexes were at publication."""
    live.save()
    meeting = Meeting.objects.get(pk=live.annex.report.item.meeting_id)  # as it stands, not as loaded
    if meeting.is_published:
        freeze_annexes(meeting, at=timezone.now())
        live.refresh_from_db(fields=["frozen_html", "frozen", "frozen_at"])
    return live


def _live(annex) -> LiveAnnex | None:
    """The annex's live annex (loaded with it: `related`), if it has one."""
    return getattr(annex, "live", None) if annex.generated else None


class LiveAnnexContent:
    """Live annexes as the content of meetings' annexes (meetings.annex_content's provider)."""

    related = ("live",)

    def html(self, annexes, *, published: bool) -> dict[int, str]:
        lives = [live for annex in annexes if (live := _live(annex)) is not None]
        return live_annexes_html(lives, published) if lives else {}

    def fingerprint(self, annex) -> str | None:
        live = getattr(annex, "live", None)
        return None if live is None else live.frozen_html

    def figures_taken(self, items, *, published: bool) -> str:
        moments = figures_taken(items, published)
        if not moments:
            return ""
        return render_to_string("programmes/annexes/_figures_taken.html", {"moments": moments})

    def freeze(self, meeting, *, at=None) -> None:
        freeze_annexes(meeting, at=at)

    def thaw(self, meeting) -> None:
        thaw_annexes(meeting)
