"""Who changes a programme's work: its outputs, activities, workstreams and participation figures
(the roles themselves are in lgaboard/permissions.py). The per-object rules are registered when the
app is ready (programmes/apps.py) and asked through `user.has_perm(perm, obj)`."""

import rules

from lgaboard.permissions import is_approver, is_clerk, is_officer
from meetings.permissions import person_id_of


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


may_change_programme_work = is_officer & leads_programme

for model in ("output", "activity", "workstream", "participation", "participationcolumn"):
    rules.add_perm(f"programmes.view_{model}", is_clerk | is_approver | may_change_programme_work)
    rules.add_perm(f"programmes.change_{model}", may_change_programme_work)
for model in ("output", "activity"):  # officers add and remove outputs and activities, not the rest
    rules.add_perm(f"programmes.delete_{model}", may_change_programme_work)
for model in ("output", "activity", "participationcolumn"):  # asked of the object about to be saved
    rules.add_perm(f"programmes.add_{model}", may_change_programme_work)
