"""Who may read and change what: the one place the portal's access rules live.

Roles are groups (see ROLES): clerks build and publish meetings; officers enter the quarterly returns
of the deliverables they lead and the outputs and figures of the programmes they lead; approvers
submit, approve and reopen returns, and run the MoU: they add and change MoUs, themes, outcomes and
deliverables, and (the `mou.run_mou` permission) copy an MoU into next year's draft, import its
deliverables from a spreadsheet, assign lead officers in bulk and publish the draft. Clerks read the
MoU and link papers to deliverables; officers change no part of it but returns. Members are logins
linked to their Person: they read their boards' confidential items and the draft packs released to
them. The public reads what is published and not confidential (and no draft MoU).

Model-level permissions come from the groups (Django's ModelBackend); the per-object rules below are
django-rules predicates, asked through `user.has_perm(perm, obj)` by the admin and the services."""

import rules
from django.db.models import Q

CLERKS, OFFICERS, APPROVERS = "Clerks", "Officers", "Approvers"

is_clerk = rules.is_group_member(CLERKS)
is_officer = rules.is_group_member(OFFICERS)
is_approver = rules.is_group_member(APPROVERS)


def reads_everything(user) -> bool:
    """Clerks (and superusers) read every draft and every confidential item."""
    return user.is_authenticated and (user.is_superuser or is_clerk(user))


def reads_draft_mou(user) -> bool:
    """Those who prepare and check next year's MoU (the roles that read unapproved returns: clerks,
    officers, approvers) see a draft MoU; to everyone else it does not exist."""
    return sees_unapproved_returns(user)


def person_id_of(user) -> int | None:
    """The Person a login belongs to, if any (cached on the user for the request)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_lgaboard_person_id"):
        from meetings.models import Person

        user._lgaboard_person_id = Person.objects.filter(user=user).values_list("pk", flat=True).first()
    return user._lgaboard_person_id


# -- reading meetings -----------------------------------------------------------------------------
def board_year_ids_of_member(user) -> set[int]:
    """The board-years in which this login's person holds a membership (any role)."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_lgaboard_member_years"):
        from meetings.models import Membership

        years = Membership.objects.filter(person__user=user).values_list("board_year_id", flat=True)
        user._lgaboard_member_years = set(years)
    return user._lgaboard_member_years


def visible_meetings_filter(user) -> Q | None:
    """Meetings this user may read: None means all (clerks); else published, plus drafts released
    to members for the member's own board-years."""
    if reads_everything(user):
        return None
    published = Q(status="published")
    years = board_year_ids_of_member(user)
    if not years:
        return published
    return published | Q(released_to_members=True, board_year_id__in=years)


def can_read_confidential(user, meeting) -> bool:
    """Clerks and the members of the meeting's board-year read its confidential items."""
    if not user.is_authenticated:
        return False
    return reads_everything(user) or meeting.board_year_id in board_year_ids_of_member(user)


def confidential_filter(user, item_path: str) -> Q:
    """A filter keeping only rows whose agenda item this user may read. `item_path` leads from the
    rows to their AgendaItem, e.g. "entry__agenda_item"."""
    if reads_everything(user):
        return Q()
    public = Q(**{f"{item_path}__confidential": False})
    years = board_year_ids_of_member(user)
    if not years:
        return public
    return public | Q(**{f"{item_path}__meeting__board_year_id__in": years})


# -- changing figures -----------------------------------------------------------------------------
@rules.predicate
def leads_deliverable(user, record) -> bool:
    """An officer leads the deliverable of this return (or this deliverable). No object: the model-level
    question (may they add returns at all?); the admin then asks again of the object about to be
    saved (lgaboard/admin_scope.py), and the entry screen and import of each row."""
    if record is None:
        return True
    deliverable = getattr(record, "deliverable", record)
    return deliverable.lead_officer_id is not None and deliverable.lead_officer_id == person_id_of(user)


def programme_of(record):
    """The programme an output, activity, workstream, participation record or column belongs to."""
    if getattr(record, "workstream_id", None):
        record = record.workstream  # outputs and activities
    if getattr(record, "participation_id", None):
        record = record.participation  # participation columns
    return record.programme


@rules.predicate
def leads_programme(user, record) -> bool:
    """An officer is the contact officer of the programme this belongs to. No object: the model-level
    question; the admin asks again of the object about to be saved (lgaboard/admin_scope.py)."""
    if record is None:
        return True
    programme = programme_of(record)
    return programme.contact_officer_id is not None and programme.contact_officer_id == person_id_of(user)


may_enter_return = is_approver | (is_officer & leads_deliverable)
may_change_programme_work = is_officer & leads_programme

rules.add_perm("mou.view_quarterlyreturn", is_clerk | may_enter_return)
rules.add_perm("mou.change_quarterlyreturn", may_enter_return)
rules.add_perm("mou.add_quarterlyreturn", may_enter_return)
rules.add_perm("mou.approve_quarterlyreturn", is_approver)
for model in ("output", "activity", "workstream", "participation", "participationcolumn"):
    rules.add_perm(f"programmes.view_{model}", is_clerk | is_approver | may_change_programme_work)
    rules.add_perm(f"programmes.change_{model}", may_change_programme_work)
for model in ("output", "activity"):  # officers add and remove outputs and activities, not the rest
    rules.add_perm(f"programmes.delete_{model}", may_change_programme_work)
for model in ("output", "activity", "participationcolumn"):  # asked of the object about to be saved
    rules.add_perm(f"programmes.add_{model}", may_change_programme_work)


# -- running the MoU's year ------------------------------------------------------------------------
@rules.predicate
def runs_mou(user) -> bool:
    """Approvers (the groups given `mou.run_mou`): they copy, import, assign leads and publish."""
    return user.has_perm("mou.run_mou")


@rules.predicate
def in_draft_mou(user, record) -> bool:
    """A draft MoU, or a theme, outcome, deliverable or sub-target of one."""
    for step in ("deliverable", "theme", "mou"):
        record = getattr(record, step, record)
    return bool(getattr(record, "draft", False))


# What is not carried into the new year is removed from its draft; a published MoU keeps every part,
# since its returns, papers and decisions refer to them.
for model in ("mou", "theme", "themeoutcome", "deliverable", "subtarget"):
    rules.add_perm(f"mou.delete_{model}", runs_mou & in_draft_mou)


def officer_scope(user, lead_path: str, *, approvers_see_all: bool = False) -> Q | None:
    """What an officer's admin lists: the rows they lead (`lead_path` leads to the Person who leads
    them). None means every row: superusers, other roles (who read but do not change), and for the
    returns, approvers."""
    if user.is_superuser or not is_officer(user) or (approvers_see_all and is_approver(user)):
        return None
    return Q(**{f"{lead_path}__user": user})


# -- reading quarterly figures --------------------------------------------------------------------
def sees_unapproved_returns(user) -> bool:
    """Clerks, officers and approvers (and superusers) read draft and submitted returns, marked as
    such. Everyone else (the public, members, a login with no role) sees a quarter's figures only
    once they are approved: the pages, PDFs, exports, the sector update and every live annex."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or is_clerk(user) or is_officer(user) or is_approver(user)


def visible_returns_filter(user, path: str = "") -> Q:
    """A filter keeping only the quarterly returns this user may read; `path` leads from the rows to
    their return (e.g. "returns__"). No user means the public. The one place the rule is applied:
    every selector that reads returns for a page, a document or a download asks it."""
    if sees_unapproved_returns(user):
        return Q()
    return Q(**{f"{path}status": "approved"})  # QuarterlyReturn.Status.APPROVED (lgaboard imports no app)
