"""A meeting's reports from the officers' Word documents, several at once: each goes to the agenda
item with its title, or becomes a new item at the end; the clerk sees where each goes and each report
as the pack will show it, may aim any elsewhere, and saves them all or none."""

import re

import docx
import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from meetings import report_import
from meetings.models import AgendaItem, Report
from tests import factories
from tests.meetings.test_report_import import docx_upload, empty_document, html, lga_paper, saved, text

pytestmark = pytest.mark.django_db


def upload_url(meeting) -> str:
    return f"/admin/meetings/meeting/{meeting.pk}/reports-from-word/"


def save_url(meeting) -> str:
    return f"/admin/meetings/meeting/{meeting.pk}/reports-from-word/save/"


def short_paper(title: str, summary: str, purpose: str = "For information.") -> bytes:
    document = docx.Document()
    document.add_heading(title, 0)
    document.add_heading("Purpose of report", 2)
    document.add_paragraph(purpose)
    document.add_heading("Summary", 2)
    document.add_paragraph(summary)
    document.add_heading("Background", 2)
    document.add_paragraph(f"The background to {title.lower()}.")
    return saved(document)


@pytest.fixture
def meeting():
    """A published meeting (served live: no stored revision) with three items, one with a report."""
    meeting = factories.MeetingFactory()
    factories.AgendaItemFactory(meeting=meeting, number=1, title="Welcome, apologies and declarations")
    factories.AgendaItemFactory(meeting=meeting, number=2, title="Priorities and work programme")
    factories.ReportFactory(
        item__meeting=meeting, item__number=3, item__title="Finance update", summary="Last quarter's."
    )
    return meeting


def bundle():
    """Three papers: one for item 2, one for item 3 in other capitals and punctuation, one new."""
    return [
        docx_upload(lga_paper(), "priorities.docx"),
        docx_upload(short_paper("FINANCE UPDATE!", "Spending is on budget."), "finance.docx"),
        docx_upload(short_paper("Sector-led improvement", "Peer challenges this year."), "sli.docx"),
    ]


def preview(client, meeting, files=None):
    return client.post(upload_url(meeting), {"documents": files or bundle()})


def token_of(response) -> str:
    return re.search(r'name="preview" value="([^"]+)"', response.content.decode()).group(1)


def items_of(meeting) -> dict[str, AgendaItem]:
    return {item.title: item for item in meeting.items.all()}


def save_form(response, meeting, targets: list, purposes=None) -> dict:
    """The preview's form as the clerk sends it: each document's target (an item's title, or "new")."""
    items = items_of(meeting)
    form = {"preview": token_of(response)}
    for n, target in enumerate(targets):
        form[f"doc{n}-target"] = "new" if target == "new" else str(items[target].pk)
        form[f"doc{n}-purposes"] = (purposes or {}).get(n, ["discussion"])
    return form


AS_MATCHED = ["Priorities and work programme", "Finance update", "new"]


# The preview --------------------------------------------------------------------------------------


def test_the_preview_says_where_each_document_goes_and_saves_nothing(staff_client, meeting):
    response = preview(staff_client, meeting)
    page, markup = text(response), html(response)
    assert "Nothing is saved yet. 3 documents and where they go" in page
    assert "“priorities.docx” → item 2: Priorities and work programme" in page
    assert "“finance.docx” → item 3: Finance update" in page  # whatever its capitals and punctuation
    assert "“sli.docx” → a new item 4: Sector-led improvement" in page
    assert "Item 2 has no report yet: saving makes it." in page
    assert "Saving replaces item 3’s report." in page
    assert "The report's contact officers stay as they are." in page  # what saving does to item 3's
    assert "A new item 4, “Sector-led improvement”, is added at the end of the agenda" in page
    assert "Purpose found: for discussion and direction." in page
    assert "Purpose found: for information." in page
    # Each report as the pack shows it, folded away; and what could not be converted, per document.
    assert markup.count('<details class="app-word-bundle__details">') == 3
    assert "This report invites members to agree the <strong>Board priorities</strong> for 2017/18." in markup
    assert "Spending is on budget." in page
    assert "A picture (“Chart of peer challenges by region”) in “Board priorities” was left out" in page
    assert page.count("Everything in the document was converted.") == 2
    # The targets to choose from, and the purposes ticked as each document states them.
    assert '<option value="new" selected>A new item at the end</option>' in markup
    assert (
        f'<option value="{items_of(meeting)["Finance update"].pk}" selected>Item 3: Finance update' in markup
    )
    assert 'name="doc0-purposes" value="direction"' in markup
    assert 'value="Save the 3 reports"' in markup
    assert meeting.items.count() == 3
    assert Report.objects.filter(item__meeting=meeting).count() == 1
    assert Report.objects.get(item__number=3, item__meeting=meeting).summary == "Last quarter's."


