"""Malformed addresses are refused with a 404 or a message, never a 500.

The history screens of every admin that keeps a history, then a fuzz over every URL pattern of the
project, as each role, with malformed values in each parameter and in the query strings pages read."""

import datetime
import itertools
import re
from urllib.parse import unquote, urlencode

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from simple_history.admin import SimpleHistoryAdmin

from lgaboard.admin import HistoryAdmin
from lgaboard.permissions import APPROVERS, CLERKS, OFFICERS
from meetings.models import Meeting, Person
from tests.factories import (
    ActionFactory,
    AnnexFactory,
    DeliverableFactory,
    MeetingFactory,
    MembershipFactory,
    MouFactory,
    OutputFactory,
    ParticipationFactory,
    PersonFactory,
    ProgrammeFactory,
    QuarterlyReturnFactory,
    SectorUpdateFactory,
    ThemeFactory,
    WorkstreamFactory,
)

pytestmark = pytest.mark.django_db

HISTORY_MODELS = {
    model._meta.label_lower: model
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, SimpleHistoryAdmin)
}


def history_addresses(model) -> list[str]:
    """A model's history screens with an object id or a version id that names nothing."""
    pk = model.objects.order_by("pk").values_list("pk", flat=True).first() or 1
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}"
    return [
        f"{base}/{pk}/history/abc/",
        f"{base}/{pk}/history/-1/",
        f"{base}/{pk}/history/99999999/",
        f"{base}/{pk}/history/99999999999999999999999/",
        f"{base}/{pk}/history/%C3%BC/",
        f"{base}/abc/history/1/",
        f"{base}/abc/history/",
        f"{base}/99999999999999999999999/history/1/",
    ]


@pytest.fixture
def admin_clients(django_user_model) -> dict[str, Client]:
    """A superuser and a clerk, signed in; a view's exception is answered as a 500, not raised."""
    superuser = django_user_model.objects.create_user("fuzz-super", is_staff=True, is_superuser=True)
    clerk = django_user_model.objects.create_user("fuzz-clerk", is_staff=True)
    clerk.groups.add(Group.objects.get(name=CLERKS))
    clients = {}
    for role, user in (("superuser", superuser), ("clerk", clerk)):
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(user)
    return clients


def test_every_admin_with_a_history_is_built_on_the_shared_base():
    assert {"meetings.meeting", "mou.quarterlyreturn", "programmes.output"} <= set(HISTORY_MODELS)
    assert all(isinstance(admin.site._registry[model], HistoryAdmin) for model in HISTORY_MODELS.values())


def test_a_version_that_exists_is_still_shown(admin_clients, november_meeting):
    version = november_meeting.history.order_by("history_id").first()
    url = f"/admin/meetings/meeting/{november_meeting.pk}/history/{version.history_id}/"
    response = admin_clients["clerk"].get(url)
    assert response.status_code == 200
    assert "1 November 2017" in response.content.decode()


@pytest.mark.parametrize("label", sorted(HISTORY_MODELS))
def test_a_history_id_that_names_nothing_is_a_404(admin_clients, label):
    got = {
        (role, url): client.get(url).status_code
        for role, client in admin_clients.items()
        for url in history_addresses(HISTORY_MODELS[label])
    }
    wrong = [f"{role} {url} -> {status}" for (role, url), status in got.items() if status != 404]
    assert not wrong, "\n".join(wrong)


# -- the fuzz: every URL pattern, a malformed value in each parameter, as each role ------------------
BAD = [
    "2017-02-30",
    "0000-00-00",
    "9999-99-99",
    "٢٠١٧-١١-٠١",  # digits, but not ASCII ones
    "201²-18",  # '²' is a digit to str.isdigit(), not to int()
    "99999999999999999999999",
    "-1",
    "0",
    "abc",
    "ü",
    "%F0%9F%98%80",
    "%00",
    "..",
    "x" * 5000,
]
# Ids in Django's own admin addresses are parsed by Django: fewer values keep the run short.
ADMIN_BAD = ["abc", "99999999999999999999999"]
ADMIN_PARAMS = {"object_id", "id", "arg0", "arg1", "content_type_id", "url", "app_label"}
BAD_QUERY = ["abc", "-1", "0", "99999999999999999999999", "2017-02-30", "ü", "\x00", "x" * 5000]
TABLE_QUERY = ["sort", "page", "per_page"]  # what django-tables2 reads from a list's address
QUERIES = {  # the parameters each page reads from its query string
    "meetings:board_detail": ["board_year", "status", *TABLE_QUERY],
    "meetings:action_list": ["status", "owner", "year", *TABLE_QUERY],
    "mou:quarterly_report": ["as_at"],
    "mou:quarterly_report_pdf": ["as_at"],
    "admin:mou_quarter_entry": ["theme", "show"],
    "sign_in": ["next"],
    "admin:login": ["next"],
}
# An admin list tolerates these (one page to render for them all), and refuses a bad filter with a
# message ("?e=1") or a bad _to_field with a 400.
CHANGELIST_QUERIES = [
    "p=abc&o=abc.-99&q=%00&all=abc&_popup=abc",
    "p=99999999999999999999999",
    "e=1",
    "_to_field=abc",
]
ROLES = ["anonymous", "member", "officer", "approver", "clerk", "superuser"]
PLACEHOLDER = re.compile(r"<(?:\w+:)?(\w+)>")

