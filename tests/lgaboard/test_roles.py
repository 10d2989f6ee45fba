"""Every role against every kind of address: pages, PDFs and the admin, allowed or denied.

Roles: the public; a member of the board (a login linked to their Person); a login that is not a
member; a clerk; an officer who leads the productivity programme and (in the demo as loaded) the 17
deliverables it serves; an approver."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from lgaboard.permissions import APPROVERS, CLERKS, OFFICERS
from meetings.models import AgendaItem, Meeting, Person, Report
from mou.models import Deliverable, Mou, QuarterlyReturn
from programmes.models import Output, Participation, Programme, Workstream
from tests.factories import OutputFactory

pytestmark = pytest.mark.django_db

ROLES = ["public", "member", "outsider", "clerk", "officer", "approver"]
BOARD = "/boards/improvement-and-innovation-board"


@pytest.fixture
def world(november_meeting, django_user_model):
    """The logins, and the objects whose addresses the matrix visits."""
    clients = {"public": Client()}

    def login(name, *, staff=False, group=None, person=None):
        user = django_user_model.objects.create_user(f"{name}-matrix", is_staff=staff)
        if group:
            user.groups.add(Group.objects.get(name=group))
        if person:
            Person.objects.filter(slug=person).update(user=user)
        client = Client()
        client.force_login(user)
        clients[name] = client

    login("member", person="judi-billing")
    login("outsider")
    login("clerk", staff=True, group=CLERKS)
    login("officer", staff=True, group=OFFICERS, person="siobhan-coughlan")
    login("approver", staff=True, group=APPROVERS, person="dennis-skinner")

    year, venue = november_meeting.board_year, november_meeting.venue
    draft = Meeting.objects.create(board_year=year, date=datetime.date(2018, 6, 6), venue=venue)
    released = Meeting.objects.create(
        board_year=year, date=datetime.date(2018, 7, 4), venue=venue, released_to_members=True
    )
    for meeting in (draft, released):
        item = AgendaItem.objects.create(meeting=meeting, number=1, title="Budget")
        Report.objects.create(item=item, for_information=True, body="A draft paper.")

    experts = Deliverable.objects.get(
        theme__mou__start_year=2017, theme__key="efficiency-and-productivity", reference="3"
    )
    assert experts.lead_officer.slug == "siobhan-coughlan"  # as the demo loads it
    own = QuarterlyReturn.objects.get(deliverable=experts, quarter=2)
    # The demo's returns are approved (transcribed from the papers): this one is reopened for her.
    from mou.services import return_reopen

    return_reopen(quarterly_return=own, by=None, reason="Reopened for the lead officer to correct.")
    other = QuarterlyReturn.objects.filter(quarter=2).exclude(deliverable=experts).first()
    leadership = Workstream.objects.get(
        programme__slug="highlighting-leadership", slug="political-leadership"
    )
    other_output = OutputFactory(
        workstream=leadership, start_year=2017, quarter=2, delivered="X", rag="green"
    )
    own_output = Output.objects.filter(workstream__programme__slug="productivity").first()
    mou = Mou.objects.get(start_year=2017)
    return {
        "clients": clients,
        "draft": f"{BOARD}/{draft.date}/",
        "released": f"{BOARD}/{released.date}/",
        "meeting_admin": f"/admin/meetings/meeting/{november_meeting.pk}/change/",
        "own_return": f"/admin/mou/quarterlyreturn/{own.pk}/change/",
        "other_return": f"/admin/mou/quarterlyreturn/{other.pk}/change/",
        "own_output": f"/admin/programmes/output/{own_output.pk}/change/",
        "other_output": f"/admin/programmes/output/{other_output.pk}/change/",
        "entry": f"/admin/mou/mou/{mou.pk}/quarter/2/?theme=efficiency-and-productivity",
        "copy_mou": f"/admin/mou/mou/{mou.pk}/copy/",
        "breakdown": "/admin/programmes/participation/{}/breakdown/gender/".format(
            Participation.objects.get(programme__slug="highlighting-leadership").pk
        ),
        "own": own,
        "experts": experts,
    }


LOGIN = 302  # sent to sign in
GONE = 404  # as if it did not exist
DENIED = 403
BACK = 302  # the admin sends a user away from an object it does not list for them

MATRIX = {
    # address: expected status for public, member, outsider, clerk, officer, approver
    "/": [200, 200, 200, 200, 200, 200],
    f"{BOARD}/2017-11-01/": [200, 200, 200, 200, 200, 200],
    f"{BOARD}/2017-11-01/items/4.pdf": [200, 200, 200, 200, 200, 200],
    "/mou/2017-18/q2/": [200, 200, 200, 200, 200, 200],
    "/programmes/productivity/": [200, 200, 200, 200, 200, 200],
    "draft": [GONE, GONE, GONE, 200, GONE, GONE],
    "released": [GONE, 200, GONE, 200, GONE, GONE],
    "/admin/": [LOGIN, LOGIN, LOGIN, 200, 200, 200],
    "meeting_admin": [LOGIN, LOGIN, LOGIN, 200, DENIED, DENIED],
    "/admin/meetings/meeting/add/": [LOGIN, LOGIN, LOGIN, 200, DENIED, DENIED],
    "/admin/mou/quarterlyreturn/": [LOGIN, LOGIN, LOGIN, 200, 200, 200],
    "own_return": [LOGIN, LOGIN, LOGIN, 200, 200, 200],
    "other_return": [LOGIN, LOGIN, LOGIN, 200, BACK, 200],
    "entry": [LOGIN, LOGIN, LOGIN, GONE, 200, 200],
    "own_output": [LOGIN, LOGIN, LOGIN, 200, 200, 200],
    "other_output": [LOGIN, LOGIN, LOGIN, 200, BACK, 200],
    "breakdown": [LOGIN, LOGIN, LOGIN, GONE, GONE, GONE],
    "/admin/programmes/liveannex/": [LOGIN, LOGIN, LOGIN, 200, DENIED, DENIED],
    # Approvers run the MoU's year: copy it, add MoUs, themes and deliverables (tests/mou/test_year.py).
    "copy_mou": [LOGIN, LOGIN, LOGIN, DENIED, DENIED, 200],
    "/admin/mou/mou/add/": [LOGIN, LOGIN, LOGIN, DENIED, DENIED, 200],
    "/admin/mou/deliverable/add/": [LOGIN, LOGIN, LOGIN, DENIED, DENIED, 200],
    "/admin/auth/user/": [LOGIN, LOGIN, LOGIN, DENIED, DENIED, DENIED],
}


@pytest.mark.parametrize("address", list(MATRIX))
def test_every_role_against_every_address(world, address):
    url = world.get(address, address)
    got = {role: world["clients"][role].get(url).status_code for role in ROLES}
    assert got == dict(zip(ROLES, MATRIX[address], strict=True))


def test_the_released_draft_pack_pdf_is_for_members_only(world):
    url = world["released"] + "pack.pdf"
    assert world["clients"]["member"].get(url)["Content-Type"] == "application/pdf"
    assert world["clients"]["public"].get(url).status_code == 404


def test_read_only_where_a_role_may_read_but_not_change(world):
    clerk_view = world["clients"]["clerk"].get(world["own_return"]).content.decode()
    assert 'name="narrative"' not in clerk_view  # shown, not editable
    officer_view = world["clients"]["officer"].get(world["own_return"]).content.decode()
    assert 'name="narrative"' in officer_view


def test_an_officer_lists_only_the_returns_and_outputs_they_may_change(world):
    officer = world["clients"]["officer"]
    listed = officer.get("/admin/mou/quarterlyreturn/").content.decode()
    assert "14 quarterly returns" in listed  # the Q2 returns of the 17 deliverables she leads
    outputs = officer.get("/admin/programmes/output/").content.decode()
    assert "11 outputs" in outputs  # the productivity programme's, not leadership's


def test_an_officer_saves_their_row_and_cannot_change_anyone_elses(world):
    from tests.forms import form_data

    officer = world["clients"]["officer"]
    html = officer.get(world["entry"]).content.decode()
    data = form_data(html)
    own = world["own"]
    data[f"d{own.deliverable_id}-narrative"] = "Working with 16 councils (officer)"
    data[f"d{own.deliverable_id}-rag"] = "green"
    # Rows she does not lead are not on her screen, and what is posted for them anyway is not saved
    # (tests/mou/test_quarter_entry.py: shown as text with "all deliverables", such a post is refused).
    others = Deliverable.objects.filter(theme__key="efficiency-and-productivity", lead_officer=None)
    assert others.count() == 34 - 17
    assert not any(f'name="d{other.pk}-' in html for other in others)
    forged = {f"d{other.pk}-narrative": "Overwritten by someone who does not lead it" for other in others}
    response = officer.post(world["entry"], data | forged)
    assert response.status_code == 302, response.content.decode()[-3000:]
    own.refresh_from_db()
    assert own.narrative == "Working with 16 councils (officer)"
    assert not QuarterlyReturn.objects.filter(narrative__startswith="Overwritten").exists()


def test_only_approvers_sign_returns_off(world):
    own = world["own"]
    action = {"action": "submit", "_selected_action": [own.pk]}
    world["clients"]["officer"].post("/admin/mou/quarterlyreturn/", action)
    own.refresh_from_db()
    assert own.status == QuarterlyReturn.Status.DRAFT
    own.rag = own.rag or "green"
    own.save()
    world["clients"]["approver"].post("/admin/mou/quarterlyreturn/", action)
    own.refresh_from_db()
    assert own.status == QuarterlyReturn.Status.SUBMITTED


def test_roles_are_groups_with_their_permissions():
    clerks = Group.objects.get(name=CLERKS).permissions.values_list("codename", flat=True)
    assert {"publish_meeting", "change_meeting"} & set(clerks) == {"change_meeting"}
    approvers = Group.objects.get(name=APPROVERS).permissions.values_list("codename", flat=True)
    assert "approve_quarterlyreturn" in approvers
    running = {"run_mou", "add_mou", "add_theme", "add_themeoutcome", "add_deliverable", "add_subtarget"}
    assert running <= set(approvers)
    assert not {"delete_mou", "delete_deliverable"} & set(approvers)  # only from a draft (permissions.py)
    clerks_mou = set(Group.objects.get(name=CLERKS).permissions.filter(content_type__app_label="mou")
                     .values_list("codename", flat=True))  # fmt: skip
    assert clerks_mou == {"change_deliverable"} | {c for c in clerks_mou if c.startswith("view_")}
    officers = set(Group.objects.get(name=OFFICERS).permissions.values_list("codename", flat=True))
    assert {"change_quarterlyreturn", "change_output"} <= officers
    assert "change_meeting" not in officers
    assert not running & officers


# -- the POST side: what each role may save, checked on the object about to be saved ----------------
def _admin_form(client, url):
    from tests.forms import form_data

    html = client.get(url).content.decode()
    return html, form_data(html, "quarterlyreturn_form") or form_data(html)


def test_an_officer_is_offered_only_the_deliverables_she_leads(world):
    html, _ = _admin_form(world["clients"]["officer"], "/admin/mou/quarterlyreturn/add/")
    experts = world["experts"]
    assert f'<option value="{experts.pk}">' in html
    choices = re.search(r'<select name="deliverable".*?</select>', html, re.S).group(0)
    assert len(re.findall(r'<option value="\d+"', choices)) == 17  # hers, not all 96


def test_an_officer_cannot_add_a_return_for_a_deliverable_she_does_not_lead(world):
    officer = world["clients"]["officer"]
    other = Deliverable.objects.filter(lead_officer=None, returns__isnull=True).first()
    before = QuarterlyReturn.objects.count()
    data = {"deliverable": other.pk, "quarter": 3, "narrative": "Not hers", "rag": "green"}
    response = officer.post("/admin/mou/quarterlyreturn/add/", data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert QuarterlyReturn.objects.count() == before


def test_an_officer_cannot_move_her_return_to_a_deliverable_she_does_not_lead(world):
    officer = world["clients"]["officer"]
    own = world["own"]
    other = Deliverable.objects.filter(lead_officer=None, returns__isnull=True).first()
    _, data = _admin_form(officer, world["own_return"])
    data.update({"deliverable": other.pk, "narrative": "Moved"})
    response = officer.post(world["own_return"], data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    own.refresh_from_db()
    assert (own.deliverable_id, own.narrative) != (other.pk, "Moved")
    assert own.deliverable_id == world["experts"].pk


def test_the_rule_itself_refuses_the_object_about_to_be_saved(world, rf):
    """Whatever choices a form offers, the object it would save is asked the per-object rule."""
    from django.contrib.admin.sites import site

    from lgaboard.admin_scope import OUT_OF_SCOPE

    officer = Person.objects.get(slug="siobhan-coughlan").user
    other = Deliverable.objects.filter(lead_officer=None, returns__isnull=True).first()
    request = rf.post("/admin/mou/quarterlyreturn/add/")
    request.user = officer
    model_admin = site._registry[QuarterlyReturn]
    form_class = model_admin.get_form(request)
    form = form_class({"deliverable": other.pk, "quarter": 3, "narrative": "Not hers", "rag": "green"})
    form.fields["deliverable"].queryset = Deliverable.objects.all()  # as if every choice were offered
    assert not form.is_valid()
    assert OUT_OF_SCOPE in form.non_field_errors()
    approver = Person.objects.get(slug="dennis-skinner").user
    request.user = approver
    form = model_admin.get_form(request)(
        {"deliverable": other.pk, "quarter": 3, "narrative": "An approver's entry", "rag": "green"}
    )
    assert form.is_valid(), form.errors


def test_an_officer_cannot_add_or_move_outputs_outside_her_programme(world):
    officer = world["clients"]["officer"]
    leadership = Workstream.objects.get(
        programme__slug="highlighting-leadership", slug="political-leadership"
    )
    before = Output.objects.count()
    data = {"workstream": leadership.pk, "start_year": 2017, "quarter": 3, "order": 0,
            "delivered": "Not hers", "rag": "green"}  # fmt: skip
    response = officer.post("/admin/programmes/output/add/", data)
    assert "Select a valid choice" in response.content.decode()
    assert Output.objects.count() == before

    own_output = Output.objects.filter(workstream__programme__slug="productivity").first()
    _, data = _admin_form(officer, world["own_output"])
    data.update({"workstream": leadership.pk, "delivered": "Moved"})
    response = officer.post(world["own_output"], data)
    assert "Select a valid choice" in response.content.decode()
    own_output.refresh_from_db()
    assert own_output.workstream.programme.slug == "productivity"
    assert own_output.delivered != "Moved"


@pytest.mark.parametrize("model", ["workstream", "participation"])
def test_an_officer_cannot_move_her_programmes_work_to_another_programme(world, model):
    officer = world["clients"]["officer"]
    model_class = {"workstream": Workstream, "participation": Participation}[model]
    own = model_class.objects.filter(programme__slug="productivity").first()
    if own is None:
        own = model_class.objects.create(
            programme=Programme.objects.get(slug="productivity"),
            start_year=2017,
            period="2017/18 Q2",
            as_at=datetime.date(2017, 9, 30),
        )
    url = f"/admin/programmes/{model}/{own.pk}/change/"
    _, data = _admin_form(officer, url)
    leadership = Workstream.objects.get(slug="political-leadership").programme
    data["programme"] = leadership.pk
    response = officer.post(url, data)
    assert "Select a valid choice" in response.content.decode()
    own.refresh_from_db()
    assert own.programme.slug == "productivity"


def _registered_models():
    from django.contrib.admin.sites import site

    return sorted(site._registry, key=lambda model: model._meta.label)


def _user(role):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username=f"{role}-matrix").first()  # None: the public


def _may_change(user, perm: str, row) -> bool:
    """A per-object rule where lgaboard/permissions.py has one, else the role's model permission."""
    import rules

    return user.has_perm(perm, row) if rules.perm_exists(perm) else user.has_perm(perm)