def test_a_document_is_matched_to_an_items_report_by_the_reports_title(staff_client, meeting):
    factories.ReportFactory(
        item__meeting=meeting, item__number=4, item__title="SLI", title="Sector-led improvement"
    )
    assert "“sli.docx” → item 4: SLI" in text(preview(staff_client, meeting))


# The save -----------------------------------------------------------------------------------------


def test_saving_fills_all_three_and_adds_the_new_item_at_the_end(staff_client, meeting, client):
    form = save_form(preview(staff_client, meeting), meeting, AS_MATCHED, {1: ["information"]})
    response = staff_client.post(save_url(meeting), form)
    assert response["Location"] == f"/admin/meetings/meeting/{meeting.pk}/change/#items-group"
    said = text(staff_client.get(response["Location"]))
    assert "3 reports filled from Word: items 2, 3 and 4 (item 4 is new)." in said
    items = items_of(meeting)
    assert [item.number for item in items.values()] == [1, 2, 3, 4]
    assert items["Sector-led improvement"].number == 4
    priorities = items["Priorities and work programme"].report
    assert [r.text for r in priorities.recommendations.all()] == [
        "Agree the Board priorities for 2017/18;",
        "Note progress of delivery to date.",
    ]
    finance = Report.objects.get(item=items["Finance update"])
    assert (finance.summary, finance.version, finance.for_information) == ("Spending is on budget.", 2, True)
    assert finance.title == ""  # the item's own title, in other capitals
    assert items["Sector-led improvement"].report.summary == "Peer challenges this year."

    pack = Client().get(meeting.get_absolute_url())
    page = text(pack)
    assert "This report invites members to agree the Board priorities for 2017/18." in page
    assert "Spending is on budget." in page
    assert "Last quarter's." not in page
    assert "Sector-led improvement" in page
    assert "Peer challenges this year." in page


def test_the_same_preview_sent_twice_adds_its_new_item_once(staff_client, meeting):
    """A double click, or Back and Save again: the second save finds the agenda changed since."""
    form = save_form(preview(staff_client, meeting), meeting, AS_MATCHED, {1: ["information"]})
    staff_client.post(save_url(meeting), form)
    again = staff_client.post(save_url(meeting), form)
    assert "The agenda has changed since your preview" in text(again)
    assert [item.title for item in items_of(meeting).values()].count("Sector-led improvement") == 1


def test_the_clerk_changes_where_a_document_goes(staff_client, meeting):
    response = preview(staff_client, meeting)
    targets = ["Priorities and work programme", "Finance update", "Welcome, apologies and declarations"]
    checked = staff_client.post(save_url(meeting), {**save_form(response, meeting, targets), "again": "1"})
    assert "“sli.docx” → item 1: Welcome, apologies and declarations" in text(checked)
    assert meeting.items.count() == 3  # checking again saves nothing
    staff_client.post(save_url(meeting), save_form(response, meeting, targets))
    assert meeting.items.count() == 3
    assert (
        items_of(meeting)["Welcome, apologies and declarations"].report.summary
        == "Peer challenges this year."
    )
    assert Report.objects.get(item__meeting=meeting, item__number=3).summary == "Spending is on budget."


def test_two_documents_for_one_item_are_refused(staff_client, meeting):
    response = preview(staff_client, meeting)
    targets = ["Priorities and work programme", "Finance update", "Finance update"]
    refused = text(staff_client.post(save_url(meeting), save_form(response, meeting, targets)))
    assert (
        "There is a problem “finance.docx” and “sli.docx” are both aimed at item 3: an item has one report."
        in refused
    )
    assert meeting.items.count() == 3
    assert Report.objects.get(item__meeting=meeting, item__number=3).summary == "Last quarter's."
    # Two documents with one title are said to clash as soon as they are previewed.
    twice = [docx_upload(lga_paper(), "a.docx"), docx_upload(lga_paper(), "b.docx")]
    assert "“a.docx” and “b.docx” are both aimed at item 2" in text(preview(staff_client, meeting, twice))


# Bad files ----------------------------------------------------------------------------------------


