"""axe-core on every main page type, on a desktop and a phone; the skip link; what every page shares
(language, captions and headers on tables, traffic lights in words, no sideways scrolling on a phone,
print without the site's chrome)."""

import pytest
from playwright.sync_api import expect

from .support import DESKTOP, PHONE, no_sideways_scroll, run_axe, screenshot, screenshot_path

BOARD = "/boards/improvement-and-innovation-board"
DAY = f"{BOARD}/2017-11-01"

# The portal's own pages, one of each type, as the public see them.
PUBLIC_PAGES = {
    "home": "/",
    "boards": "/boards/",
    "board": f"{BOARD}/",
    "pack": f"{DAY}/",
    "item": f"{DAY}/items/4/",
    "revision": f"{DAY}/revisions/1/",
    "minutes": f"{BOARD}/2017-07-11/minutes/",
    "attendance register": f"{BOARD}/attendance/2017-18/",
    "actions": f"{BOARD}/actions/",
    "mou list": "/mou/",
    "mou": "/mou/2017-18/",
    "deliverable": "/mou/2017-18/efficiency-and-productivity/3/",
    "quarterly report": "/mou/2017-18/q2/",
    "quarterly report as at a date": "/mou/2017-18/q2/?as_at=2017-10-15",
    "outturn": "/mou/2017-18/outturn/",
    "programmes": "/programmes/",
    "programme": "/programmes/productivity/",
    "programme with participation": "/programmes/highlighting-leadership/",
    "sector-led improvement update": "/mou/2017-18/update/",
    "sign in": "/sign-in/",
    "forgotten password": "/sign-in/forgotten-password/",
    "reset link sent": "/sign-in/forgotten-password/sent/",
    "reset link expired": "/sign-in/reset/MQ/not-a-token/",
    "not found": "/boards/no-such-board/",
    "e-mails about a board's papers": f"{BOARD}/alerts/",
    "search": "/search/",
    "search results": "/search/?q=peer+challenges",
    "search results, page 2": "/search/?q=council&page=2",
    "search with a filter not offered": "/search/?q=cyber&kind=secret",
    "search with no results": "/search/?q=quokkaberry&kind=minutes",
}
# The admin pages the journeys use (Django's admin, with the portal's own screens and fixes).
ADMIN_PAGES = {
    "admin home": ("clerk", "/admin/"),
    "quarter entry": ("approver", "/admin/mou/mou/{mou}/quarter/3/?theme=efficiency-and-productivity"),
    "new meeting": ("clerk", "/admin/meetings/meeting/add/"),
    "meetings list": ("clerk", "/admin/meetings/meeting/"),
    "agenda item": ("clerk", "/admin/meetings/agendaitem/{item}/change/"),
    "publishing a draft": ("clerk", "/admin/meetings/meeting/{draft}/publish/"),
    "publishing the changes": ("clerk", "/admin/meetings/meeting/{meeting}/publish/"),
    "making the next meeting": ("clerk", "/admin/meetings/meeting/{meeting}/next/"),
    "who was e-mailed": ("clerk", "/admin/meetings/meeting/{meeting}/emails/"),
    "the agenda in one place": ("clerk", "/admin/meetings/meeting/{meeting}/change/"),
}


@pytest.fixture(scope="module")
def signed_in(browser, portal, tmp_path_factory):
    """A demo login's cookies (clerk, approver…), made once per module."""
    states = {}

    def state_of(username):
        if username not in states:
            context = browser.new_context(base_url=portal.url)
            page = context.new_page()
            page.goto("/sign-in/")
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill(f"{username}-demo-2017")
            page.get_by_role("button", name="Sign in").click()
            expect(page.locator(".app-header__signed-in")).to_be_visible()
            states[username] = tmp_path_factory.mktemp(username) / "state.json"
            context.storage_state(path=states[username])
            context.close()
        return states[username]

    return state_of


def shares_what_every_page_must(page, name):
    """Language, tables with captions and header cells, traffic lights in words."""
    assert page.evaluate("document.documentElement.lang") == "en-GB"
    tables = page.evaluate(
        """() => [...document.querySelectorAll('main table')].map(t => ({
             named: Boolean(t.caption && t.caption.textContent.trim()),
             headers: t.querySelectorAll('th').length,
           }))"""
    )
    assert all(table["named"] and table["headers"] for table in tables), (name, tables)
    rag_tags = page.locator("[class*='app-tag--']")
    for text in rag_tags.all_inner_texts():
        assert text.strip() in {"Red", "Amber", "Green"}, text


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_the_portals_pages_have_no_axe_violations(new_page, axe_source, name, viewport):
    """Not one violation of any impact, on the WCAG 2.2 A and AA rules and axe's best practices."""
    page = new_page(viewport=viewport)
    response = page.goto(PUBLIC_PAGES[name])
    assert response.status == (404 if name == "not found" else 200)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert run_axe(page, axe_source) == [], name
    shares_what_every_page_must(page, name)
    if viewport is PHONE:
        assert no_sideways_scroll(page)


def test_a_sign_in_with_errors_has_no_axe_violations(new_page, axe_source):
    page = new_page()
    page.goto("/sign-in/")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("This field is required.")
    assert run_axe(page, axe_source) == []


