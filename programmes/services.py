"""Writes for programmes, each in one transaction, validating everything before saving anything.

(The live annexes' freeze and thaw, done when a meeting is published, are in programmes/annexes.py.)"""

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Dimension, Participation, ParticipationCount
from .participation import Breakdown, BreakdownRow, breakdowns_for, total_mismatches


def breakdown_problems(*, dimension: str, columns: list, rows: list[BreakdownRow]) -> list[str]:
    """What is wrong with the rows themselves, said plainly; [] if nothing is."""
    problems = []
    if dimension not in Dimension.values:
        problems.append(f"There is no breakdown by “{dimension}”.")
    categories = [row.category.strip() for row in rows]
    if any(not category for category in categories):
        problems.append("Every row needs a category.")
    duplicates = sorted({c for c in categories if c and categories.count(c) > 1})
    if duplicates:
        problems.append(f"Each category appears once; repeated: {', '.join(duplicates)}.")
    if any(len(row.counts) != len(columns) for row in rows):
        problems.append("Every row needs one count (or a blank) for each column.")
    if any(count is not None and count < 0 for row in rows for count in row.counts):
        problems.append("A count cannot be negative.")
    return problems


@transaction.atomic
def breakdown_save(*, participation: Participation, dimension: str, rows: list[BreakdownRow]) -> Breakdown:
    """Replace one dimension's counts, all or nothing, after checking its rows and its totals against
    the other dimensions of the same programme and period; a ValidationError names each problem."""
    columns = list(participation.columns.all())
    candidate = Breakdown(dimension, columns, rows)
    errors = breakdown_problems(dimension=dimension, columns=columns, rows=rows)
    if not errors:
        others = [b for b in breakdowns_for(participation) if b.dimension != dimension]
        errors.extend(total_mismatches(candidate, others))
    if errors:
        raise ValidationError(errors)
    participation.counts.filter(dimension=dimension).delete()
    ParticipationCount.objects.bulk_create(
        ParticipationCount(
            participation=participation,
            dimension=dimension,
            order=order,
            category=row.category.strip(),
            column=column,
            count=count,
        )
        for order, row in enumerate(rows, start=1)
        for column, count in zip(columns, row.counts, strict=True)
    )
    return candidate
