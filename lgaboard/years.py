"""Years as the papers write them: 2017/18 in text, 2017-18 in addresses."""

from django.http import Http404


def start_year_from_slug(slug: str) -> int:
    """'2017-18' → 2017; anything else (2017-19, 17-18, 2017) is a 404."""
    start, _, end = slug.partition("-")
    if len(start) == 4 and start.isdigit() and end.isdigit() and int(end) == (int(start) + 1) % 100:
        return int(start)
    raise Http404("No such year.")


def start_year_of(day) -> int:
    """The financial year (April to March) a date falls in: 30 January 2018 → 2017 (2017/18)."""
    return day.year if day.month >= 4 else day.year - 1


def year_label(start_year: int) -> str:
    """2017 → '2017/18'."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def year_slug(start_year: int) -> str:
    """2017 → '2017-18', as used in addresses."""
    return year_label(start_year).replace("/", "-")


class FinancialYear:
    """For models with a `start_year` (April to March): '2017/18' for pages, '2017-18' for addresses."""

    start_year: int

    @property
    def label(self) -> str:
        return year_label(self.start_year)

    @property
    def slug(self) -> str:
        return year_slug(self.start_year)
