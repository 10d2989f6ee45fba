"""The groups each role is, and the model permissions that let it into its part of the admin.
Which rows within a model a role may change is decided in each app's permissions.py."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from .permissions import APPROVERS, CLERKS, OFFICERS

VIEW = ["view"]
EDIT = ["add", "change", "view"]
ALL = ["add", "change", "delete", "view"]

# role: {app_label: {model or "*": actions}}
ROLES = {
    CLERKS: {
        "meetings": {"*": ALL},
        "programmes": {"liveannex": ALL, "*": VIEW},
        "mou": {"deliverable": ["change", "view"], "*": VIEW},
    },
    OFFICERS: {
        "mou": {"quarterlyreturn": EDIT, "mou": VIEW},
        "programmes": {
            "output": ALL,
            "activity": ALL,
            "workstream": ["change", "view"],
            "participation": ["change", "view"],
            "participationcolumn": EDIT,
        },
    },
    APPROVERS: {  # they also run the MoU: next year's copy, deliverables, themes, lead officers
        "mou": {
            "quarterlyreturn": [*EDIT, "approve"],
            "mou": [*EDIT, "run"],
            **dict.fromkeys(["theme", "themeoutcome", "deliverable", "subtarget"], EDIT),
        },
        "meetings": {"person": VIEW},  # to choose lead officers
    },
}


def role_permissions(spec: dict) -> list[Permission]:
    wanted = Q(pk__in=[])
    for app_label, models in spec.items():
        for model, actions in models.items():
            for action in actions:
                if model == "*":
                    wanted |= Q(content_type__app_label=app_label, codename__startswith=f"{action}_")
                else:
                    wanted |= Q(content_type__app_label=app_label, codename=f"{action}_{model}")
    return list(Permission.objects.filter(wanted))


def ensure_roles(**kwargs) -> None:
    """Create or refresh the role groups (run after every migrate)."""
    for name, spec in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(role_permissions(spec))
