"""URL converters shared by the apps."""

from datetime import date


class IsoDateConverter:
    """'2017-11-01' <-> date(2017, 11, 1). A date that does not exist (2017-02-30) is a 404."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"  # ASCII digits only

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)  # ValueError → the URL does not match → 404

    def to_url(self, value: date | str) -> str:
        return value if isinstance(value, str) else value.isoformat()


class FinancialYearConverter:
    """'2017-18', as addresses write a financial year (kept as that text for the selectors, which
    check that the years follow on). Only ASCII digits match: anything else is a 404 from the resolver,
    where '201²-18' was a 500 ('²' is a digit to str.isdigit(), not to int())."""

    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


BIGGEST_ID = 2**63 - 1  # the largest id a database can hold: anything beyond is no row, not an error


def parse_id(value: str) -> int | None:
    """An id typed into a form or an address ('12'), or None: only ASCII digits ('²' is a digit to
    str.isdigit(), not to int()), and nothing beyond what a database can hold."""
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if number <= BIGGEST_ID else None
