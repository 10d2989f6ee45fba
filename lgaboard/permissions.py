"""Who may read and change what: the roles, and the predicates every app builds its rules from.

Roles are groups (see ROLES): clerks build and publish meetings; officers enter the quarterly returns
of the deliverables they lead and the outputs and figures of the programmes they lead; approvers
submit, approve and reopen returns, and run the MoU: they add and change MoUs, themes, outcomes and
deliverables, and (the `mou.run_mou` permission) copy an MoU into next year's draft, import its
deliverables from a spreadsheet, assign lead officers in bulk and publish the draft. Clerks read the
MoU and link papers to deliverables; officers change no part of it but returns. Members are logins
linked to their Person: they read their boards' confidential items and the draft packs released to
them. The public reads what is published and not confidential (and no draft MoU).

Model-level permissions come from the groups (Django's ModelBackend); the per-object rules are
django-rules predicates, asked through `user.has_perm(perm, obj)` by the admin and the services.
This module knows no app: each app keeps its own rules in its `permissions.py` (meetings: who reads
which meetings and confidential items; mou: returns and the MoU's year; programmes: programme work),
registered in its AppConfig.ready()."""

import rules
from django.db.models import Q

CLERKS, OFFICERS, APPROVERS = "Clerks", "Officers", "Approvers"

is_clerk = rules.is_group_member(CLERKS)
is_officer = rules.is_group_member(OFFICERS)
is_approver = rules.is_group_member(APPROVERS)


def reads_everything(user) -> bool:
    """Clerks (and superusers) read every draft and every confidential item."""
    return user.is_authenticated and (user.is_superuser or is_clerk(user))


def officer_scope(user, lead_path: str, *, approvers_see_all: bool = False) -> Q | None:
    """What an officer's admin lists: the rows they lead (`lead_path` leads to the Person who leads
    them). None means every row: superusers, other roles (who read but do not change), and for the
    returns, approvers."""
    if user.is_superuser or not is_officer(user) or (approvers_see_all and is_approver(user)):
        return None
    return Q(**{f"{lead_path}__user": user})
