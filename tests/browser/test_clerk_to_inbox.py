"""Issue 19's journey, with the mouse and with the keyboard alone: the clerk makes the next meeting
from the last one, fills three new items' reports from the officers' Word documents in one upload,
moves one item up, adds a PDF annex, publishes through the check list, then replaces a report from
a corrected Word document and publishes the change with a note; a member finds the meeting on their
own front page and in their (locmem) inbox.

Every action (a click, a key press on a button or link, a field filled, a choice of files) and every
screen (a page of a different kind; the same page again is not a new screen) is counted, from
signing in, and the counts are written out for the README ("The clerk's meeting, counted")."""

import io
import json
import re
from urllib.parse import urlparse

import docx
from django.core import mail
from playwright.sync_api import expect

from .support import ARTIFACTS, screenshot
from .test_journeys import sign_in

# The meeting each run makes (a day the demo and the other journeys leave free, in the 2017/18 year
# the demo member sits in), and the address the member is given for the journey (the demo records no
# e-mail addresses: the papers give none).
NEXT_MEETING = {"pointer": "2018-02-21", "keyboard": "2018-03-21"}
LONG_DATE = {"pointer": "Wednesday 21 February 2018", "keyboard": "Wednesday 21 March 2018"}
MEMBER_EMAIL = "judi.billing@example.org"
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
REPORTS = {
    "Cyber security": "Councils are asked to take part in the cyber security stocktake.",
    "Finance update": "The board's spending is on budget at the half year.",
    "Sector-led improvement": "Peer challenges continue to be well received by councils.",
}


def word_report(title: str, summary: str) -> bytes:
    """A report as a clerk writes one in Word, with the sections the papers use."""
    document = docx.Document()
    document.add_heading(title, 0)
    document.add_heading("Purpose of report", 2)
    document.add_paragraph("For information.")
    document.add_heading("Summary", 2)
    document.add_paragraph(summary)
    document.add_heading("Recommendation", 2)
    document.add_paragraph("Members are asked to note the report.")
    document.add_heading("Background", 2)
    document.add_paragraph(f"{summary} More detail follows in the full report.", style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_annex() -> bytes:
    from tests.meetings.test_models import pdf_bytes

    return pdf_bytes(1)


class Counted:
    """The person driving the browser, counted: each action, and each kind of screen they reach."""

    def __init__(self, ui, page):
        self.ui, self.page = ui, page
        self.name = ui.name
        self.actions = 0
        self.pages = 0  # every page loaded, the same kind again included
        self.screens: list[str] = []
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame):
        if frame == self.page.main_frame:
            self.pages += 1
            # A kind of screen: its address with numbers and dates taken out.
            kind = re.sub(r"\d[\d-]*", "N", urlparse(frame.url).path)
            if kind not in self.screens:
                self.screens.append(kind)

    def follow(self, locator):
        self.actions += 1
        self.ui.follow(locator)

    def fill(self, locator, text):
        self.actions += 1
        self.ui.fill(locator, text)

    def choose(self, select, label):
        self.actions += 1
        self.ui.choose(select, label)

    def tick(self, checkbox):
        self.actions += 1
        self.ui.tick(checkbox)

    def upload(self, locator, files: list[tuple[str, bytes]]):
        """Choosing files (one pick, however many): focused like any field by the keyboard user."""
        self.actions += 1
        if self.name == "keyboard":
            self.ui.focus(locator)
        locator.set_input_files(
            files=[
                {"name": name, "mimeType": MIME[name.rsplit(".", 1)[1]], "buffer": data}
                for name, data in files
            ]
        )