OVERFLOW = (
    "OverflowError: Python int too large to convert to SQLite INTEGER, from a related-field list filter "
    "(RelatedExact has no range check). Mended for admins built on lgaboard.admin.BoundedChangeListMixin "
    "(every admin, through lgaboard.admin.PortalAdminSite): "
)
EDGES = {  # address: why it was a 500 (each now a message, a redirect or a refusal)
    "/admin/meetings/boardyear/?board__exact=99999999999999999999999": OVERFLOW
    + "meetings.admin.BoardYearAdmin",
    "/admin/mou/theme/?mou__exact=99999999999999999999999": OVERFLOW + "mou.admin.ThemeAdmin",
    "/admin/mou/deliverable/?theme__mou__exact=99999999999999999999999": OVERFLOW
    + "mou.admin.DeliverableAdmin",
    "/admin/mou/deliverable/?theme__exact=99999999999999999999999": OVERFLOW + "mou.admin.DeliverableAdmin",
    "/admin/programmes/priority/?board_year__exact=99999999999999999999999": OVERFLOW
    + "programmes.admin.PriorityAdmin",
    "/admin/programmes/workstream/?programme__exact=99999999999999999999999": OVERFLOW
    + "programmes.admin.WorkstreamAdmin",
    "/admin/programmes/participation/?programme__exact=99999999999999999999999": OVERFLOW
    + "programmes.admin.ParticipationAdmin",
    "/admin/auth/user/?groups__exact=99999999999999999999999": OVERFLOW + "Django's UserAdmin",
    **{
        f"/admin/axes/{model}/?attempt_time__year=9999&attempt_time__month=12&attempt_time__day=31": (
            "OverflowError: date value out of range, in Django's ChangeList.get_filters (the day after "
            "31 December 9999); django-axes' admin gets lgaboard.admin.BoundedChangeListMixin from the site"
        )
        for model in ("accessattempt", "accesslog", "accessfailurelog")
    },
    **{
        f"/admin/otp_totp/totpdevice/{pk}/{view}/": (
            "TOTPDevice.DoesNotExist: django-otp's TOTPDeviceAdmin.config_view and qrcode_view use "
            "TOTPDevice.objects.get(pk=pk); the portal hides those views (OTP_ADMIN_HIDE_SENSITIVE_DATA)"
        )
        for pk in ("0", "99999999999999999999999")
        for view in ("config", "qrcode")
    },
}


def route_of(pattern) -> str:
    """A path() route as written; a re_path() regex as a route with <name> (unnamed groups <arg0>…)."""
    if isinstance(pattern, RoutePattern):
        return str(pattern)
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", str(pattern).removeprefix("^").removesuffix("$"))
    unnamed = itertools.count()
    return re.sub(r"\([^)]*\)", lambda _: f"<arg{next(unnamed)}>", route)


