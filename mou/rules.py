"""How a deliverable's quarterly figures combine into a total, and how a total compares with a target.

One function per number, used by every page, export and report, so a figure cannot differ between
them.
"""

from decimal import ROUND_HALF_UP, Decimal

ADDITIVE = "additive"  # each quarter reports what was delivered in it; the total is the sum
CUMULATIVE = "cumulative"  # each quarter reports the position to date; the total is the latest
MILESTONE = "milestone"  # done or not by a date
NARRATIVE = "narrative"  # no numeric target: judged by narrative and RAG alone


def total_to_date(rule: str, figures: dict[int, Decimal | None]) -> Decimal | None:
    """The total so far from {quarter: figure}; None where nothing is reported.

    Blank and "n/a" quarters are passed in as None and ignored.
    """
    reported = {quarter: figure for quarter, figure in figures.items() if figure is not None}
    if not reported or rule not in (ADDITIVE, CUMULATIVE):
        return None
    if rule == ADDITIVE:
        return sum(reported.values(), Decimal(0))
    return reported[max(reported)]


def percent_achieved(total: Decimal | None, target: Decimal | None) -> int | None:
    """Total against target in whole per cent, rounded half up (41 of 60 is 68%, 1 of 8 is 13%).

    It may exceed 100.
    """
    if total is None or not target:
        return None
    return int((Decimal(total) * 100 / Decimal(target)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


MET, PARTIAL, NOT_MET, NOT_REPORTED = "met", "partial", "not_met", "not_reported"
OUTTURN_LABELS = {
    MET: "Fully met",
    PARTIAL: "Partially met",
    NOT_MET: "Not met",
    NOT_REPORTED: "Not reported",
}


def outturn(*, rule: str, comparator: str, total, target, milestone_met, rag: str) -> str:
    """Whether a deliverable was met at year end.

    Numeric deliverables compare the total with the target: 'at least' and 'exactly' are met when
    the total reaches the target; 'up to' sets a ceiling, so any delivery within it is met.
    Milestones are met or not as recorded. Deliverables without a numeric target follow their
    final traffic light (green met, amber partially met, red not met).
    """
    if rule in (ADDITIVE, CUMULATIVE):
        if total is None:
            return NOT_REPORTED
        if not total:
            return NOT_MET
        if comparator == "up_to" or total >= target:
            return MET
        return PARTIAL
    if rule == MILESTONE:
        return NOT_REPORTED if milestone_met is None else (MET if milestone_met else NOT_MET)
    return {"green": MET, "amber": PARTIAL, "red": NOT_MET}.get(rag, NOT_REPORTED)
