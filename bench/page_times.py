"""Benchmark: server time of the slowest pages against the smallest Django pages, in one process.

Run by hand after `make demo` (it reads the demo database; DATABASE_URL chooses another):
    .venv/bin/python bench/page_times.py [runs] [--html DIR]
Each page is asked for `runs` times (default 200, after two warm-up requests) through Django's test
client with DEBUG off, as in production, round after round so that a busy moment on a shared machine
slows every page alike. It prints each page's median and p95 in ms of wall-clock time and of the
process's CPU time (steadier where other work shares the cores), each p95 as a multiple of the
smallest page's, and the queries one request takes. `--html DIR` also writes each page's HTML there,
to compare the pages before and after a change (`diff -r before after`).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lgaboard.settings.dev")
os.environ.setdefault("DJANGO_DEBUG", "0")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

BOARD = "/boards/improvement-and-innovation-board/"
# (name, address, signed in as): the public receive the published pack as frozen, a clerk live.
PAGES = [
    ("sign-in page", "/sign-in/", None),
    ("board list", "/boards/", None),
    ("board page", BOARD, None),
    ("quarterly report", "/mou/2017-18/q2/", None),
    ("pack page (public, frozen)", f"{BOARD}2017-11-01/", None),
    ("pack page (clerk, live)", f"{BOARD}2017-11-01/", "clerk"),
]
SMALLEST = ("sign-in page", "board list")  # the faster of the two sets the scale


def client_for(username: str | None) -> Client:
    client = Client(HTTP_HOST="localhost")
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def first_request(client: Client, url: str) -> tuple[int, str]:
    """Two warm-up requests, then the queries one request takes and its HTML."""
    for _ in range(2):
        client.get(url)
    reset_queries()  # the log is emptied as each request starts: count from an empty one
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), response.content.decode()


def timed(client: Client, url: str) -> tuple[float, float]:
    """Wall-clock and CPU milliseconds of one request."""
    wall, cpu = time.perf_counter(), time.process_time()
    client.get(url)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def file_name(name: str, username: str | None) -> str:
    """'board-page.html', 'pack-page-clerk.html'."""
    return "-".join([name.split(" (")[0].replace(" ", "-"), *filter(None, [username])]) + ".html"


def main(runs: int, html_dir: Path | None) -> None:
    clients = [client_for(username) for _, _, username in PAGES]
    queries = {}
    for (name, url, username), client in zip(PAGES, clients, strict=True):
        queries[name], html = first_request(client, url)
        if html_dir:
            html_dir.mkdir(parents=True, exist_ok=True)
            (html_dir / file_name(name, username)).write_text(html)
    wall, cpu = ({name: [] for name, _, _ in PAGES} for _ in range(2))
    for _ in range(runs):
        for (name, url, _), client in zip(PAGES, clients, strict=True):
            took = timed(client, url)
            wall[name].append(took[0])
            cpu[name].append(took[1])
    smallest = {
        kind: min(p95(times[name]) for name in SMALLEST) for kind, times in (("wall", wall), ("cpu", cpu))
    }
    print(f"{runs} runs of each page; ×: its p95 over the smallest page's p95")
    print(f"{'':28} {'wall-clock ms':>24} {'CPU ms':>24}")
    print(f"{'page':28} {'median':>8} {'p95':>8} {'×':>6} {'median':>8} {'p95':>8} {'×':>6} {'queries':>8}")
    for name, _, _ in PAGES:
        cells = []
        for kind, times in (("wall", wall), ("cpu", cpu)):
            high = p95(times[name])
            cells.append(f"{statistics.median(times[name]):8.1f} {high:8.1f} {high / smallest[kind]:6.2f}")
        print(f"{name:28} {' '.join(cells)} {queries[name]:8d}")


if __name__ == "__main__":
    args = sys.argv[1:]
    html_dir = Path(args[args.index("--html") + 1]) if "--html" in args else None
    numbers = [arg for arg in args if arg.isdigit()]
    main(int(numbers[0]) if numbers else 200, html_dir)
