"""Benchmark: a revision of the 1 November 2017 agenda pack after editing one report, laid out in
parts (meetings.pack_sections), against a cold render of the whole pack in one pass.

Run by hand after `make demo` (it reads the demo database and changes nothing in it: the edit is
rolled back; the parts are kept in a temporary folder):
    .venv/bin/python bench/pack_revision.py [item number to edit, default 5]
Prints, for each render, wall time and the process's CPU time (CPU time is the steadier figure on
a shared machine), the parts laid out, and the revision's share of the cold render.
"""

import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lgaboard.settings.dev")

import django

django.setup()

from django.core.files.storage import FileSystemStorage  # noqa: E402
from django.db import transaction  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from meetings import pack_sections, pdf  # noqa: E402
from meetings.models import Meeting  # noqa: E402
from meetings.selectors import agenda_pack_for  # noqa: E402

PARAGRAPH = (
    "The board noted the update and asked officers for a further report at its next meeting, with figures."
)
EDITS = {
    "a paragraph added": [PARAGRAPH],  # no page moves: only the item is laid out again
    "a page added": [PARAGRAPH] * 14,  # every later page moves: the agenda and the furniture too
}


def timed(label: str, render, laid_out: list) -> tuple[bytes, float, float]:
    laid_out.clear()
    wall, cpu = time.perf_counter(), time.process_time()
    data = render()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    pages = len(PdfReader(io.BytesIO(data)).pages)
    parts = f", parts laid out: {', '.join(laid_out)}" if laid_out else ""
    print(f"{label}: {wall:.1f} s wall, {cpu:.1f} s CPU, {pages} pages{parts}")
    return data, wall, cpu


def main(number: int) -> None:
    meeting = Meeting.objects.get(board__slug="improvement-and-innovation-board", date="2017-11-01")
    laid_out: list[str] = []
    render_part = pack_sections.render_part

    def counting(name, *args, **kwargs):
        laid_out.append(name)
        return render_part(name, *args, **kwargs)

    pack_sections.render_part = counting
    with tempfile.TemporaryDirectory() as folder:
        cache = pack_sections.StorageCache(FileSystemStorage(location=folder))
        # Warm up once (templates, fonts, the stylesheet parsed): every render below pays the same.
        pdf.render_pack_pdf(agenda_pack_for(meeting))
        _, cold_wall, cold_cpu = timed(
            "cold, one pass (render_pack_pdf)",
            lambda: pdf.render_pack_pdf(agenda_pack_for(meeting)),
            laid_out,
        )
        timed(
            "in parts, empty cache",
            lambda: pack_sections.render_pack_pdf_incremental(agenda_pack_for(meeting), cache),
            laid_out,
        )
        timed(
            "in parts, nothing changed",
            lambda: pack_sections.render_pack_pdf_incremental(agenda_pack_for(meeting), cache),
            laid_out,
        )
        for label, paragraphs in EDITS.items():
            with transaction.atomic():
                report = meeting.items.get(number=number).report
                report.body += "\n\n" + "\n\n".join(paragraphs)
                report.save(update_fields=["body"])
                _, wall, cpu = timed(
                    f"in parts, item {number}'s report edited, {label}",
                    lambda: pack_sections.render_pack_pdf_incremental(agenda_pack_for(meeting), cache),
                    laid_out,
                )
                transaction.set_rollback(True)
            print(f"  revision / cold: {wall / cold_wall:.0%} wall, {cpu / cold_cpu:.0%} CPU (target ≤ 25 %)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
