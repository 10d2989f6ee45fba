"""An MoU's deliverables with their progress as rows for its CSV download: each quarter's approved
figure, and the total to date and % achieved as `mou.rules` work them out (through the selectors'
`DeliverableProgress`), never again here."""

from collections.abc import Callable

from lgaboard.csv_export import Cell

from .models import QUARTERS, Rag
from .selectors import DeliverableProgress, ThemeProgress

DELIVERABLE_HEADERS = [
    "Theme",
    "Reference",
    "Short form",
    "Commitment",
    "Target",
    "How the quarters combine",
    *(f"{name} ({months}) figure" for name, months, _ in QUARTERS.values()),
    "Total to date",
    "% achieved",
    "Milestone",
    "Traffic light",
    "Page",
]


def deliverable_rows(themes: list[ThemeProgress], *, absolute: Callable[[str], str]) -> list[list[Cell]]:
    """One row per deliverable, theme by theme (`selectors.mou_progress` for the public: approved
    returns only, so a figure not yet approved is blank and counts towards nothing)."""
    return [_row(theme, progress, absolute) for theme in themes for progress in theme.deliverables]


def _row(theme: ThemeProgress, progress: DeliverableProgress, absolute) -> list[Cell]:
    d = progress.deliverable
    return [
        theme.theme.title,
        d.reference,
        d.short_form,
        d.commitment,
        d.target_label,
        d.get_rule_display(),
        *(_figure(record) for _, record in progress.quarters),
        progress.total,
        progress.percent,
        _milestone(progress),
        Rag(progress.rag).label if progress.rag else "",
        absolute(d.get_absolute_url()),
    ]


def _figure(record) -> Cell:
    """A quarter's figure as returned: 'n/a' where the return says it does not apply, blank where
    there is no approved return or it gives no figure."""
    if record is None:
        return None
    return "n/a" if record.not_applicable else record.figure


def _milestone(progress: DeliverableProgress) -> str:
    """'Done' or 'Not done' for a milestone whose latest return says; blank otherwise."""
    met = progress.latest.milestone_met if progress.latest else None
    if progress.deliverable.rule != progress.deliverable.Rule.MILESTONE or met is None:
        return ""
    return "Done" if met else "Not done"
