"""A meeting published beside the real ones with all the API has to show: an open report with a
contact officer and an uploaded PDF annex, a confidential item with its report, annex and minutes,
a decision with its vote and an action with its progress; and what the API must never give: a draft
meeting and a quarterly return not yet approved."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from weasyprint import HTML

from meetings.models import (
    Action,
    ActionProgress,
    AgendaItem,
    Annex,
    Decision,
    Exemption,
    Meeting,
    Minutes,
    Person,
    Report,
    ReportContact,
)
from meetings.services import meeting_publish
from mou.models import Deliverable, QuarterlyReturn
from tests.factories import MinuteEntryFactory

SECRET = "WITHHELD-7731"  # in every confidential or unpublished text: never in the API
DAY = datetime.date(2018, 3, 14)
DRAFT_DAY = datetime.date(2018, 5, 16)


@pytest.fixture
def api_meeting(november_meeting):
    """The published meeting of 14 March 2018 (see the module's docstring)."""
    year, venue = november_meeting.board_year, november_meeting.venue
    meeting = Meeting.objects.create(board_year=year, date=DAY, venue=venue, start_time=datetime.time(11))
    AgendaItem.objects.create(meeting=meeting, number=1, title="Welcome, apologies and declarations")
    item = AgendaItem.objects.create(meeting=meeting, number=2, title="Sector-led improvement")
    report = Report.objects.create(item=item, for_information=True, for_decision=True, body="An open report.")
    ReportContact.objects.create(report=report, person=Person.objects.get(slug="dennis-skinner"))
    slides = HTML(string="<p>The slides</p>").write_pdf()
    Annex.objects.create(report=report, letter="A", title="Slides", pdf=SimpleUploadedFile("a.pdf", slides))
    closed = AgendaItem.objects.create(
        meeting=meeting,
        number=3,
        title="Commercial negotiations",
        note=f"Note {SECRET}",
        confidential=True,
        exemption=Exemption.FINANCIAL,
        exemption_reason="The financial affairs of a supplier.",
    )
    secret_report = Report.objects.create(
        item=closed, for_decision=True, title=f"Title {SECRET}", body=SECRET
    )
    secret_pdf = HTML(string=f"<p>{SECRET}</p>").write_pdf()
    Annex.objects.create(
        report=secret_report, letter="A", title=SECRET, pdf=SimpleUploadedFile("b.pdf", secret_pdf)
    )
    minutes = Minutes.objects.create(meeting=meeting)
    entry = MinuteEntryFactory(minutes=minutes, agenda_item=item, narrative="Discussed.")
    decision = Decision.objects.create(
        entry=entry, number=1, text="Agreed the approach.", outcome="agreed", votes_for=9, votes_against=2
    )
    action = Action.objects.create(
        entry=entry,
        number=1,
        text="Write to councils about the offer.",
        owner=Person.objects.get(slug="dennis-skinner"),
        due_date=datetime.date(2018, 6, 30),
    )
    ActionProgress.objects.create(action=action, date=datetime.date(2018, 4, 3), text="Letters drafted.")
    closed_entry = MinuteEntryFactory(minutes=minutes, agenda_item=closed, narrative=SECRET)
    Decision.objects.create(entry=closed_entry, number=1, text=f"Decision {SECRET}", outcome="agreed")
    Action.objects.create(entry=closed_entry, number=1, text=f"Action {SECRET}", owner_label="Officers")
    deliverable = Deliverable.objects.get(
        theme__mou__start_year=2017, theme__key="enabling-improvement", reference="1"
    )
    deliverable.reports.add(report, secret_report)
    deliverable.decisions.add(decision)
    deliverable.actions.add(action)
    QuarterlyReturn.objects.create(
        deliverable=deliverable, quarter=3, figure=99, rag="green", narrative=f"Draft {SECRET}"
    )
    draft = Meeting.objects.create(board_year=year, date=DRAFT_DAY, venue=venue)
    AgendaItem.objects.create(meeting=draft, number=1, title=f"Draft item {SECRET}")
    return meeting_publish(meeting=meeting, by=None, tell_people=False)
