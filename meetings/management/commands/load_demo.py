"""python manage.py load_demo: the real 2017 papers, loaded idempotently (run it as often as you like)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lgaboard.permissions import APPROVERS, CLERKS, OFFICERS
from lgaboard.roles import ensure_roles
from lgaboard.search.services import search_rebuild
from meetings.demo import DemoLoader
from meetings.models import Person
from mou.demo import load_mou_file
from programmes.demo import ProgrammesLoader

DEMO_USERS = {
    # username: (password, is_staff, role group, the Person they are, what they do)
    "clerk": ("clerk-demo-2017", True, CLERKS, None, "builds and publishes meetings and papers in /admin/"),
    "member": (
        "member-demo-2017", False, None, "judi-billing",
        "Cllr Judi Billing, a board member: reads confidential items and drafts released to members",
    ),
    "officer": (
        "officer-demo-2017", True, OFFICERS, "siobhan-coughlan",
        "Siobhan Coughlan: enters the outputs of the programme she leads (productivity) and the "
        "returns of the 17 deliverables it serves (their lead for the demonstration)",
    ),
    "approver": (
        "approver-demo-2017", True, APPROVERS, "dennis-skinner",
        "Dennis Skinner, Head of Improvement: approves quarterly returns and runs the MoU (next year's "
        "copy, deliverables, lead officers) in /admin/",
    ),
}  # fmt: skip


class Command(BaseCommand):
    help = "Load the Improvement and Innovation Board's 2017 papers (fixtures/demo) into the database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-demo-users",
            action="store_true",
            help="Also create demo logins (development only; refused when DEBUG is off).",
        )

    @transaction.atomic
    def handle(self, *args, with_demo_users=False, **options):
        if with_demo_users and not settings.DEBUG:
            raise CommandError("Demo users are for development only and are never created with DEBUG off.")
        root = settings.BASE_DIR / "fixtures" / "demo"
        demo = DemoLoader(root)
        demo.load()
        # The logins are people of the papers, made before the MoU so that its transcribed returns
        # are recorded as approved by the approver's login.
        logins = create_demo_users() if with_demo_users else []
        for path in sorted((root / "mou").glob("*.yaml")):
            load_mou_file(path)
        for path in sorted((root / "programmes").glob("*.yaml")):
            ProgrammesLoader(path).load()
        demo.publish_pending()
        # The MoU's returns are loaded as approved, not approved through the portal: the search
        # index is built afresh from everything the demo holds.
        search_rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data loaded: the 1 November 2017 papers, the 2017/18 MoU and its programmes."
            )
        )
        if with_demo_users:
            self.show_demo_users(logins)

    def show_demo_users(self, logins):
        self.stdout.write("Demo logins (development only):")
        for username, password, role in logins:
            self.stdout.write(f"  {username} / {password}  – {role}")


def create_demo_users():
    """The demo logins, linked to the people they are (also used by the browser tests). Returns
    (username, password, what they do) for each."""
    ensure_roles()
    user_model = get_user_model()
    created = []
    for username, (password, is_staff, group, person_slug, role) in DEMO_USERS.items():
        user, _ = user_model.objects.get_or_create(username=username)
        user.is_staff = is_staff
        user.set_password(password)
        person = Person.objects.filter(slug=person_slug).first() if person_slug else None
        user.first_name = person.first_name if person else username.capitalize()
        user.last_name = person.last_name if person else ""
        user.save()
        user.groups.set(Group.objects.filter(name=group) if group else [])
        if person:
            Person.objects.filter(pk=person.pk).update(user=user)
        created.append((username, password, role))
    return created
