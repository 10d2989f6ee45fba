"""Participation tables: counts by dimension with computed totals, and the rule that every
dimension of the same programme and period must add up to the same totals (checked when a breakdown
is saved: programmes/services.py, breakdown_save)."""

from dataclasses import dataclass, field

from .models import Dimension, Participation, ParticipationColumn


@dataclass
class BreakdownRow:
    category: str
    counts: list[int | None]

    @property
    def total(self) -> int:
        return sum(count for count in self.counts if count is not None)


@dataclass
class Breakdown:
    """One table: a dimension's categories down the side, the columns across, totals computed."""

    dimension: str
    columns: list[ParticipationColumn]
    rows: list[BreakdownRow] = field(default_factory=list)

    @property
    def label(self) -> str:
        return Dimension(self.dimension).label

    @property
    def column_totals(self) -> list[int | None]:
        """A column's total, or None where no row gives a count for it (printed 'N/A')."""
        totals = []
        for index in range(len(self.columns)):
            given = [row.counts[index] for row in self.rows if row.counts[index] is not None]
            totals.append(sum(given) if given else None)
        return totals

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


def breakdowns_for(participation: Participation) -> list[Breakdown]:
    """Every dimension's table, in the order of Dimension, from two queries."""
    columns = list(participation.columns.all())
    position = {column.pk: index for index, column in enumerate(columns)}
    tables: dict[str, Breakdown] = {}
    rows: dict[tuple[str, str], BreakdownRow] = {}
    for cell in participation.counts.all():
        table = tables.setdefault(cell.dimension, Breakdown(cell.dimension, columns))
        row = rows.get((cell.dimension, cell.category))
        if row is None:
            row = rows[(cell.dimension, cell.category)] = BreakdownRow(cell.category, [None] * len(columns))
            table.rows.append(row)
        row.counts[position[cell.column_id]] = cell.count
    return [tables[d] for d in Dimension.values if d in tables]


def total_mismatches(candidate: Breakdown, others: list[Breakdown]) -> list[str]:
    """How a breakdown's totals differ from each other dimension's, said plainly; [] if they agree."""
    problems = []
    for other in others:
        if other.dimension == candidate.dimension:
            continue
        differences = [
            f"{column.name} ({column.code}) {mine or 0} against {theirs or 0}"
            for column, mine, theirs in zip(
                candidate.columns, candidate.column_totals, other.column_totals, strict=True
            )
            if (mine or 0) != (theirs or 0)
        ]
        if candidate.total != other.total or differences:
            detail = f": {'; '.join(differences)}" if differences else ""
            problems.append(
                f"By {candidate.label.lower()} the total is {candidate.total}, but by "
                f"{other.label.lower()} it is {other.total}{detail}."
            )
    return problems
