"""The README's pictures of the PDF papers: one page of each kind, drawn by poppler's pdftoppm.

Run by hand after `make demo` (it reads the demo database; needs poppler-utils):
    .venv/bin/python bench/pdf_pages.py
Writes docs/pdf-pages/<kind>.png. The merged-annex picture uploads a sample annex (made here, and
saying so) to item 5 inside a transaction that is rolled back: the demo data is left as it was.
"""

import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lgaboard.settings.dev")

import django

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from weasyprint import HTML  # noqa: E402

from meetings.models import Annex, Meeting  # noqa: E402
from meetings.pdf import render_pack_pdf  # noqa: E402
from meetings.selectors import agenda_pack_for  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BOARD = "/boards/improvement-and-innovation-board"
OUT = ROOT / "docs" / "pdf-pages"
# kind: (address, page shown)
PAPERS = {
    "agenda-pack": (f"{BOARD}/2017-11-01/pack.pdf", 2),
    "agenda-item": (f"{BOARD}/2017-11-01/items/3.pdf", 3),
    "minutes": (f"{BOARD}/2017-07-11/minutes.pdf", 1),
    "attendance-register": (f"{BOARD}/attendance/2017-18.pdf", 1),
    "quarterly-report": ("/mou/2017-18/q2.pdf", 1),
    "sector-update": ("/mou/2017-18/update.pdf", 1),
}
SAMPLE_ANNEX = """<html lang="en"><head><title>Sample annex</title><style>
  @page { size: A4; margin: 12mm; @bottom-center { content: "The annex's own footer"; } }
  body { font: 12pt sans-serif; } h1 { font-size: 20pt; }
</style></head><body><h1>A sample uploaded annex</h1>
<p>This page was made for the README's picture of a merged annex: an uploaded PDF with its own
margins and footer, drawn inside the pack's content box under a line naming it.</p></body></html>"""


def draw(pdf: bytes, page: int, name: str) -> None:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        target = OUT / name
        command = ["pdftoppm", "-png", "-r", "60", "-singlefile", "-f", str(page), "-l", str(page)]
        subprocess.run([*command, handle.name, target], check=True)  # noqa: S603 - our own arguments
    print(f"{target}.png")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    client = Client(HTTP_HOST="127.0.0.1")
    for name, (address, page) in PAPERS.items():
        draw(client.get(address).content, page, name)
    with transaction.atomic():
        meeting = Meeting.objects.get(board__slug="improvement-and-innovation-board", date="2017-11-01")
        report = meeting.items.get(number=5).report
        annex = Annex.objects.create(
            report=report,
            letter="Z",
            title="Sample uploaded annex",
            pdf=SimpleUploadedFile("sample.pdf", HTML(string=SAMPLE_ANNEX).write_pdf()),
        )
        pack = render_pack_pdf(agenda_pack_for(Meeting.objects.get(pk=meeting.pk)))
        pages = PdfReader(io.BytesIO(pack)).pages
        caption = "Sample uploaded annex, page 1"
        reserved = next(i for i, page in enumerate(pages, start=1) if caption in page.extract_text())
        draw(pack, reserved, "merged-annex")
        annex.pdf.delete(save=False)
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