def test_a_bad_file_among_good_ones_refuses_them_all_naming_it(staff_client, meeting):
    files = [*bundle(), docx_upload(b"\xd0\xcf\x11\xe0 an old Word file", "minutes.doc")]
    files.append(docx_upload(empty_document(), "empty.docx"))
    response = preview(staff_client, meeting, files)
    page = text(response)
    assert "There is a problem “minutes.doc” is not a Word document (.docx)." in page
    assert "“empty.docx” has no text to fill the report with." in page
    assert 'aria-invalid="true"' in response.content.decode()
    assert "Save the" not in page
    assert meeting.items.count() == 3


def test_no_files_too_many_or_too_much_are_refused(staff_client, meeting):
    assert "Choose the reports' Word documents (.docx)." in text(staff_client.post(upload_url(meeting), {}))
    many = [docx_upload(short_paper(f"Paper {n}", "Text."), f"paper-{n}.docx") for n in range(21)]
    assert "21 files were chosen; at most 20 can be read at once" in text(
        preview(staff_client, meeting, many)
    )
    big = [docx_upload(b"PK" + b"\0" * (9 * 1024 * 1024), f"big-{n}.docx") for n in range(4)]
    assert "The 4 files come to 36.0 MB; at most 30 MB can be uploaded at once" in text(
        preview(staff_client, meeting, big)
    )
    too_big = [docx_upload(b"PK" + b"\0" * report_import.MAX_BYTES, "huge.docx")]
    assert "“huge.docx” is 10.0 MB; a document may be at most 10 MB." in text(
        preview(staff_client, meeting, too_big)
    )
    assert meeting.items.count() == 3


# Who may, and when ------------------------------------------------------------------------------


def test_permission_is_asked_on_the_save(staff_client, meeting, django_user_model):
    form = save_form(preview(staff_client, meeting), meeting, AS_MATCHED)
    reader = django_user_model.objects.create_user("meeting-reader", is_staff=True)
    reader.user_permissions.set(Permission.objects.filter(codename="view_meeting"))
    officer = Client()
    officer.force_login(reader)
    assert officer.post(save_url(meeting), form).status_code == 403
    assert officer.get(upload_url(meeting)).status_code == 403
    member = Client()
    member.force_login(django_user_model.objects.create_user("not-staff"))
    assert member.post(save_url(meeting), form)["Location"].startswith("/admin/login/")
    assert Client().post(save_url(meeting), form)["Location"].startswith("/admin/login/")
    assert meeting.items.count() == 3
    assert Report.objects.filter(item__meeting=meeting).count() == 1


def test_the_clerk_with_the_permissions_needed_may(meeting, django_user_model):
    clerk = django_user_model.objects.create_user("clerk-word", is_staff=True)
    needed = ["change_meeting", "add_report", "change_report", "add_agendaitem", "change_agendaitem"]
    clerk.user_permissions.set(Permission.objects.filter(codename__in=needed))
    client = Client()
    client.force_login(clerk)
    assert (
        client.post(save_url(meeting), save_form(preview(client, meeting), meeting, AS_MATCHED)).status_code
        == 302
    )
    assert meeting.items.count() == 4
    clerk.user_permissions.remove(Permission.objects.get(codename="add_agendaitem"))
    assert client.get(upload_url(meeting)).status_code == 403  # a new item may be needed


def test_a_preview_overtaken_altered_or_of_another_meeting_is_refused(staff_client, meeting):
    response = preview(staff_client, meeting)
    form = save_form(response, meeting, AS_MATCHED)
    finance = Report.objects.get(item__meeting=meeting, item__number=3)
    finance.summary = "Someone else's change."
    finance.save()
    refused = text(staff_client.post(save_url(meeting), form))
    assert "Someone else saved the report of item 3 (“Finance update”) since your preview" in refused
    assert meeting.items.count() == 3
    assert Report.objects.get(pk=finance.pk).summary == "Someone else's change."
    assert not Report.objects.filter(item__meeting=meeting, item__number=2).exists()

    other = factories.MeetingFactory()
    assert "That preview is not yours, or not of this meeting" in text(
        staff_client.post(save_url(other), form)
    )
    altered = {**form, "preview": form["preview"][:-3] + "abc"}
    assert "The preview has expired or could not be read back" in text(
        staff_client.post(save_url(meeting), altered)
    )


def test_unknown_meetings_are_404(staff_client):
    for meeting_id in ("999999999", str(2**70)):
        assert staff_client.get(f"/admin/meetings/meeting/{meeting_id}/reports-from-word/").status_code == 404
        assert (
            staff_client.post(f"/admin/meetings/meeting/{meeting_id}/reports-from-word/save/").status_code
            == 404
        )
