"""Real-browser tests: Debian's chromium, driven by Playwright, against a live server with the demo data.

They run in their own pytest session (`pytest tests/browser`, which `make test` runs after the rest),
because the journeys change the data as people would (an officer's Q3 return, a clerk's new meeting)
and those changes must not leak into the other tests. The demo is loaded once and stays loaded for
the session; each journey works on data no other journey touches.

Without chromium (or without axe-core, from `npm ci` in assets/) these tests are skipped, saying why,
unless LGABOARD_BROWSER_TESTS=required (as in CI), when a missing browser is a failure.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

from .support import ARTIFACTS, DESKTOP, Keyboard, PageWatch, Pointer

CHROMIUM = Path(os.environ.get("LGABOARD_CHROMIUM", "/usr/bin/chromium"))
AXE = settings.BASE_DIR / "assets" / "node_modules" / "axe-core" / "axe.min.js"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API keeps an event loop in this thread; the ORM calls the fixtures make here are
# still plain synchronous calls, one at a time.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# How long an action or an expectation may wait for the page. CI's two cores run the browser, the live
# server and PostgreSQL at once, so a page can take seconds; Playwright's own 5 s default for
# expectations made the journeys flaky there. A failing check still fails, just later.
WAIT_MS = 15_000


def _missing() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    if not CHROMIUM.exists():
        return f"no browser at {CHROMIUM} (apt-get install chromium, or set LGABOARD_CHROMIUM)"
    if not AXE.exists():
        return "axe-core is not installed (cd assets && npm ci)"
    return None


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    others = [item.nodeid for item in items if here not in Path(item.path).parents]
    if others:
        raise pytest.UsageError(
            "The browser tests change the demo data as people would, so they run in their own session: "
            "`pytest tests/browser`, apart from the others (`pytest`)."
        )
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("LGABOARD_BROWSER_TESTS") == "required":
        raise pytest.UsageError(f"Browser tests are required here, but {reason}.")
    for item in items:
        item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):
    """The test database, always (pytest-django makes one only for tests that ask for `db`, which
    these do not: they reach the data through the live server), with the demo loaded once."""
    from django.core.management import call_command
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        databases = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        call_command("load_demo", verbosity=0)
    yield
    with django_db_blocker.unblock():
        teardown_databases(databases, verbosity=0)


@pytest.fixture(scope="session")
def portal(django_db_setup, django_db_blocker):
    """A live server on 127.0.0.1 with the demo data and the demo logins, for the whole session."""
    from django.db import connection
    from pytest_django.live_server_helper import LiveServer

    from meetings.management.commands.load_demo import create_demo_users

    name = str(connection.settings_dict["NAME"])
    assert "test" in name or "memory" in name, f"refusing to run the journeys on {name}"
    with django_db_blocker.unblock():
        create_demo_users()
        server = LiveServer("127.0.0.1:0")
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE.read_text()


def _context(browser, portal, viewport, **options):
    return browser.new_context(
        base_url=portal.url, viewport=viewport, locale="en-GB", accept_downloads=True, **options
    )


@pytest.fixture
def new_page(browser, portal, request):
    """Opens pages in fresh browser contexts (no cookies shared), desktop or phone sized. Every page is
    watched: a failed request for the portal's own assets, a script error or a Content Security Policy
    violation fails the test. On failure a screenshot of each page is kept."""
    contexts, watches = [], []

    def open_page(viewport=DESKTOP, **options):
        context = _context(browser, portal, viewport, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        watches.append(PageWatch(page))
        return page

    yield open_page
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for number, watch in enumerate(watches):
        if failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            watch.page.screenshot(path=ARTIFACTS / f"failed-{request.node.name}-{number}.png")
    for context in contexts:
        context.close()
    if not failed:
        for watch in watches:
            watch.assert_clean()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


@pytest.fixture(params=["pointer", "keyboard"])
def drive(request):
    """Each journey runs twice: with the mouse, and with the keyboard alone (Tab, Enter, typing)."""
    return {"pointer": Pointer, "keyboard": Keyboard}[request.param]
