"""Benchmark: answering a search, on the demo's index and on one many times its size; keeping it current.

Run by hand after `make demo` (and on PostgreSQL with DATABASE_URL set, after `manage.py migrate` and
`manage.py load_demo`); it changes nothing: the larger index is made inside a transaction that is
rolled back.
    .venv/bin/python bench/search.py [copies, default 50] [runs, default 20]
Prints, for the issue's searches and a phrase, the median and 95th percentile of the first page of
results (the count, the page with its snippets, the hits), on the demo's index and on `copies`
copies of it (as if `copies` years of the board's papers); then the time to refresh one meeting's
papers and note (`search_refresh_meeting`), as publication does.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lgaboard.settings.dev")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from lgaboard.models import SearchEntry  # noqa: E402
from lgaboard.search.selectors import Filters, search  # noqa: E402
from lgaboard.search.services import search_vector  # noqa: E402
from meetings.models import Meeting  # noqa: E402
from meetings.search import search_refresh_meeting  # noqa: E402

QUERIES = ["peer challenges", "cyber", "Grenfell", '"peer challenge" -fire', "council"]


class RolledBack(Exception):
    pass


def timings(query: str, runs: int) -> tuple[float, float, int]:
    times, count = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        results = search(query, Filters())
        count = results.page.paginator.count
        len(results.hits)
        times.append(time.perf_counter() - start)
    times.sort()
    return statistics.median(times) * 1000, times[int(0.95 * (len(times) - 1))] * 1000, count


def report(label: str, runs: int) -> None:
    entries = SearchEntry.objects.count()
    print(f"{label}: {entries} entries ({connection.vendor})")
    for query in QUERIES:
        median, p95, count = timings(query, runs)
        print(f"  {query!r:28} {count:6} results  median {median:7.1f} ms  p95 {p95:7.1f} ms")


def main(copies: int, runs: int) -> None:
    report("the demo's index", runs)
    try:
        with transaction.atomic():
            originals = list(SearchEntry.objects.all())
            for copy in range(1, copies):
                SearchEntry.objects.bulk_create(
                    SearchEntry(
                        **{f.attname: getattr(e, f.attname) for f in SearchEntry._meta.concrete_fields}
                        | {"id": None, "scope": f"{e.scope}:copy{copy}", "vector": None}
                    )
                    for e in originals
                )
            if connection.vendor == "postgresql":
                SearchEntry.objects.filter(vector=None).update(vector=search_vector())
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE lgaboard_searchentry")
            report(f"{copies} copies of it", runs)
            meeting = Meeting.objects.get(date="2017-11-01")
            start = time.perf_counter()
            search_refresh_meeting(meeting)
            seconds = time.perf_counter() - start
            print(f"refreshing the 1 November 2017 meeting's papers and note: {seconds:.2f} s")
            raise RolledBack
    except RolledBack:
        pass


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50, int(sys.argv[2]) if len(sys.argv) > 2 else 20)
