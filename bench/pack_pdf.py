"""Benchmark: render the 1 November 2017 agenda pack (or a pack N times its size) to PDF in one
pass, against one plain tagged WeasyPrint pass over the same HTML.

Run by hand after `make demo` (it reads the demo database and writes nothing):
    .venv/bin/python bench/pack_pdf.py [--times N]
Prints, for the cold render (meetings.pdf.render_pack_pdf: one layout, tags finished, annexes
merged) and for the plain pass (HTML(...).render().write_pdf(pdf_variant="pdf/ua-1") on the same
HTML): wall and CPU time, pages, size; the ratio of the two; the layouts the cold render made; and
the process's peak resident memory after the cold render (run it in a fresh process for that figure).
A pack N times the size repeats the items (numbered on: 11, 12, ...), made in memory only.
With --parts, the cold render is the one publication makes: each part laid out alone and joined
(meetings.pack_sections, its parts kept in a temporary folder), and only it is run, for its peak
memory in a fresh process:
    .venv/bin/python bench/pack_pdf.py --times 4 --parts
"""

import argparse
import copy
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lgaboard.settings.dev")

import django

django.setup()

from django.core.files.storage import FileSystemStorage  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from weasyprint import HTML  # noqa: E402

from lgaboard.pdf import BASE_URL, StaticFilesFetcher  # noqa: E402
from meetings import pack_sections, pdf  # noqa: E402
from meetings.models import Meeting  # noqa: E402
from meetings.selectors import agenda_pack_for  # noqa: E402


def _clone(obj, **cached):
    clone = copy.copy(obj)
    clone._state = copy.copy(obj._state)
    clone._state.fields_cache = {**obj._state.fields_cache, **cached}
    return clone


def enlarged(pack, times: int):
    """The pack with its items repeated `times` over, numbered on, each clone with its own report and
    annexes (so anchors, ranges and bookmarks are distinct)."""
    items = list(pack.items)
    last = max(item.number for item in items)
    for round_ in range(1, times):
        for item in items:
            clone = _clone(item)
            clone.number = item.number + round_ * last
            report = getattr(item, "report", None)
            if report is not None:
                cloned_report = _clone(report, item=clone)
                annexes = [_clone(annex, report=cloned_report) for annex in report.annexes.all()]
                prefetched = dict(getattr(report, "_prefetched_objects_cache", {}))
                queryset = report.annexes.all()._chain()
                queryset._result_cache, queryset._prefetch_done = annexes, True
                prefetched["annexes"] = queryset
                cloned_report._prefetched_objects_cache = prefetched
                clone._state.fields_cache["report"] = cloned_report
            pack.items.append(clone)
    return pack


def timed(label, render):
    wall, cpu = time.perf_counter(), time.process_time()
    data = render()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    pages = len(PdfReader(io.BytesIO(data)).pages)
    print(f"{label}: {wall:.1f} s wall, {cpu:.1f} s CPU, {pages} pages, {len(data) / 1024:.0f} KiB")
    return cpu


def main(times: int, parts: bool = False) -> None:
    meeting = Meeting.objects.get(board__slug="improvement-and-innovation-board", date="2017-11-01")
    pack = enlarged(agenda_pack_for(meeting), times)
    if parts:
        with tempfile.TemporaryDirectory() as folder:
            cache = pack_sections.StorageCache(FileSystemStorage(location=folder))
            timed(
                f"cold render in parts, pack x{times}",
                lambda: pack_sections.render_pack_pdf_incremental(pack, cache),
            )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak resident memory after the cold render in parts: {peak:.0f} MiB")
        return
    layouts = []
    render_document = pdf.render_document
    pdf.render_document = lambda html: layouts.append(1) or render_document(html)
    cold = timed(f"cold render, pack x{times}", lambda: pdf.render_pack_pdf(pack))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"layouts: {len(layouts)}; peak resident memory after the cold render: {peak:.0f} MiB")
    html = render_to_string(
        "meetings/meeting_detail.html",
        {**pdf_context(pack), "range_ends": pdf.range_entries(pack)},
    )

    def plain():
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher()).render()
        return document.write_pdf(pdf_variant="pdf/ua-1")

    one_pass = timed("one plain tagged pass over the same HTML", plain)
    print(f"cold render / plain pass (CPU): {cold / one_pass:.2f}")


def pdf_context(pack) -> dict:
    return {
        "pack": pack,
        "meeting": pack.meeting,
        "pdf": True,
        "pdf_header": [pack.meeting.board_name, f"{pack.meeting.date:%-d %B %Y}"],
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--times", type=int, default=1, help="repeat the items: a pack N times the size")
    parser.add_argument("--parts", action="store_true", help="render in parts, as publication does")
    arguments = parser.parse_args()
    main(arguments.times, arguments.parts)
