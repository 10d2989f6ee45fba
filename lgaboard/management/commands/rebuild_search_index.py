from django.core.management.base import BaseCommand

from lgaboard.search.services import search_rebuild


class Command(BaseCommand):
    help = (
        "Build the search index again from everything the public may read (after a restore, or a "
        "change made outside the portal); the portal keeps it current itself."
    )

    def handle(self, *args, **options):
        count = search_rebuild()
        self.stdout.write(f"Search index rebuilt: {count} entries.")