def every_route(patterns=None, prefix="", namespace="", converters=None):
    """(route, view name, its parameters' converters) for every URL pattern, included ones too."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + route_of(entry.pattern)
        known = {**(converters or {}), **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from every_route(entry.url_patterns, route, inner, known)
        else:
            yield route, f"{namespace}{entry.name}" if entry.name else None, known


def values_for(param: str, converter) -> list[str]:
    """The malformed values the parameter's converter lets through to the view, and the first one it
    refuses (a refusal is the resolver's 404, the same for every value refused)."""
    pool = ADMIN_BAD if param in ADMIN_PARAMS else BAD
    if converter is None:
        return pool
    matches = [bool(re.fullmatch(converter.regex, unquote(value))) for value in pool]
    refused = [value for value, match in zip(pool, matches, strict=True) if not match]
    return [value for value, match in zip(pool, matches, strict=True) if match] + refused[:1]


@pytest.fixture
def site(db):
    """A small world of our own (board-year and MoU 2030/31), beside the demo; the valid values."""
    member, officer = PersonFactory(slug="fuzz-member"), PersonFactory(slug="fuzz-officer")
    membership = MembershipFactory(
        person=member, board_year__board__slug="fuzz-board", board_year__start_year=2030
    )
    meeting = MeetingFactory(board_year=membership.board_year, date=datetime.date(2030, 11, 4))
    annex = AnnexFactory(report__item__meeting=meeting, report__item__number=1, letter="A")
    ActionFactory(entry__minutes__meeting=meeting, entry__agenda_item=annex.report.item, owner=member)
    mou = MouFactory(start_year=2030, title="Fuzz MoU", parties="LGA and DCLG")
    theme = ThemeFactory(mou=mou, key="peer", order=1, title="Peer support")
    deliverable = DeliverableFactory(
        theme=theme, reference="1", order=1, commitment="Deliver peer challenges.", lead_officer=officer
    )
    QuarterlyReturnFactory(deliverable=deliverable, quarter=2, figure=3, rag="green")
    SectorUpdateFactory(mou=mou, quarter=2, issued="November 2030")
    programme = ProgrammeFactory(slug="fuzz-programme", name="Fuzz programme", contact_officer=officer)
    workstream = WorkstreamFactory(programme=programme, slug="work", name="Work")
    OutputFactory(workstream=workstream, start_year=2030, quarter=2, delivered="Things", rag="green")
    participation = ParticipationFactory(
        programme=programme, start_year=2030, period="2030/31", as_at="2030-09-30"
    )
    return {
        "board_slug": "fuzz-board",
        "date": "2030-11-04",
        "number": "1",
        "letter": "a",
        "year": "2030-31",
        "quarter": "2",
        "fmt": "csv",
        "theme": "peer",
        "reference": "1",
        "slug": "fuzz-programme",
        "mou_id": str(mou.pk),
        "participation_id": str(participation.pk),
        "dimension": "gender",
        "app_label": "meetings",
        "content_type_id": str(ContentType.objects.get_for_model(Meeting).pk),
        "object_id": str(meeting.pk),
        "url": "meetings/",
        "people": {"member": member, "officer": officer},
    }


def model_of(route: str):
    """The model whose admin a route belongs to, if it does."""
    match = re.match(r"admin/(\w+)/(\w+)/", route)
    try:
        return apps.get_model(*match.groups()) if match else None
    except LookupError:
        return None


def valid_values(route: str, site: dict) -> dict[str, str]:
    """Values that name something, so that the malformed one is what is tested."""
    model = model_of(route)
    first = model.objects.order_by("pk").first() if model else None
    if first is None:
        return site
    pk = str(first.pk)
    versions = getattr(first, "history", None)
    version = str(versions.values_list("history_id", flat=True).first()) if versions else "1"
    return site | {"object_id": pk, "id": pk, "arg0": pk, "arg1": version}


def fill(route: str, values: dict, name: str | None = None, bad: str = "") -> str:
    return "/" + PLACEHOLDER.sub(lambda m: bad if m[1] == name else values.get(m[1], "1"), route)


def changelist_queries(model) -> list[str]:
    """An admin list's own parameters, then each filter with an id too large to be one and a value
    that is not an id, then its date drill-down past the last day there is."""
    model_admin = admin.site._registry[model]
    fields = [field for field in model_admin.list_filter if isinstance(field, str)]
    lookups = ["__exact=99999999999999999999999", "__id__exact=abc"]
    queries = CHANGELIST_QUERIES + [f"{field}{lookup}" for field in fields for lookup in lookups]
    if day := model_admin.date_hierarchy:
        queries += [f"{day}__year=9999&{day}__month=12&{day}__day=31", f"{day}__year=0&{day}__month=99"]
    return queries


def queries_of(route: str, name: str | None) -> list[str]:
    if name and name.endswith("_changelist") and (model := model_of(route)):
        return changelist_queries(model)
    return [urlencode({param: bad}) for param in QUERIES.get(name, []) for bad in BAD_QUERY]


def fuzzed_addresses(site: dict) -> list[str]:
    """Each route with malformed values in each of its parameters in turn (the others valid), and
    each page that reads a query string with each malformed value in each parameter it reads."""
    addresses = []
    for route, name, converters in every_route():
        values = valid_values(route, site)
        params = PLACEHOLDER.findall(route)
        bad_ones = [
            fill(route, values, param, bad)
            for param in params
            for bad in values_for(param, converters.get(param))
        ]
        addresses += bad_ones or [fill(route, values)]
        addresses += [f"{fill(route, values)}?{query}" for query in queries_of(route, name)]
    return [address for address in dict.fromkeys(addresses) if address not in EDGES]


def client_for(role: str, site: dict, django_user_model) -> Client:
    """A client signed in as the role; a view's exception is answered as a 500, not raised."""
    client = Client(raise_request_exception=False)
    if role == "anonymous":
        return client
    user = django_user_model.objects.create_user(
        f"fuzz-{role}", is_staff=role != "member", is_superuser=role == "superuser"
    )
    if group := {"officer": OFFICERS, "approver": APPROVERS, "clerk": CLERKS}.get(role):
        user.groups.add(Group.objects.get(name=group))
    if person := site["people"].get(role):
        Person.objects.filter(pk=person.pk).update(user=user)
    client.force_login(user)
    return client


def test_the_fuzz_reaches_every_kind_of_address(site):
    addresses = fuzzed_addresses(site)
    assert "/mou/2017-02-30/" in addresses  # refused by the year's converter
    assert "/boards/fuzz-board/2017-02-30/" in addresses
    assert "/admin/meetings/meeting/abc/history/" in addresses
    assert any(address.startswith("/mou/2030-31/q2/?as_at=") for address in addresses)
    assert any(address.startswith("/admin/mou/mou/") and "?theme=" in address for address in addresses)
    assert any(address.startswith("/boards/fuzz-board/actions/?per_page=") for address in addresses)


@pytest.mark.parametrize(
    "address", ["/mou/201²-18/", "/mou/201²-18/update/", "/boards/fuzz-board/attendance/201²-18/"]
)
def test_a_year_in_an_address_is_ascii_digits(site, address):
    """'²' is a digit to str.isdigit() but not to int(): the year's converter refuses it (was a 500)."""
    assert Client(raise_request_exception=False).get(address).status_code == 404


def test_a_list_takes_its_page_from_the_address_but_not_its_size(site):
    """django-tables2 read ?per_page= too, and -1 broke its paginator (a 500)."""
    for query in ("per_page=-1", "per_page=0", "page=abc", "page=-1", "page=99999999999999999999999"):
        response = Client().get(f"/boards/fuzz-board/actions/?{query}")
        assert response.status_code == 200, query
        assert "Officers to report back." in response.content.decode(), query


def test_an_admin_list_filter_beyond_what_can_be_stored_is_a_message(admin_clients):
    from django.db import connection

    too_big = "board__exact=99999999999999999999999"  # PostgreSQL finds nothing; SQLite cannot hold it
    for query in (too_big, "date__year=9999&date__month=12&date__day=31"):
        response = admin_clients["clerk"].get(f"/admin/meetings/meeting/?{query}")
        if query == too_big and connection.vendor != "sqlite":
            assert "0 meetings" in response.content.decode(), query
            continue
        assert response.status_code == 302, query
        assert response["Location"] == "/admin/meetings/meeting/?e=1"  # as for any incorrect filter


@pytest.mark.parametrize("role", ROLES)
def test_no_malformed_address_is_a_500(site, role, django_user_model):
    client = client_for(role, site, django_user_model)
    answers = {address: client.get(address).status_code for address in fuzzed_addresses(site)}
    errors = [f"{role} {address[:150]} -> {status}" for address, status in answers.items() if status >= 500]
    assert not errors, f"{len(errors)} of {len(answers)} addresses failed:\n" + "\n".join(errors)


@pytest.mark.parametrize("address", list(EDGES))
def test_the_edges_of_library_admins_and_filters_are_not_500s(site, address, django_user_model):
    """Library admins (auth, django-axes, django-otp) and list filters beyond what can be stored."""
    assert client_for("superuser", site, django_user_model).get(address).status_code < 500


def test_a_nul_character_in_an_address_or_query_is_a_404(site, django_user_model):
    """PostgreSQL cannot compare text holding NUL: refused before any lookup or search."""
    client = client_for("superuser", site, django_user_model)
    for address in ("/mou/2030-31/leads/1%00/", "/admin/meetings/meeting/?q=a%00b", "/boards/?x=%00"):
        assert client.get(address).status_code == 404, address