def test_a_signed_in_members_pack_has_no_axe_violations(new_page, axe_source, signed_in):
    page = new_page(storage_state=signed_in("member"))
    page.goto(f"{DAY}/")
    expect(page.locator(".app-header__signed-in")).to_have_text("Signed in as Judi Billing")
    assert run_axe(page, axe_source) == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_setting_up_two_factor_sign_in_has_no_axe_violations(new_page, axe_source, signed_in, viewport):
    """The set-up page (QR code, key, code field), and the same with a wrong code's error."""
    page = new_page(storage_state=signed_in("member"), viewport=viewport)
    page.goto("/account/two-factor/")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert run_axe(page, axe_source) == []
    page.get_by_label("Code from your app").fill("123")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("That code is not right.")
    assert run_axe(page, axe_source) == []
    if viewport is PHONE:
        assert no_sideways_scroll(page)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_your_account_has_no_axe_violations(new_page, axe_source, signed_in, viewport):
    """A member's account page (name, e-mail, the e-mails about papers), and after saving it."""
    page = new_page(storage_state=signed_in("member"), viewport=viewport)
    page.goto("/")
    page.locator(".app-header__account").get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    assert run_axe(page, axe_source) == []
    page.get_by_role("button", name="Save your choice").click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    assert run_axe(page, axe_source) == []
    if viewport is PHONE:
        assert no_sideways_scroll(page)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("username", ["member", "clerk"])
def test_your_papers_has_no_axe_violations(new_page, axe_source, signed_in, username, viewport):
    """The front page signing in lands on: a member's meetings and actions, a clerk's meetings."""
    page = new_page(storage_state=signed_in(username), viewport=viewport)
    page.goto("/")
    page.locator(".app-header__account").get_by_role("link", name="Your papers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your papers")
    expect(page.locator("main")).to_contain_text("1 November 2017")
    assert run_axe(page, axe_source) == []
    if viewport is PHONE:
        assert no_sideways_scroll(page)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_asking_for_emails_about_papers_has_no_axe_violations(new_page, axe_source, viewport):
    """The form with its error, then the page that says a message was sent."""
    page = new_page(viewport=viewport)
    page.goto(f"{BOARD}/alerts/")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your e-mail address")
    assert run_axe(page, axe_source) == []
    page.get_by_label("Your e-mail address").fill("resident@example.org")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    assert run_axe(page, axe_source) == []
    if viewport is PHONE:
        assert no_sideways_scroll(page)


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_the_admin_pages_of_the_journeys_have_no_serious_or_critical_violations(
    new_page, axe_source, signed_in, name
):
    from meetings.models import AgendaItem, Meeting
    from mou.models import Mou

    username, url = ADMIN_PAGES[name]
    november = AgendaItem.objects.get(meeting__date="2017-11-01", number=4)
    url = url.format(
        mou=Mou.objects.get(start_year=2017).pk,
        item=november.pk,
        meeting=november.meeting_id,
        draft=Meeting.objects.get(date="2018-01-30").pk,
    )
    page = new_page(storage_state=signed_in(username))
    assert page.goto(url).status == 200
    serious = [v for v in run_axe(page, axe_source) if v["impact"] in ("serious", "critical")]
    assert serious == [], name


def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(new_page):
    page = new_page()
    page.goto(f"{DAY}/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # hidden until focused
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # The next stop is inside the content, past the header, navigation and breadcrumbs.
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_the_quarterly_reports_chart_has_its_figures_in_text(new_page):
    phone = new_page(viewport=PHONE)
    phone.goto("/mou/2017-18/q2/")
    expect(phone.locator(".app-chart")).to_be_hidden()  # too small to read: the table says it all
    expect(phone.get_by_role("table", name="Deliverables by traffic light and theme")).to_be_visible()
    page = new_page()
    page.goto("/mou/2017-18/q2/")
    chart = page.get_by_role("img", name="Traffic lights by theme, Q2 2017/18")
    expect(chart).to_be_visible()
    assert "the table below gives the same numbers" in chart.locator("desc").text_content()
    table = page.get_by_role("table", name="Deliverables by traffic light and theme")
    expect(table.get_by_role("row", name="Efficiency and productivity 6 4 0 24")).to_be_visible()


def test_print_leaves_out_the_sites_chrome(new_page):
    page = new_page()
    page.goto(f"{DAY}/")
    page.emulate_media(media="print")
    site_chrome = [".govuk-service-navigation", ".govuk-footer", ".govuk-breadcrumbs", ".app-header__account"]
    for chrome in site_chrome:
        expect(page.locator(chrome).first).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, "print-pack")


PAPERS = {
    "pack": (f"{DAY}/", "Improvement and Innovation Board"),
    "register": (f"{BOARD}/attendance/2017-18/", "Attendance register 2017/18"),
    "quarterly-report": ("/mou/2017-18/q2/", "Progress report: Q2 (Jul–Sep)"),
}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("paper", PAPERS)
def test_the_main_papers_on_a_desktop_and_a_phone(new_page, paper, viewport):
    """Screenshots to look at (test-artifacts/screenshots/), of pages that pass these checks: one
    heading, body text at least 16px, nothing wider than the screen."""
    url, heading = PAPERS[paper]
    page = new_page(viewport=viewport)
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    body_size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)")
    assert body_size >= 16
    assert no_sideways_scroll(page)
    size = "phone" if viewport is PHONE else "desktop"
    screenshot(page, f"{paper}-{size}")
    if paper == "quarterly-report":
        # The summary (chart and table) as a picture of its own: the whole report is too long for one.
        summary = page.locator("#summary")
        summary.scroll_into_view_if_needed()
        summary.screenshot(path=screenshot_path(f"{paper}-summary-{size}"))
