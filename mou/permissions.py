"""Who enters, approves and reads the quarterly returns, and who changes the MoU's year (the roles
themselves are in lgaboard/permissions.py). The per-object rules are registered when the app is
ready (mou/apps.py) and asked through `user.has_perm(perm, obj)`."""

import rules
from django.db.models import Q

from lgaboard.permissions import is_approver, is_clerk, is_officer
from meetings.permissions import person_id_of

from .models import QuarterlyReturn


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


may_enter_return = is_approver | (is_officer & leads_deliverable)

rules.add_perm("mou.view_quarterlyreturn", is_clerk | may_enter_return)
rules.add_perm("mou.change_quarterlyreturn", may_enter_return)
rules.add_perm("mou.add_quarterlyreturn", may_enter_return)
rules.add_perm("mou.approve_quarterlyreturn", is_approver)


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


# -- reading quarterly figures --------------------------------------------------------------------
def sees_unapproved_returns(user) -> bool:
    """Clerks, officers and approvers (and superusers) read draft and submitted returns, marked as
    such. Everyone else (the public, members, a login with no role) sees a quarter's figures only
    once they are approved: the pages, PDFs, exports, the sector update and every live annex."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or is_clerk(user) or is_officer(user) or is_approver(user)


def reads_draft_mou(user) -> bool:
    """Those who prepare and check next year's MoU (the roles that read unapproved returns: clerks,
    officers, approvers) see a draft MoU; to everyone else it does not exist."""
    return sees_unapproved_returns(user)


def visible_returns_filter(user, path: str = "") -> Q:
    """A filter keeping only the quarterly returns this user may read; `path` leads from the rows to
    their return (e.g. "returns__"). No user means the public. The one place the rule is applied:
    every selector that reads returns for a page, a document or a download asks it."""
    if sees_unapproved_returns(user):
        return Q()
    return Q(**{f"{path}status": QuarterlyReturn.Status.APPROVED})
