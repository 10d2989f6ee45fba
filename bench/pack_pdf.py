"""Benchmark: render the 1 November 2017 agenda pack to PDF.

Run by hand after `make demo` (it reads the demo database):
    .venv/bin/python bench/pack_pdf.py [runs]
Prints wall time per run, pages, size, render passes, and the process's peak resident memory.
"""

import io
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lgaboard.settings.dev")

import django

django.setup()

from pypdf import PdfReader  # noqa: E402

from meetings import pdf  # noqa: E402
from meetings.models import Meeting  # noqa: E402
from meetings.selectors import agenda_pack_for  # noqa: E402


def main(runs: int) -> None:
    meeting = Meeting.objects.get(board__slug="improvement-and-innovation-board", date="2017-11-01")
    passes = []
    original = pdf.page_ranges

    def counting(*args, **kwargs):
        passes[-1] += 1
        return original(*args, **kwargs)

    pdf.page_ranges = counting
    for run in range(1, runs + 1):
        passes.append(0)
        started = time.perf_counter()
        data = pdf.render_pack_pdf(agenda_pack_for(meeting))
        elapsed = time.perf_counter() - started
        pages = len(PdfReader(io.BytesIO(data)).pages)
        size = f"{len(data) / 1024:.0f} KiB"
        print(f"run {run}: {elapsed:.1f} s, {pages} pages, {size}, {passes[-1]} render passes")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:.0f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
