"""Public pages kept whole in the cache (lgaboard/public_pages.py): given again to the next member of
the public without a query, and never again once anything they might show has been written."""

import datetime
import hashlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction
from django.http import HttpResponse
from django.template import engines
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from lgaboard import public_pages
from meetings.models import Board, Meeting
from meetings.services import meeting_publish_changes

pytestmark = pytest.mark.django_db

BOARD = "/boards/improvement-and-innovation-board/"
PACK = BOARD + "2017-11-01/"


@pytest.fixture(autouse=True)
def kept(settings):
    """Pages kept for ten minutes in this process's memory (one process: shared enough here)."""
    settings.LGABOARD_PUBLIC_PAGE_CACHE = 600
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()


def queries_of(client: Client, url: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def content(response) -> bytes:
    return response.getvalue() if response.streaming else response.content


@pytest.mark.parametrize("url", [BOARD, "/mou/2017-18/q2/", PACK, PACK + "pack.pdf", PACK + "items/3/"])
def test_the_next_member_of_the_public_receives_the_kept_page_without_a_query(url):
    first_queries, first = queries_of(Client(), url)
    assert first_queries > 0
    again_queries, again = queries_of(Client(), url)
    assert again_queries == 0
    assert content(again) == content(first)
    assert again["Content-Type"] == first["Content-Type"]
    assert again.get("ETag") == first.get("ETag")


def test_a_stored_pdf_is_kept_by_its_name_and_streamed_and_a_reader_holding_it_is_told_304():
    first = Client().get(PACK + "pack.pdf")
    received = first.getvalue()
    kept = public_pages.cache.get(
        public_pages.page_key(RequestFactory().get(PACK + "pack.pdf"), public_pages.generation())
    )
    assert kept.name.startswith("published/")
    assert kept.content_type == "application/pdf"
    again = Client().get(PACK + "pack.pdf")
    assert again.streaming
    assert again.getvalue() == received
    assert "agenda-pack.pdf" in again["Content-Disposition"]
    unchanged = Client().get(PACK + "pack.pdf", HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304
    assert unchanged["ETag"] == first["ETag"]


def test_a_change_committed_anywhere_is_on_the_next_page(django_capture_on_commit_callbacks):
    assert "Improvement and Innovation Board" in Client().get(BOARD).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the test's transaction stands for a commit
        Board.objects.filter(slug="improvement-and-innovation-board").update(
            name="Improvement and Innovation Board (renamed)"
        )
    assert "Innovation Board (renamed)" in Client().get(BOARD).content.decode()


def test_a_published_revision_reaches_the_public_at_once(
    november_meeting, django_capture_on_commit_callbacks
):
    before = Client().get(PACK + "items/3/").content.decode()
    assert "Sector-led improvement, revised" not in before
    item = november_meeting.items.get(number=3)
    with django_capture_on_commit_callbacks(execute=True):
        item.title = "Sector-led improvement, revised"
        item.save()
    # Not published yet: the public still receive the revision they had.
    assert "Sector-led improvement, revised" not in Client().get(PACK + "items/3/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_publish_changes(meeting=Meeting.objects.get(pk=november_meeting.pk))
    assert "Sector-led improvement, revised" in Client().get(PACK + "items/3/").content.decode()


def test_a_write_rolled_back_keeps_the_pages(django_capture_on_commit_callbacks):
    Client().get(BOARD)
    generation = public_pages.generation()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                Board.objects.filter(slug="improvement-and-innovation-board").update(name="Never")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert public_pages.generation() == generation
    assert queries_of(Client(), BOARD)[0] == 0


def test_a_session_saved_leaves_the_pages_and_a_sign_in_counts_once(
    client, django_user_model, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # as if committed: nothing left waiting
        django_user_model.objects.create_user("reader", password="a long enough password")
    generation = public_pages.generation()
    with django_capture_on_commit_callbacks(execute=True):
        session = SessionStore()
        session["seen"] = True
        session.save()
    assert public_pages.generation() == generation
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign-in/", {"username": "reader", "password": "a long enough password"})
    assert "_auth_user_id" in client.session
    # The session and the throttle's log are not counted; the user's last sign-in is, once.
    assert public_pages.generation() == generation + 1


def test_a_signed_in_reader_neither_receives_nor_leaves_a_kept_page(django_user_model):
    member = Client()
    member.force_login(
        django_user_model.objects.create_user("member-cache", is_staff=True, is_superuser=True)
    )
    html = member.get(PACK).content.decode()
    assert "Sign out" in html
    public_queries, public = queries_of(Client(), PACK)
    assert public_queries > 0  # nothing was kept from the clerk's page
    assert "Sign out" not in public.content.decode()
    assert "Sign out" in member.get(PACK).content.decode()  # the public's page is not given back


def test_a_page_holding_a_form_token_is_not_kept():
    factory = RequestFactory()
    for source, kept in (("<p>No form</p>", True), ("<form method=post>{% csrf_token %}</form>", False)):
        template = engines["django"].from_string(source)
        view = public_pages.kept_for_the_public(lambda request: HttpResponse(template.render({}, request)))  # noqa: B023
        request = factory.get("/with-a-form/")
        request.user = AnonymousUser()
        view(request)
        key = public_pages.page_key(factory.get("/with-a-form/"), public_pages.generation())
        assert (public_pages.cache.get(key) is not None) is kept
        public_pages.cache.clear()
    assert (
        public_pages.cache.get(public_pages.page_key(factory.get("/with-a-form/"), public_pages.generation()))
        is None
    )


def test_a_visitor_with_a_session_is_not_given_a_kept_page():
    Client().get(BOARD)
    visitor = Client()
    visitor.cookies["sessionid"] = "whatever"
    assert queries_of(visitor, BOARD)[0] > 0


def test_off_when_the_setting_is_zero(settings):
    settings.LGABOARD_PUBLIC_PAGE_CACHE = 0
    Client().get(BOARD)
    assert queries_of(Client(), BOARD)[0] > 0


def test_the_key_holds_the_day_and_the_release(settings, monkeypatch):
    request = RequestFactory().get(BOARD + "?year=2017-18")
    settings.LGABOARD_RELEASE = "release-7"
    key = public_pages.page_key(request, 41)
    assert key.startswith("public-pages:41:release-7:")
    address = "http://testserver" + BOARD + "?year=2017-18"
    assert key.endswith(":" + hashlib.blake2b(address.encode(), digest_size=20).hexdigest())
    assert key != public_pages.page_key(RequestFactory().get(BOARD), 41)
    monkeypatch.setattr(public_pages.timezone, "localdate", lambda: datetime.date(2017, 11, 2))
    assert "2017-11-02" in public_pages.page_key(request, 41)
    assert public_pages.page_key(request, 41) != key


def test_a_generation_the_cache_lost_is_never_used_again(django_capture_on_commit_callbacks):
    from django.core.cache import cache

    before = public_pages.generation()
    cache.delete(public_pages.GENERATION_KEY)  # evicted, while pages kept under it may remain
    with django_capture_on_commit_callbacks(execute=True):
        Board.objects.filter(slug="improvement-and-innovation-board").update(name="Renamed")
    after = public_pages.generation()
    assert after > before
    assert after > 10**18  # the time in nanoseconds, not a count that could start again at 1


@pytest.mark.parametrize(
    ("sql", "counted"),
    [
        ('INSERT INTO "meetings_board" ("name") VALUES (%s)', True),
        ('  UPDATE "mou_deliverable" SET "target" = %s', True),
        ('DELETE FROM "meetings_annex" WHERE id = %s', True),
        ('INSERT OR IGNORE INTO "mou_deliverable_reports" ("deliverable_id") VALUES (%s)', True),
        ('TRUNCATE "meetings_board", "meetings_meeting"', True),
        ('WITH moved AS (SELECT 1) UPDATE "meetings_board" SET "name" = %s', True),
        ('INSERT INTO "django_session" ("session_key") VALUES (%s)', False),
        ('UPDATE "django_tasks_database_dbtaskresult" SET "status" = %s', False),
        ('INSERT INTO "axes_accessattempt" ("username") VALUES (%s)', False),
        ('SELECT "meetings_board"."id" FROM "meetings_board"', False),
        ("(SELECT 1) UNION (SELECT 2)", False),
        ('SAVEPOINT "s1"', False),
        ('RELEASE SAVEPOINT "s1"', False),
        ("PRAGMA foreign_keys = ON", False),
    ],
)
def test_every_statement_but_a_read_counts_as_a_write(sql, counted):
    assert public_pages.is_counted(sql) is counted


def test_a_paper_linked_to_a_deliverable_is_on_the_next_page(django_capture_on_commit_callbacks):
    from mou.models import Deliverable

    deliverable = Deliverable.objects.filter(theme__mou__start_year=2017).first()
    report = Meeting.objects.get(date="2017-11-01").items.get(number=3).report
    generation = public_pages.generation()
    with django_capture_on_commit_callbacks(execute=True):
        deliverable.reports.add(report)  # many-to-many: SQLite's INSERT OR IGNORE
    assert public_pages.generation() > generation


def test_a_page_with_a_query_is_rendered_each_time():
    Client().get(BOARD + "?year=2017-18")
    assert queries_of(Client(), BOARD + "?year=2017-18")[0] > 0


def test_without_the_cache_pages_are_rendered_and_writes_stand(
    monkeypatch, django_capture_on_commit_callbacks
):
    """(A page with fragments kept in the cache, such as the board page, needs it regardless.)"""
    logged = []
    monkeypatch.setattr(public_pages.logger, "exception", lambda message, *args: logged.append(message))

    def unreachable(*args, **kwargs):
        raise ConnectionError("Redis is down")

    for method in ("get", "set", "add", "incr"):
        monkeypatch.setattr(LocMemCache, method, unreachable)
    item = PACK + "items/3/"
    assert "Priorities and work programme" in Client().get(item).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Board.objects.filter(slug="improvement-and-innovation-board").update(name="Written while down")
    assert Board.objects.get(slug="improvement-and-innovation-board").name == "Written while down"
    assert "Public pages: the cache could not be read" in logged
    assert "Public pages: the cache could not be told of a write" in logged


def test_a_migration_moves_the_generation_on():
    from django.apps import apps
    from django.db.models.signals import post_migrate

    generation = public_pages.generation()
    post_migrate.send(
        sender=apps.get_app_config("lgaboard"),
        app_config=apps.get_app_config("lgaboard"),
        verbosity=0,
        interactive=False,
        using="default",
        apps=apps,
        plan=[],
    )
    assert public_pages.generation() > generation