def _refused(response) -> bool:
    """403, sent to sign in, or sent away to the admin's index (a row the admin does not list for
    them "does not exist"); anything else (a form shown again, a save) is not a refusal."""
    if response.status_code == 302:
        return (
            response["Location"].startswith(("/sign-in/", "/admin/login/"))
            or response["Location"] == "/admin/"
        )
    return response.status_code == 403


INJECTED = {"title": "Injected", "name": "Injected", "narrative": "Injected", "text": "Injected",
            "username": "injected", "quarter": 1}  # fmt: skip


def test_every_add_form_posted_by_a_role_without_the_permission_creates_nothing(world):
    """Every admin add form, posted by each role that may not add there: refused, nothing created.
    (One test over every model, so the roles' world is set up once; it names every failure.)"""
    failures = []
    for model in _registered_models():
        opts = model._meta
        url = f"/admin/{opts.app_label}/{opts.model_name}/add/"
        before = model._default_manager.count()
        for role in ROLES:
            user = _user(role)
            if user is not None and user.has_perm(f"{opts.app_label}.add_{opts.model_name}"):
                continue  # may add: what they may add is checked by the scope tests above
            response = world["clients"][role].post(url, INJECTED)
            if not _refused(response):
                failures.append(f"{role} {url}: {response.status_code}")
        if model._default_manager.count() != before:
            failures.append(f"{url}: a row was created")
    assert failures == []


