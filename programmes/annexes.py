"""Live annexes: tables generated from the data. A draft meeting's annex is rendered afresh on
every view; publishing the meeting freezes it, with the moment the data was taken."""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

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


def freeze_annexes(meeting) -> None:
    """Freeze every live annex of a published meeting not frozen yet."""
    now = timezone.now()
    with transaction.atomic():
        for live in LiveAnnex.objects.filter(
            annex__report__item__meeting=meeting, frozen_at__isnull=True
        ).select_related("programme", "theme__mou", "board_year", "participation"):
            # update(), not save(): a frozen copy is written once, without signals.
            LiveAnnex.objects.filter(pk=live.pk).update(frozen_html=render_live(live), frozen_at=now)


def thaw_annexes(meeting) -> int:
    """A meeting taken back to draft shows live data again (and is frozen afresh when published)."""
    return LiveAnnex.objects.filter(annex__report__item__meeting=meeting, frozen_at__isnull=False).update(
        frozen_html="", frozen_at=None
    )