def test_the_clerks_next_meeting_reaches_the_members_front_page_and_inbox(new_page, drive, django_db_blocker):
    from meetings.models import Person

    with django_db_blocker.unblock():
        # The demo member has no address (the papers give none) and, as everyone in the demo, has
        # the e-mails about papers off: given one, and turned on, as she would on her account page.
        Person.objects.filter(user__username="member").update(email=MEMBER_EMAIL, papers_by_email=True)
    mail.outbox = []
    date = NEXT_MEETING[drive.name]
    page = new_page()
    page.goto("/")
    ui = Counted(drive(page), page)
    sign_in(page, ui, "clerk", "clerk-demo-2017")

    # The last meeting, and the next one made from it: its arrangements and standing items.
    # Signing in lands on the clerk's own page, with the meetings they look after.
    ui.follow(page.get_by_role("link", name="Improvement and Innovation Board – 1 November 2017", exact=True))
    ui.follow(page.locator(".object-tools").get_by_role("link", name="Make the next meeting…"))
    ui.fill(page.get_by_label("Date"), date)
    ui.follow(page.get_by_role("button", name="Make the next meeting"))
    expect(page.locator(".messagelist .success")).to_contain_text("2 standing items")

    # The three reports from the officers' Word documents, all at once: each becomes a new item
    # after the standing ones (no item has its title yet), previewed, then saved.
    ui.follow(page.locator(".object-tools").get_by_role("link", name="Reports from Word…"))
    ui.upload(
        page.locator("#id_documents"),
        [(f"{title}.docx", word_report(title, summary)) for title, summary in REPORTS.items()],
    )
    ui.follow(page.get_by_role("button", name="Preview the reports"))
    for title in REPORTS:
        expect(page.locator("#content")).to_contain_text(f"{title}")
    screenshot(page, f"journey-5-{ui.name}-word-preview")
    ui.follow(page.get_by_role("button", name="Save the 3 reports"))
    expect(page.locator(".messagelist .success")).to_contain_text("3 reports filled from Word")

    # Finance update moved above Cyber security.
    ui.follow(page.get_by_role("button", name="Move up item 4"))
    expect(page.locator(".messagelist .success")).to_contain_text("Finance update is now item 3.")
    titles = page.locator("#items-group input[id$='-title']:not([id*='__prefix__'])")
    assert titles.evaluate_all("inputs => inputs.map(input => input.value)") == (
        [
            "Welcome, apologies and declarations of interest",
            "Note of the Previous Meeting",
            "Finance update",
            "Cyber security",
            "Sector-led improvement",
        ]
    )
    screenshot(page, f"journey-5-{ui.name}-agenda")

    # A PDF annex on the cyber security report.
    ui.follow(page.get_by_role("link", name="Edit report of item 4"))  # Cyber security
    ui.follow(page.get_by_role("button", name="Add another Annex"))
    ui.fill(page.locator("#id_annexes-0-letter"), "A")
    ui.fill(page.locator("#id_annexes-0-title"), "The stocktake's questions")
    ui.upload(page.locator("#id_annexes-0-pdf"), [("questions.pdf", pdf_annex())])
    ui.follow(page.get_by_role("button", name="Save", exact=True))
    expect(page.locator(".messagelist .success")).to_be_visible()

    # Publish from the meeting's own page, through the check list.
    ui.follow(page.locator(".object-tools").get_by_role("link", name="Publish…"))
    expect(page.locator(".app-checklist")).not_to_contain_text("To put right")
    screenshot(page, f"journey-5-{ui.name}-check-list")
    ui.follow(page.get_by_role("button", name="Publish", exact=True))
    expect(page.locator('[role="status"]')).to_contain_text("is published.", timeout=60_000)

    # A change, published as a revision with the clerk's words.
    ui.follow(page.locator("#content").get_by_role("link", name=re.compile(r"^Back to ")))
    ui.follow(page.locator(".object-tools").get_by_role("link", name="Reports from Word…"))
    changed = word_report("Finance update", "Spending is on budget; the reserve is unchanged.")
    ui.upload(page.locator("#id_documents"), [("Finance update.docx", changed)])
    ui.follow(page.get_by_role("button", name="Preview the reports"))
    expect(page.locator("#content")).to_contain_text("item 3")
    ui.follow(page.get_by_role("button", name="Save the 1 report"))
    expect(page.locator(".messagelist .success")).to_contain_text("filled from Word")
    ui.follow(page.locator(".object-tools").get_by_role("link", name="Publish the changes…"))
    ui.fill(page.get_by_label("What changed and why"), "The finance update gives the reserve.")
    ui.follow(page.get_by_role("button", name="Publish the changes as revision 2"))
    expect(page.locator('[role="status"]')).to_contain_text("published", timeout=60_000)
    clerk = {
        "screens": len(ui.screens),
        "pages": ui.pages,
        "actions": ui.actions,
        "kinds_of_screen": ui.screens,
    }

    # The member: their front page lists it; their inbox has the publication and the revision.
    member_page = new_page()
    member_page.goto("/")
    member = Counted(drive(member_page), member_page)
    sign_in(member_page, member, "member", "member-demo-2017")
    expect(member_page.get_by_role("heading", level=1)).to_have_text("Your papers")
    card = member_page.locator(".app-pack-news").filter(has_text=LONG_DATE[drive.name])
    expect(card).to_contain_text("5 items")
    expect(card).to_contain_text("Not opened yet")
    screenshot(member_page, f"journey-5-{ui.name}-front-page")
    member.follow(card.get_by_role("link", name=f"Improvement and Innovation Board: {LONG_DATE[drive.name]}"))
    expect(member_page.locator("#item-3")).to_contain_text("Spending is on budget; the reserve is unchanged.")
    member.follow(member_page.locator(".app-header__account").get_by_role("link", name="Your papers"))
    expect(member_page.locator(".app-pack-news").filter(has_text=LONG_DATE[drive.name])).to_contain_text(
        "Nothing, since"
    )

    to_member = [message for message in mail.outbox if MEMBER_EMAIL in message.to]
    assert len(to_member) == 2, [message.subject for message in to_member]
    published, revised = to_member
    day = LONG_DATE[drive.name].split(" ", 1)[1]
    assert day in published.subject
    assert day in revised.subject
    assert "The finance update gives the reserve." in revised.body
    assert re.search(r"/boards/improvement-and-innovation-board/\d{4}-\d\d-\d\d/", published.body)

    counts = {
        "clerk": clerk,
        "member": {"screens": len(member.screens), "pages": member.pages, "actions": member.actions},
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"journey-5-{ui.name}-counts.json").write_text(json.dumps(counts, indent=2))
    print(f"journey 5 ({ui.name}): {json.dumps(counts)}")