def test_every_change_form_posted_by_a_role_that_may_not_change_it_changes_nothing(world):
    """Every admin change form (first and last row of each model), posted by each role that may not
    change that row: refused, nothing changed."""
    from django.forms.models import model_to_dict

    failures = []
    for model in _registered_models():
        opts = model._meta
        perm = f"{opts.app_label}.change_{opts.model_name}"
        rows = {*model._default_manager.order_by("pk")[:1], *model._default_manager.order_by("-pk")[:1]}
        for row in rows:
            url = f"/admin/{opts.app_label}/{opts.model_name}/{row.pk}/change/"
            before = model_to_dict(row)
            for role in ROLES:
                user = _user(role)
                if user is not None and _may_change(user, perm, row):
                    continue
                response = world["clients"][role].post(url, INJECTED)
                row.refresh_from_db()
                if not _refused(response) or model_to_dict(row) != before:
                    failures.append(f"{role} {url}: {response.status_code} {response.get('Location', '')}")
    assert failures == []


def test_an_officer_adds_an_output_to_her_own_programme(world):
    officer = world["clients"]["officer"]
    own = Workstream.objects.filter(programme__slug="productivity").first()
    data = {"workstream": own.pk, "start_year": 2017, "quarter": 3, "order": 0,
            "delivered": "Launched the procurement toolkit", "rag": "green"}  # fmt: skip
    response = officer.post("/admin/programmes/output/add/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Output.objects.filter(workstream=own, delivered="Launched the procurement toolkit").exists()


def test_an_approved_return_is_read_only_in_the_admin_and_a_posted_change_refused(world):
    from tests.forms import form_data

    approver = world["clients"]["approver"]
    own = world["own"]
    QuarterlyReturn.objects.filter(pk=own.pk).update(status=QuarterlyReturn.Status.APPROVED)
    page = approver.get(world["own_return"]).content.decode()
    assert 'name="narrative"' not in page  # shown, not editable
    data = form_data(page) | {"narrative": "Changed after approval", "figure": "99"}
    assert approver.post(world["own_return"], data).status_code == 403
    own.refresh_from_db()
    assert own.narrative != "Changed after approval"


def test_no_one_saves_an_earlier_version_back_from_the_history(world, django_user_model):
    """Reverting from the history would get past the lock on approved returns and the once-only
    record of publication; earlier versions are for reading."""
    from django.test import Client

    superuser = Client()
    superuser.force_login(
        django_user_model.objects.create_user("root-matrix", is_staff=True, is_superuser=True)
    )
    meeting = Meeting.objects.get(date="2017-11-01")
    first = meeting.history.order_by("history_date").first()
    url = f"/admin/meetings/meeting/{meeting.pk}/history/{first.history_id}/"
    assert superuser.get(url).status_code == 200  # reading it, yes
    for client in (superuser, world["clients"]["clerk"]):
        assert client.post(url, {"date": "2017-11-01", "status": "draft"}).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED

    own = world["own"]
    QuarterlyReturn.objects.filter(pk=own.pk).update(status=QuarterlyReturn.Status.APPROVED)
    version = own.history.order_by("history_date").first()
    url = f"/admin/mou/quarterlyreturn/{own.pk}/history/{version.history_id}/"
    assert world["clients"]["officer"].post(url, {"narrative": "Back to draft"}).status_code == 403
    own.refresh_from_db()
    assert own.status == QuarterlyReturn.Status.APPROVED
