"""Every role against every kind of address: pages, PDFs and the admin, allowed or denied.

Roles: the public; a member of the board (a login linked to their Person); a login that is not a
member; a clerk; an officer who leads one deliverable and the productivity programme; an approver."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from lgaboard.permissions import APPROVERS, CLERKS, OFFICERS
from meetings.models import AgendaItem, Meeting, Person, Report
from mou.models import Deliverable, Mou, QuarterlyReturn
from programmes.models import Output, Participation, Workstream

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
    experts.lead_officer = Person.objects.get(slug="siobhan-coughlan")
    experts.save()
    own = QuarterlyReturn.objects.get(deliverable=experts, quarter=2)
    other = QuarterlyReturn.objects.filter(quarter=2).exclude(deliverable=experts).first()
    leadership = Workstream.objects.get(
        programme__slug="highlighting-leadership", slug="political-leadership"
    )
    other_output = Output.objects.create(
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
    assert "1 quarterly return" in listed
    outputs = officer.get("/admin/programmes/output/").content.decode()
    assert "11 outputs" in outputs  # the productivity programme's, not leadership's


def test_an_officer_saves_their_row_and_cannot_change_anyone_elses(world):
    from tests.forms import form_data

    officer = world["clients"]["officer"]
    data = form_data(officer.get(world["entry"]).content.decode())
    own = world["own"]
    data[f"d{own.deliverable_id}-narrative"] = "Working with 16 councils (officer)"
    data[f"d{own.deliverable_id}-rag"] = "green"
    others = [k for k in data if k.endswith("-narrative") and k != f"d{own.deliverable_id}-narrative"]
    for key in others:
        data[key] = "Overwritten by someone who does not lead it"
    response = officer.post(world["entry"], data)
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
    officers = set(Group.objects.get(name=OFFICERS).permissions.values_list("codename", flat=True))
    assert {"change_quarterlyreturn", "change_output"} <= officers
    assert "change_meeting" not in officers
