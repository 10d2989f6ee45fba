"""Benchmark: download the published 1 November 2017 pack as the public does (page and PDF).

Run by hand after `make demo` (it reads the demo database):
    .venv/bin/python bench/pack_download.py [runs]
The public receive the page and PDF frozen at publication, so this measures serving them, not
rendering (bench/pack_pdf.py measures rendering, done once at publication).
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lgaboard.settings.dev")

import django

django.setup()

from django.test import Client  # noqa: E402

PACK = "/boards/improvement-and-innovation-board/2017-11-01/"


def main(runs: int) -> None:
    client = Client(HTTP_HOST="localhost")
    for url in (PACK, PACK + "pack.pdf"):
        times, sizes = [], set()
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            sizes.add(len(response.getvalue()))  # the PDF is streamed from storage
        identical = "identical" if len(sizes) == 1 else "DIFFERENT"
        spread = f"{min(times):.0f}–{max(times):.0f} ms"
        print(f"{url}: {spread} over {runs} runs, {identical} bodies ({sizes.pop()} bytes)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
