"""The MoU's year, run by an approver: the 2017/18 MoU copied into a 2018/19 draft, a deliverables
sheet imported into it (a bad row refuses the whole sheet), lead officers assigned in bulk, the draft
published. Clerks and officers may do none of it, and the public never sees a draft."""

import datetime
import io

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from lgaboard.permissions import APPROVERS, CLERKS, OFFICERS
from meetings.models import Person
from mou import year
from mou.models import Deliverable, Mou, QuarterlyReturn, SubTarget, Theme, ThemeOutcome, plain_start

pytestmark = pytest.mark.django_db

HEADERS = ",".join(year.HEADERS)


@pytest.fixture
def logins(django_user_model):
    """A client for the public and for each role (staff logins in their role's group)."""
    clients = {"public": Client()}
    for name, group in [("approver", APPROVERS), ("clerk", CLERKS), ("officer", OFFICERS)]:
        user = django_user_model.objects.create_user(f"{name}-year", is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        clients[name] = Client()
        clients[name].force_login(user)
    return clients


@pytest.fixture
def current():
    mou = Mou.objects.get(start_year=2017)
    peer = Deliverable.objects.get(theme__mou=mou, theme__key="enabling-improvement", reference="1")
    peer.lead_officer = Person.objects.get(slug="dennis-skinner")
    peer.save()
    return mou


def copy_url(mou):
    return f"/admin/mou/mou/{mou.pk}/copy/"


def text(response) -> str:
    return response.content.decode()


def sheet(*rows: str, name="deliverables.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\n".join([HEADERS, *rows]).encode(), content_type="text/csv")


@pytest.fixture
def draft(current, logins, django_user_model):
    """2018/19, copied from 2017/18 by the approver."""
    approver = django_user_model.objects.get(username="approver-year")
    return year.mou_copy(source=current, start_year=2018, by=approver)


# -- the short form ---------------------------------------------------------------------------------
def test_the_short_form_is_the_start_of_the_commitment_unless_one_is_set():
    assert plain_start("**Deliver at least 110 peer challenges.**\n\nThis will include…") == (
        "Deliver at least 110 peer challenges…"
    )
    assert plain_start("Work with [LG Inform](https://lginform.local.gov.uk) &amp; _partners_.") == (
        "Work with LG Inform & partners."
    )
    long = "Provide support to at least 10 councils to manage and resolve issues. " * 2
    cut = plain_start(long.replace(".", ""))  # one sentence of 138 characters: cut at a word
    assert cut == long.replace(".", "")[:99] + "…"
    assert cut.endswith(" at least 10…")
    assert (
        plain_start("Coordinate and promote open data standards,")
        == "Coordinate and promote open data standards"
    )
    deliverable = Deliverable(commitment="**Deliver at least 110 peer challenges.** More.", short_title="")
    assert deliverable.short_form == "Deliver at least 110 peer challenges…"
    deliverable.short_title = "110 peer challenges"
    assert deliverable.short_form == "110 peer challenges"


def test_the_quarterly_report_figures_table_prints_each_deliverable_in_words(client):
    html = text(client.get("/mou/2017-18/q2/"))
    figures = html[html.index('id="figures"') :]
    row = figures[figures.index("Deliver at least 110 peer challenges…") - 200 :].split("</tr>")[0]
    assert '<th scope="row" class="govuk-table__header">1 <span' in row
    assert "31" in row  # the half-year figure beside it


# -- copying into a new year ------------------------------------------------------------------------
def test_an_approver_copies_2017_18_into_a_2018_19_draft(logins, current, client):
    approver = logins["approver"]
    form = text(approver.get(copy_url(current)))
    assert "Copy MoU 2017/18 into a new year" in form
    assert 'value="2018"' in form  # the next year offered

    response = approver.post(copy_url(current), {"start_year": "2018"}, follow=True)
    page = text(response)
    new = Mou.objects.get(start_year=2018)
    assert response.redirect_chain[-1][0] == f"/admin/mou/mou/{new.pk}/change/"
    assert "MoU 2018/19 is a draft copied from MoU 2017/18" in page
    assert "no returns" in page
    assert "milestones need the date they are due by" in page
    assert new.draft
    assert new.title == "Programme of sector improvement support for 2018/19"
    assert new.grant is None

    old_themes = list(current.themes.order_by("order").values_list("key", "title", "introduction"))
    assert list(new.themes.order_by("order").values_list("key", "title", "introduction")) == old_themes
    count = Deliverable.objects.filter(theme__mou=current).count()
    assert Deliverable.objects.filter(theme__mou=new).count() == count == 96
    assert ThemeOutcome.objects.filter(theme__mou=new).count() == (
        ThemeOutcome.objects.filter(theme__mou=current).count()
    )
    peer = Deliverable.objects.get(theme__mou=new, theme__key="enabling-improvement", reference="1")
    assert peer.commitment.startswith("**Deliver at least 110 peer challenges.**")
    assert (peer.target, peer.comparator, peer.rule) == (110, "at_least", "cumulative")
    assert peer.lead_officer.slug == "dennis-skinner"
    assert SubTarget.objects.filter(deliverable=peer, target=70).exists()
    assert not QuarterlyReturn.objects.filter(deliverable__theme__mou=new).exists()
    assert not peer.reports.exists()
    milestones = Deliverable.objects.filter(theme__mou=new, rule="milestone")
    assert milestones.exists()
    assert not milestones.filter(due__isnull=False).exists()

    assert client.get("/mou/2018-19/").status_code == 404  # a draft: not for the public
    assert client.get("/mou/2018-19/q1/").status_code == 404
    assert "2018/19" not in text(client.get("/mou/"))
    staff_view = text(approver.get("/mou/2018-19/"))
    assert "A draft, being prepared for its year" in staff_view
    assert "(draft: only staff see it)" in text(approver.get("/mou/"))


def test_a_year_that_has_its_mou_is_not_copied_into(logins, current):
    response = logins["approver"].post(copy_url(current), {"start_year": "2017"})
    assert "There is already an MoU for 2017/18." in text(response)
    assert Mou.objects.filter(start_year=2017).count() == 1


@pytest.mark.parametrize("role", ["clerk", "officer"])
def test_clerks_and_officers_cannot_copy_the_mou(logins, current, role):
    assert logins[role].get(copy_url(current)).status_code == 403
    assert logins[role].post(copy_url(current), {"start_year": "2018"}).status_code == 403
    action = {"action": "copy_into_new_year", "_selected_action": [current.pk]}
    logins[role].post("/admin/mou/mou/", action)
    assert logins["public"].post(copy_url(current), {"start_year": "2018"}).status_code == 302  # sign in
    assert not Mou.objects.filter(start_year=2018).exists()
    change = text(logins[role].get(f"/admin/mou/mou/{current.pk}/change/"))
    assert "Copy into a new year" not in change


def test_the_list_action_leads_an_approver_to_the_copy_form(logins, current):
    response = logins["approver"].post(
        "/admin/mou/mou/", {"action": "copy_into_new_year", "_selected_action": [current.pk]}
    )
    assert response["Location"] == copy_url(current)


# -- importing deliverables -------------------------------------------------------------------------
def import_url(mou):
    return f"/admin/mou/mou/{mou.pk}/deliverables/import/"


GOOD_ROWS = [
    "leadership-and-capacity,,22,,Support 30 councils to run apprenticeship schemes.,,30,at least,"
    "councils,additive,,dennis-skinner",
    'housing,Housing and homelessness,1,,"**Publish a guide to tackling homelessness.** For councils.",'
    ",,,,milestone,31/12/2018,Dennis Skinner",
]
BAD_ROW = "leadership-and-capacity,,23,,Train 50 councillors.,,,,councillors,additive,,"  # no target


def test_a_sheet_with_one_bad_row_is_refused_whole_then_the_corrected_sheet_imports(logins, draft):
    approver = logins["approver"]
    before = Deliverable.objects.filter(theme__mou=draft).count()
    form = text(approver.get(import_url(draft)))
    assert "MoU 2018/19: import deliverables" in form
    assert "Theme, Theme title, Reference, Heading, Commitment, Short form" in form

    response = approver.post(import_url(draft), {"file": sheet(*GOOD_ROWS, BAD_ROW)})
    page = text(response)
    assert "Nothing was imported" in page
    assert "Row 4 (23, row): An additive or cumulative deliverable needs a target and a comparator." in page
    assert "Row 2" not in page
    assert "Row 3" not in page
    assert Deliverable.objects.filter(theme__mou=draft).count() == before
    assert not Theme.objects.filter(mou=draft, key="housing").exists()  # nothing saved, not even the theme

    corrected = BAD_ROW.replace(",,,,councillors", ",,50,at least,councillors")
    response = approver.post(import_url(draft), {"file": sheet(*GOOD_ROWS, corrected)}, follow=True)
    assert "MoU 2018/19: 3 deliverables added, 0 updated, 1 themes added." in text(response)
    schemes = Deliverable.objects.get(theme__mou=draft, theme__key="leadership-and-capacity", reference="22")
    assert (schemes.target, schemes.lead_officer.slug) == (30, "dennis-skinner")
    guide = Deliverable.objects.get(theme__mou=draft, theme__title="Housing and homelessness")
    assert guide.due == datetime.date(2018, 12, 31)
    assert guide.short_form == "Publish a guide to tackling homelessness…"
    assert LogEntry.objects.filter(object_id=str(draft.pk), change_message__contains="3 deliverables added")


def test_rows_are_checked_for_unknown_people_themes_and_repeats(logins, draft):
    rows = [
        "leadership-and-capacity,,22,,Support councils.,,,,,narrative,,Nobody Known",
        "newtheme,,1,,Something new.,,,,,narrative,,",
        "leadership-and-capacity,,22,,Support councils again.,,,,,narrative,,",
        "leadership-and-capacity,,24,,Publish a guide.,,,,,milestone,30/02/2019,",
    ]
    page = text(logins["approver"].post(import_url(draft), {"file": sheet(*rows)}))
    assert "Row 2 (22, lead officer): there is nobody called Nobody Known" in page
    assert "Row 3: theme newtheme is new to this MoU; give its title in the Theme title column." in page
    assert "Row 4: deliverable 22 of leadership-and-capacity appears twice." in page
    assert "Row 5 (24, due): Enter a valid date." in page
    assert not Deliverable.objects.filter(theme__mou=draft, reference__in=["22", "24"]).exists()


def test_a_formula_in_a_workbook_is_refused_naming_its_row_and_column(logins, draft):
    workbook = Workbook()
    workbook.active.append(year.HEADERS)
    workbook.active.append(["leadership", "", "22", "", "Support councils.", "", "=10*3"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("deliverables.xlsx", buffer.getvalue())
    page = text(logins["approver"].post(import_url(draft), {"file": upload}))
    assert "Row 2, column Target: this cell holds a formula (=10*3); type the value instead." in page


def test_the_download_is_the_import_template_and_uploads_back_as_no_change(logins, draft):
    approver = logins["approver"]
    download = approver.get(f"/admin/mou/mou/{draft.pk}/deliverables.xlsx")
    assert download["Content-Disposition"] == 'attachment; filename="mou-2018-19-deliverables.xlsx"'
    rows = list(load_workbook(io.BytesIO(download.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == year.HEADERS
    assert len(rows) == 97
    first = rows[1]
    assert first[:3] == ("enabling-improvement", "Enabling improvement in local authorities", "1")
    assert (first[6], first[7], first[9], first[11]) == (110, "at least", "cumulative", "dennis-skinner")

    upload = SimpleUploadedFile("deliverables.xlsx", download.content)
    response = approver.post(import_url(draft), {"file": upload}, follow=True)
    assert "MoU 2018/19: 0 deliverables added, 0 updated." in text(response)

    workbook = load_workbook(io.BytesIO(download.content))  # the milestones' dates, given in the sheet
    milestone = next(row for row in workbook.active.iter_rows(min_row=2) if row[9].value == "milestone")
    milestone[10].value = "31/03/2019"
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("deliverables.xlsx", buffer.getvalue())
    response = approver.post(import_url(draft), {"file": upload}, follow=True)
    assert "MoU 2018/19: 0 deliverables added, 1 updated." in text(response)
    theme, reference = milestone[0].value, milestone[2].value
    updated = Deliverable.objects.get(theme__mou=draft, theme__key=theme, reference=reference)
    assert updated.due == datetime.date(2019, 3, 31)

    csv = text(approver.get(f"/admin/mou/mou/{draft.pk}/deliverables.csv"))
    assert csv.startswith("\ufeff" + HEADERS)


def test_a_published_mou_is_not_imported_into(logins, current):
    page = text(logins["approver"].post(import_url(current), {"file": sheet(*GOOD_ROWS)}))
    assert "MoU 2017/18 is published; deliverables are imported into a draft MoU" in page
    assert not Theme.objects.filter(mou=current, key="housing").exists()


@pytest.mark.parametrize("role", ["clerk", "officer"])
def test_clerks_and_officers_cannot_import_deliverables(logins, draft, role):
    before = Deliverable.objects.count()
    assert logins[role].post(import_url(draft), {"file": sheet(*GOOD_ROWS)}).status_code == 403
    assert Deliverable.objects.count() == before


# -- lead officers in bulk --------------------------------------------------------------------------
def test_an_approver_assigns_a_lead_officer_to_the_selected_deliverables(logins, draft):
    approver = logins["approver"]
    chosen = list(Deliverable.objects.filter(theme__mou=draft, theme__key="leadership-and-capacity")[:3])
    siobhan = Person.objects.get(slug="siobhan-coughlan")
    action = {"action": "assign_lead", "_selected_action": [d.pk for d in chosen]}
    page = text(approver.post("/admin/mou/deliverable/", action))
    assert "Assign a lead officer" in page
    assert chosen[0].short_form in page
    assert f'<option value="{siobhan.pk}">' in page

    response = approver.post(
        "/admin/mou/deliverable/", action | {"apply": "1", "lead_officer": siobhan.pk}, follow=True
    )
    assert "Siobhan Coughlan now leads the 3 deliverables selected (3 changed)." in text(response)
    assert Deliverable.objects.filter(pk__in=[d.pk for d in chosen], lead_officer=siobhan).count() == 3
    history = text(approver.get(f"/admin/mou/deliverable/{chosen[0].pk}/history/"))
    assert "Lead officer: Siobhan Coughlan (assigned in bulk)." in history


@pytest.mark.parametrize("role", ["clerk", "officer"])
def test_clerks_and_officers_cannot_assign_leads_in_bulk(logins, draft, role):
    chosen = list(Deliverable.objects.filter(theme__mou=draft)[:3])
    siobhan = Person.objects.get(slug="siobhan-coughlan")
    action = {"action": "assign_lead", "_selected_action": [d.pk for d in chosen], "apply": "1",
              "lead_officer": siobhan.pk}  # fmt: skip
    logins[role].post("/admin/mou/deliverable/", action)
    assert not Deliverable.objects.filter(pk__in=[d.pk for d in chosen], lead_officer=siobhan).exists()


# -- publishing, and removing from a draft ----------------------------------------------------------
def test_a_draft_is_published_once_every_milestone_has_its_date(logins, draft, client):
    approver = logins["approver"]
    action = {"action": "publish", "_selected_action": [draft.pk]}
    page = text(approver.post("/admin/mou/mou/", action, follow=True))
    assert "MoU 2018/19 not published" in page
    assert "A milestone needs the date it is due by." in page
    assert client.get("/mou/2018-19/").status_code == 404

    Deliverable.objects.filter(theme__mou=draft, rule="milestone").update(due=datetime.date(2019, 3, 31))
    page = text(approver.post("/admin/mou/mou/", action, follow=True))
    assert "MoU 2018/19 is published: the public sees it now." in page
    assert "Programme of sector improvement support for 2018/19" in text(client.get("/mou/2018-19/"))


def test_an_approver_removes_a_deliverable_from_a_draft_but_never_from_a_published_mou(logins, draft):
    approver = logins["approver"]
    dropped = Deliverable.objects.filter(theme__mou=draft).first()
    url = f"/admin/mou/deliverable/{dropped.pk}/delete/"
    assert "Are you sure" in text(approver.get(url))
    approver.post(url, {"post": "yes"})
    assert not Deliverable.objects.filter(pk=dropped.pk).exists()

    kept = Deliverable.objects.filter(theme__mou__start_year=2017).first()
    assert approver.post(f"/admin/mou/deliverable/{kept.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Deliverable.objects.filter(pk=kept.pk).exists()
    clerk = logins["clerk"]
    other = Deliverable.objects.filter(theme__mou=draft).first()
    assert clerk.post(f"/admin/mou/deliverable/{other.pk}/delete/", {"post": "yes"}).status_code == 403


def test_a_new_mou_starts_as_a_draft_and_only_the_publish_action_publishes_it(logins, draft):
    from tests.forms import form_data

    approver = logins["approver"]
    data = form_data(text(approver.get("/admin/mou/mou/add/")), "mou_form")
    data |= {"start_year": "2019", "title": "Programme 2019/20", "parties": "LGA and MHCLG"}
    assert approver.post("/admin/mou/mou/add/", data).status_code == 302
    assert Mou.objects.get(start_year=2019).draft

    url = f"/admin/mou/mou/{draft.pk}/change/"
    data = form_data(text(approver.get(url)), "mou_form")
    assert "draft" not in data  # shown, not a field: publishing checks the deliverables first
    approver.post(url, data | {"draft": ""})
    draft.refresh_from_db()
    assert draft.draft
