"""The four journeys of issue 9, each done twice: with the mouse, and with the keyboard alone.

Each saves screenshots under test-artifacts/screenshots/ (ignored by git)."""

import re

import pytest
from playwright.sync_api import expect

from .support import DESKTOP, PHONE, no_sideways_scroll, screenshot

BOARD = "/boards/improvement-and-innovation-board"
PACK = f"{BOARD}/2017-11-01/"


def sign_in(page, ui, username, password):
    ui.follow(page.locator(".app-header__account").get_by_role("link", name="Sign in"))
    ui.fill(page.get_by_label("Username"), username)
    ui.fill(page.get_by_label("Password"), password)
    ui.follow(page.get_by_role("button", name="Sign in"))


def test_1_a_member_reads_the_november_pack_and_downloads_it(new_page, drive):
    page = new_page()
    ui = drive(page)
    page.goto("/")
    sign_in(page, ui, "member", "member-demo-2017")
    expect(page.locator(".app-header__signed-in")).to_have_text("Signed in as Judi Billing")
    expect(page).to_have_url("/your-papers/")  # her own front page: her boards' meetings first

    ui.follow(page.get_by_role("link", name="Improvement and Innovation Board: Wednesday 1 November 2017"))
    expect(page).to_have_url(re.compile(re.escape(PACK) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Improvement and Innovation Board")
    screenshot(page, f"journey-1-{ui.name}-pack-desktop")

    contents = page.get_by_role("navigation", name="Contents")
    ui.follow(contents.get_by_role("link", name="6. Sector-led Improvement for Care and Health"))
    expect(page).to_have_url(re.compile("#item-6$"))
    item = page.locator("#item-6")
    expect(item.get_by_role("heading", level=2)).to_be_in_viewport()
    expect(item).to_contain_text("A submission will be made to the Department of Health in late December")

    annex_link = "Annex A: Sector-led Improvement for Care and Health PowerPoint"
    ui.follow(contents.get_by_role("link", name=annex_link))
    expect(page).to_have_url(re.compile("#item-6-a$"))
    annex = page.locator("#item-6-a")
    expect(annex.get_by_role("heading", level=3)).to_be_in_viewport()
    expect(annex).to_contain_text("Care and Health Improvement Programme (CHIP)")
    screenshot(page, f"journey-1-{ui.name}-annex")

    ui.follow(item.get_by_role("link", name="Back to the agenda"))
    expect(page).to_have_url(re.compile("#agenda$"))
    expect(page.locator("#agenda-heading")).to_be_in_viewport()

    # Chromium opens the PDF in its viewer (the portal serves it inline, with its file name).
    with page.expect_response(re.compile(r"/pack\.pdf$")) as received:
        ui.follow(page.get_by_role("link", name="Download the agenda pack (PDF)"))
    pdf = received.value
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert (
        'filename="improvement-and-innovation-board-2017-11-01-agenda-pack.pdf"'
        in (pdf.headers["content-disposition"])
    )
    # What she saves from the viewer: the same address, with her session.
    content = page.request.get(pdf.url).body()
    assert content.startswith(b"%PDF-")
    assert len(content) > 100_000  # the whole pack, not an error page


def test_4_the_public_read_the_register_and_the_mou_report_on_a_phone(new_page, drive):
    page = new_page(viewport=PHONE)
    ui = drive(page)
    page.goto("/")
    ui.follow(page.get_by_role("navigation", name="Main").get_by_role("link", name="Boards"))
    ui.follow(page.get_by_role("link", name="Improvement and Innovation Board"))
    ui.follow(page.get_by_role("link", name="Attendance register 2017/18"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Attendance")
    register = page.locator("table").first
    expect(register.locator("caption")).not_to_be_empty()
    expect(register).to_contain_text("Judi Billing")
    assert no_sideways_scroll(page)
    screenshot(page, f"journey-4-{ui.name}-register-phone")

    ui.follow(page.get_by_role("navigation", name="Main").get_by_role("link", name="MoU"))
    ui.follow(page.get_by_role("link", name=re.compile(r"^MoU 2017\/18")))
    ui.follow(page.get_by_role("link", name="Q2 (Jul–Sep)"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Q2")
    expect(page.locator("main")).to_contain_text("Green")  # the traffic lights are words too
    assert no_sideways_scroll(page)
    screenshot(page, f"journey-4-{ui.name}-quarterly-report-phone")


# Journey 2's test input (not figures from the papers): on a desktop and on a phone, with the mouse and
# with the keyboard alone, three of the deliverables the demo as loaded makes Siobhan Coughlan lead,
# the last typed first with a mistake and then put right.
# (reference, what she types, the message the mistake gets or None, what she types to put it right)
OFFICER_ROWS = {
    ("pointer", "desktop"): [
        ("3", {"figure": "18", "rag": "Green"}, None, None),
        ("7", {"figure": "26", "rag": "Amber"}, None, None),
        ("9", {"figure": "8"}, "Give the traffic light (red, amber or green)", {"rag": "Amber"}),
    ],
    ("keyboard", "desktop"): [
        ("1b", {"figure": "4", "rag": "Green"}, None, None),
        ("6", {"figure": "5", "rag": "Amber"}, None, None),
        # Q2 gave 7,900,000: a cumulative figure may go down only with a correction reason.
        ("4", {"figure": "7000000", "rag": "Green"}, "This is lower than Q2's 7900000",
         {"correction_reason": "Q2's £7.9 million was an estimate; £7 million is now agreed."}),
    ],
    ("pointer", "phone"): [
        ("1a", {"narrative": "Refreshed the ICT category strategy.", "rag": "Green"}, None, None),
        ("14", {"narrative": "Nine more councils joined One Public Estate.", "rag": "Amber"}, None, None),
        ("1", {"figure": "-5", "rag": "Green"}, "A figure cannot be negative.", {"figure": "3200000"}),
    ],
    ("keyboard", "phone"): [
        ("2", {"narrative": "Audit fees for 2018/19 confirmed.", "rag": "Green"}, None, None),
        ("8", {"narrative": "Counter-fraud pilots in three areas.", "rag": "Amber"}, None, None),
        ("11a", {"narrative": "Two digital workshops held."}, "Give the traffic light (red, amber or green)",
         {"rag": "Green"}),
    ],
}  # fmt: skip
# Each field's label on the entry screen; a visually hidden "(3)" names the deliverable it is for.
ENTRY_LABELS = {
    "figure": "Figure for Q3",
    "rag": "Traffic light",
    "narrative": "What have we delivered",
    "correction_reason": "Correction reason",
}


def type_row(ui, field, reference, values):
    for name, value in values.items():
        if name == "rag":
            ui.choose(field(reference, name), value)
        else:
            ui.fill(field(reference, name), value)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_2_an_officer_enters_q3_figures_and_sees_the_report_update(new_page, drive, viewport):
    """With the demo as loaded: the `officer` login enters Q3 for deliverables she leads."""
    width = "phone" if viewport is PHONE else "desktop"
    rows = OFFICER_ROWS[drive.name, width]
    page = new_page(viewport=viewport)
    ui = drive(page)
    page.goto("/")
    sign_in(page, ui, "officer", "officer-demo-2017")
    expect(page.locator(".app-header__signed-in")).to_have_text("Signed in as Siobhan Coughlan")

    ui.follow(page.locator(".app-header__account").get_by_role("link", name="Administration"))
    ui.follow(page.get_by_role("link", name="MoUs", exact=True))
    ui.follow(page.get_by_role("link", name="Q3", exact=True))
    # The screen opens on her theme with the deliverables she leads, each with its words, none disabled.
    title = "MoU 2017/18: Efficiency and productivity, Q3 (Oct–Dec)"
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    show = page.get_by_role("navigation", name="Which deliverables")
    expect(show).to_contain_text("Deliverables I lead (17)")
    cards = page.locator(".qe-card")
    expect(cards).to_have_count(17)
    expect(cards.first).to_contain_text("1 Develop opportunities for local authorities to enter more")
    expect(page.locator("#content :disabled")).to_have_count(0)
    if viewport is PHONE:
        assert no_sideways_scroll(page)
    screenshot(page, f"journey-2-{ui.name}-entry-{width}")

    def field(reference, name):
        return page.get_by_label(f"{ENTRY_LABELS[name]} ({reference})", exact=True)

    for reference, typed, _, _ in rows:
        type_row(ui, field, reference, typed)
    ui.follow(page.get_by_role("button", name="Save the quarter"))

    # GOV.UK's pattern: a summary at the top linking to the field, the message beside it, nothing lost.
    summary = page.locator(".qe-error-summary")
    expect(summary.get_by_role("heading", level=2)).to_have_text("There is a problem")
    expect(summary).to_contain_text("Nothing was saved.")
    expect(summary).to_be_focused()
    screenshot(page, f"journey-2-{ui.name}-error-summary-{width}")
    reference, typed, message, fix = rows[-1]
    # "Deliverable 9, traffic light: Give the traffic light…"
    named = re.compile(f"^Deliverable {re.escape(reference)}, .*{re.escape(message)}")
    link = summary.get_by_role("link", name=named)
    ui.follow(link)
    beside = page.locator(f".qe-card:has(.qe-card__ref:text-is('{reference}')) .qe-error-message")
    expect(beside).to_contain_text(message)
    expect(beside).to_be_in_viewport()
    for name, value in typed.items():
        if name != "rag":
            expect(field(reference, name)).to_have_value(value)
    first_reference, first_typed, _, _ = rows[0]
    first_name = next(iter(first_typed))
    expect(field(first_reference, first_name)).to_have_value(first_typed[first_name])
    if viewport is PHONE:
        assert no_sideways_scroll(page)
    screenshot(page, f"journey-2-{ui.name}-refused-{width}")

    type_row(ui, field, reference, fix)
    ui.follow(page.get_by_role("button", name="Save the quarter"))
    saved = "Efficiency and productivity, Q3: 3 returns saved."
    expect(page.locator(".messagelist .success")).to_have_text(saved)

    # Signed in, she sees the report with her draft returns in it (the public see approved ones only).
    ui.follow(page.get_by_role("link", name="View site"))
    ui.follow(page.get_by_role("navigation", name="Main").get_by_role("link", name="MoU"))
    ui.follow(page.get_by_role("link", name=re.compile(r"^MoU 2017\/18")))
    ui.follow(page.get_by_role("link", name="Q3 (Oct–Dec)"))
    expect(page.locator(".app-header__signed-in")).to_have_text("Signed in as Siobhan Coughlan")
    efficiency = page.locator("table", has=page.locator("caption", has_text="Efficiency and productivity"))
    figures = page.locator("#figures tbody tr")
    for reference, typed, _, fix in rows:
        values = typed | (fix or {})
        if "figure" in values:
            header = page.get_by_role("rowheader", name=re.compile(rf"^{re.escape(reference)} "))  # + words
            row = figures.filter(has=header).filter(has_text="Efficiency and productivity")
            expect(row.locator("td").nth(4)).to_have_text(f"{int(values['figure']):,}")  # theme, target, Q1-3
        theme_row = efficiency.locator("tbody tr").filter(
            has=page.locator("strong", has_text=re.compile(rf"^{re.escape(reference)}\.$"))
        )
        expect(theme_row.locator(".govuk-tag[class*='app-tag--']")).to_have_text(values["rag"])  # not "Draft"
    if viewport is PHONE:
        assert no_sideways_scroll(page)
    screenshot(page, f"journey-2-{ui.name}-quarterly-report-{width}")


# Journey 3's test input: the clerk's new meeting (one per run, on days the demo leaves free).
NEW_MEETING = {
    "pointer": ("2018-03-14", "Wednesday 14 March 2018"),
    "keyboard": ("2018-04-25", "Wednesday 25 April 2018"),
}
SECRET = "The supplier's tender price is held in confidence"


def test_3_a_clerk_publishes_a_meeting_and_the_public_never_see_the_confidential_report(new_page, drive):
    date, long_date = NEW_MEETING[drive.name]
    page = new_page()
    ui = drive(page)
    page.goto("/")
    sign_in(page, ui, "clerk", "clerk-demo-2017")
    ui.follow(page.locator(".app-header__account").get_by_role("link", name="Administration"))
    ui.follow(page.locator('#content-main a[href="/admin/meetings/meeting/add/"]'))

    ui.choose(page.get_by_label("Board year:"), "Improvement and Innovation Board 2017/18")
    ui.fill(page.get_by_label("Date:"), date)
    ui.fill(page.get_by_label("Start time:"), "11:00")
    ui.choose(page.get_by_label("Venue:"), "Westminster Room, 8th Floor, 18 Smith Square, London, SW1P 3HZ")
    for row, title in enumerate(["Finance update", "Contract renewal"]):
        ui.follow(page.get_by_role("button", name="Add another Agenda item"))
        ui.fill(page.locator(f"#id_items-{row}-title"), title)  # numbered by their order
    ui.follow(page.get_by_role("button", name="Save and continue editing"))
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")

    # Item 2 is not for publication: on the item's own page, from its row.
    ui.follow(page.get_by_role("link", name="Edit item 2"))
    ui.tick(page.get_by_role("checkbox", name="Not for publication"))
    ui.choose(
        page.get_by_label("Category of exempt information:"),
        "Paragraph 3: information relating to the financial or business affairs of any particular "
        "person (including the authority holding that information)",
    )
    ui.fill(page.get_by_label("Exemption reason:"), "Commercially sensitive tender prices.")
    ui.follow(page.get_by_role("button", name="Save", exact=True))
    expect(page.locator(".messagelist .success")).to_contain_text("Item 2 (Contract renewal) was changed.")

    reports = {
        "1": ("Finance update", "The board's spending is on budget at the half year."),
        "2": ("Contract renewal", SECRET),
    }
    for number, (title, body) in reports.items():
        ui.follow(page.get_by_role("link", name=f"Add report to item {number}"))
        ui.fill(page.locator("#id_title"), title)
        ui.tick(page.locator("#id_for_information"))
        ui.fill(page.locator("#id_body"), body)
        ui.follow(page.get_by_role("button", name="Save", exact=True))
        expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
        expect(page.get_by_role("link", name=f"Edit report of item {number}")).to_be_visible()

    # Publish from the meeting's own page: the check list, then Publish.
    ui.follow(page.locator(".object-tools").get_by_role("link", name="Publish…"))
    expect(page.locator(".app-checklist")).not_to_contain_text("To put right")
    ui.follow(page.get_by_role("button", name="Publish", exact=True))
    # Publishing runs in the background: the clerk lands on the publication's page, which refreshes
    # itself until a worker has stored every file (here the test settings run the task at once:
    # about 4 s on an idle machine, more on CI's two busy cores).
    expect(page.get_by_role("heading", level=1)).to_contain_text("Publication of Improvement")
    expect(page.locator('[role="status"]')).to_contain_text("is published.", timeout=60_000)
    screenshot(page, f"journey-3-{ui.name}-published")

    public = new_page()
    public.goto("/")
    public_ui = drive(public)
    public_ui.follow(public.get_by_role("link", name=f"Improvement and Innovation Board: {long_date}"))
    expect(public.get_by_role("heading", level=1)).to_have_text("Improvement and Innovation Board")
    expect(public.locator("#item-1")).to_contain_text("The board's spending is on budget at the half year.")
    confidential = public.locator("#item-2")
    expect(confidential.get_by_role("heading", level=2)).to_have_text("2. Contract renewal")
    expect(confidential).to_contain_text("Not for publication")
    expect(confidential).to_contain_text("Commercially sensitive tender prices.")
    expect(public.locator("body")).not_to_contain_text(SECRET)
    screenshot(public, f"journey-3-{ui.name}-public-pack")
    public_ui.follow(confidential.get_by_role("link", name="Item 2 on its own page"))
    expect(public.locator("main")).to_contain_text("Not for publication")
    expect(public.locator("body")).not_to_contain_text(SECRET)
