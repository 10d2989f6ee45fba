"""Thin views: find the kind of object, ask its selector, write it as OParl. Every answer is the
public's: the session is never read. A wrong address is a 404 and a bad filter a 400, both JSON."""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import BadRequest
from django.db.models import QuerySet
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_safe

from lgaboard.converters import parse_id

from . import lists, selectors, serializers
from .links import BODY, api, listed


@dataclass(frozen=True)
class Kind:
    """A kind of object the API gives at its own address and in a list of the body's."""

    queryset: Callable[[], QuerySet]
    serialize: Callable
    dated: bool = False  # its rows carry `created` and `modified` (selectors.with_times)


KINDS = {
    "organization": Kind(selectors.organizations, serializers.organization),
    "legislative-term": Kind(selectors.legislative_terms, serializers.legislative_term),
    "person": Kind(selectors.people, serializers.person),
    "membership": Kind(selectors.memberships, serializers.membership, dated=True),
    "meeting": Kind(selectors.meetings, serializers.meeting, dated=True),
    "agenda-item": Kind(selectors.items, serializers.agenda_item, dated=True),
    "paper": Kind(selectors.papers, serializers.paper, dated=True),
    "consultation": Kind(selectors.consultations, serializers.consultation),
    "location": Kind(selectors.locations, serializers.location),
    "deliverable": Kind(selectors.deliverables, serializers.deliverable),
    "decision": Kind(selectors.decisions, serializers.decision, dated=True),
    "action": Kind(selectors.actions, serializers.action, dated=True),
}

# A file's key says what it is: 'pack-12' (meeting 12's pack), 'minutes-12', 'item-40' (agenda item
# 40's PDF), 'annex-7'. The key's number is looked up in the field given.
FILES = {
    "pack": (selectors.pack_files, "pk", serializers.pack_file),
    "minutes": (selectors.minutes_files, "pk", serializers.minutes_file),
    "item": (selectors.item_files, "item_id", serializers.item_file),
    "annex": (selectors.public_annex_files, "pk", serializers.annex_file),
}


def error(status: int, message: str) -> JsonResponse:
    return answer({"error": {"status": status, "message": message}}, status=status)


def answer(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(
        data,
        status=status,
        content_type="application/json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"  # OParl: any web page may read the API
    return response


def api_view(view):
    """A view returning a dict, answered as JSON; Http404 and BadRequest answered as JSON too."""

    @require_safe
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return answer(view(request, *args, **kwargs))
        except Http404 as missing:
            return error(404, str(missing) or "Nothing is at this address.")
        except BadRequest as refused:
            return error(400, str(refused))

    return wrapped


def _id(key: str) -> int:
    pk = parse_id(key)
    if pk is None:
        raise Http404("No such object.")
    return pk


def _one(queryset: QuerySet, **lookup):
    record = queryset.filter(**lookup).first()
    if record is None:
        raise Http404("No such object.")
    return record


def _check_body(body: str) -> None:
    if body != BODY:
        raise Http404("No such body.")


@api_view
def system(request):
    return serializers.system()


@api_view
def body_list(request):
    return lists.one_page([serializers.body(list(selectors.legislative_terms()))], url=api("body_list"))


@api_view
def body(request, body):
    _check_body(body)
    return serializers.body(list(selectors.legislative_terms()))


@api_view
def object_list(request, body, kind):
    _check_body(body)
    if kind not in KINDS:
        raise Http404("No such list.")
    found = KINDS[kind]
    return lists.page_of(
        request.GET, found.queryset(), url=listed(kind), serialize=found.serialize, dated=found.dated
    )


@api_view
def organization_meetings(request, pk):
    board = _one(selectors.boards(), pk=_id(pk))
    meetings = KINDS["meeting"]
    url = api("organization_meetings", pk=board.pk)
    queryset = meetings.queryset().filter(board=board)
    return lists.page_of(request.GET, queryset, url=url, serialize=meetings.serialize, dated=True)


@api_view
def object_detail(request, kind, key):
    if kind == "file":
        return _file(key)
    if kind not in KINDS:
        raise Http404("No such kind of object.")
    found = KINDS[kind]
    return found.serialize(_one(found.queryset(), pk=_id(key)))


def _file(key: str) -> dict:
    what, _, number = key.partition("-")
    if what not in FILES:
        raise Http404("No such file.")
    queryset, field, serialize = FILES[what]
    record = _one(queryset(), **{field: _id(number)})
    if what == "annex" and selectors.published_annex(record) is None:  # not a file the public received
        raise Http404("No such file.")
    return serialize(record)


@api_view
def not_found(request, rest=""):
    raise Http404("Nothing is at this address.")
