"""OParl's lists: a page of objects with `pagination` and `links` (first, prev, next, last), and the
date filters `created_since`, `created_until`, `modified_since` and `modified_until`."""

import datetime
from urllib.parse import urlencode

from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from lgaboard.converters import parse_id

PER_PAGE, MOST_PER_PAGE = 20, 100

# parameter: (the time it filters on, the comparison)
DATE_FILTERS = {
    "created_since": ("api_created", "gte"),
    "created_until": ("api_created", "lte"),
    "modified_since": ("api_modified", "gte"),
    "modified_until": ("api_modified", "lte"),
}


def moment(name: str, text: str) -> datetime.datetime:
    """'2017-11-01T10:00:00+00:00' (or a day, '2017-11-01', from its start) as a time in UTC; a
    time without an offset is the portal's. Anything else is a 400 saying what was expected."""
    text = text.strip().replace(" ", "+")  # a '+' not encoded in the address arrives as a space
    try:
        return _in_utc(text)
    except (ValueError, OverflowError):
        # Not one; well formed, but no such day or time (2017-02-30); or a time at the calendar's
        # edge that is no time in UTC (0001-01-01T00:00:00+14:00): the database is given UTC.
        raise BadRequest(
            f"{name} must be a date and time in ISO 8601, such as 2017-11-01T00:00:00+00:00 (or a day, "
            f"2017-11-01); {text!r} is not one."
        ) from None


def _in_utc(text: str) -> datetime.datetime:
    parsed = parse_datetime(text)
    if parsed is None and (day := parse_date(text)) is not None:
        parsed = datetime.datetime.combine(day, datetime.time.min)
    if parsed is None:
        raise ValueError(text)
    aware = parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
    return aware.astimezone(datetime.UTC)


def date_filter(params: QueryDict, dated: bool) -> Q:
    """The rows the date filters keep. An object whose changes are not recorded (a kind that keeps no
    history, or a row from before it was kept) is kept by every filter: a client keeping a copy in
    step must not miss it."""
    wanted = Q()
    for name, (field, comparison) in DATE_FILTERS.items():
        if name in params:
            when = moment(name, params[name])  # a bad value is a 400 on every list
            if dated:
                wanted &= Q(**{f"{field}__{comparison}": when}) | Q(**{f"{field}__isnull": True})
    return wanted


MOST_DIGITS = 9  # no list has a billion pages; int() refuses thousands of digits (a ValueError)


def _whole_number(params: QueryDict, name: str, default: int, most: int | None = None) -> int:
    text = params.get(name, str(default))
    number = parse_id(text) if len(text) <= MOST_DIGITS else None
    if number is None or number < 1 or (most and number > most):
        bounds = f"from 1 to {most or 10**MOST_DIGITS - 1}"
        shown = text if len(text) <= 20 else f"{text[:20]}…"
        raise BadRequest(f"{name} must be a whole number {bounds}; {shown!r} is not.")
    return number


def page_of(params: QueryDict, queryset: QuerySet, *, url: str, serialize, dated: bool) -> dict:
    """One page of a list, as OParl 1.1 gives it. A page past the last is a 404."""
    limit = _whole_number(params, "limit", PER_PAGE, MOST_PER_PAGE)
    number = _whole_number(params, "page", 1)
    paginator = Paginator(queryset.filter(date_filter(params, dated)), limit)
    if number > paginator.num_pages:
        raise Http404(f"This list has {paginator.num_pages} page(s).")
    page = paginator.page(number)

    def link(to: int) -> str:
        query = params.copy()
        query["page"] = str(to)
        return f"{url}?{urlencode(sorted(query.items()))}"

    links = {"first": link(1), "last": link(paginator.num_pages)}
    if page.has_previous():
        links["prev"] = link(number - 1)
    if page.has_next():
        links["next"] = link(number + 1)
    return {
        "data": [serialize(record) for record in page.object_list],
        "pagination": {
            "totalElements": paginator.count,
            "elementsPerPage": limit,
            "currentPage": number,
            "totalPages": paginator.num_pages,
        },
        "links": links,
    }


def one_page(data: list, *, url: str) -> dict:
    """A list too short to page (the system's one body)."""
    pagination = {"totalElements": len(data), "elementsPerPage": len(data), "currentPage": 1, "totalPages": 1}
    return {"data": data, "pagination": pagination, "links": {"first": url, "last": url}}
