"""Delete the public's e-mail addresses not confirmed within a week (run daily, e.g. from cron;
asking for alerts also prunes them)."""

from django.core.management.base import BaseCommand

from meetings import notifications


class Command(BaseCommand):
    help = "Delete the addresses asked for e-mail alerts and not confirmed within a week."

    def handle(self, *args, **options):
        deleted = notifications.subscriptions_prune()
        self.stdout.write(f"{deleted} unconfirmed address{'es' if deleted != 1 else ''} deleted.")
