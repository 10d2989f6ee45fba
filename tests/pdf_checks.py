"""Looking at a PDF as its reader would: its pages as pixels (poppler's pdftoppm), and what a PDF/UA-1
checker (outloud) finds in it.

Pixel checks count coloured pixels in regions of a page, never compare images: fonts antialias
differently from one machine to the next, colours and their places do not.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image

# GOV.UK Frontend colours, as the charts print them.
GREEN = (0x00, 0x70, 0x3C)
AMBER = (0xFF, 0xDD, 0x00)
RED = (0xD4, 0x35, 0x1C)


def page_image(pdf: bytes, page: int = 1, dpi: int = 50) -> Image.Image:
    """Page `page` (1-based) of the PDF as an RGB image, drawn by pdftoppm as a reader's viewer would."""
    if shutil.which("pdftoppm") is None:
        message = "pdftoppm not found: install poppler-utils to look at the PDFs' pages (.ci/run does)"
        if os.environ.get("LGABOARD_PIXEL_TESTS") == "required":
            pytest.fail(message)
        pytest.skip(message)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "paper.pdf"
        source.write_bytes(pdf)
        command = ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile"]
        subprocess.run([*command, str(source), str(Path(folder) / "page")], check=True, timeout=120)
        with Image.open(Path(folder) / "page.png") as image:
            return image.convert("RGB")


def near(colour: tuple[int, int, int], target: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, target, strict=True))


def count_pixels(image: Image.Image, predicate, box: tuple[float, float, float, float] = (0, 0, 1, 1)) -> int:
    """How many pixels in `box` (fractions of the page: left, top, right, bottom) satisfy `predicate`."""
    width, height = image.size
    left, top, right, bottom = box
    region = image.crop((int(left * width), int(top * height), int(right * width), int(bottom * height)))
    data = region.tobytes()
    return sum(1 for at in range(0, len(data), 3) if predicate((data[at], data[at + 1], data[at + 2])))


def is_dark(pixel) -> bool:
    return max(pixel) < 80


def is_ink(pixel) -> bool:
    """Anything a reader would see on white paper."""
    return min(pixel) < 200


def largest_dark_run(image: Image.Image) -> int:
    """The longest horizontal run of near-black pixels on any row: a solid black bar is hundreds of
    pixels long, text (even bold, even at small sizes) only a few."""
    width, height = image.size
    pixels = image.load()
    longest = 0
    for y in range(height):
        run = 0
        for x in range(width):
            if is_dark(pixels[x, y]):
                run += 1
                longest = max(longest, run)
            else:
                run = 0
    return longest


def _checked(pdf: bytes, checker):
    """Run a checker that reads a file on the PDF's bytes."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return checker(handle.name)


def outloud_findings(pdf: bytes, severity: str = "error") -> list[str]:
    """What outloud (PDF/UA-1, Matterhorn, WCAG 2.2) reports in the PDF at `severity`, one line each; a
    rule that crashed counts as an error (it checked nothing)."""
    from outloud import check

    result = _checked(pdf, check)
    if result.error:
        return [f"not checked: {result.error}"]
    lines = [
        f"{f.rule} p.{f.page}: {f.message} ({f.evidence})" for f in result.findings if f.severity == severity
    ]
    if severity == "error":
        lines += [f"{run.rule} crashed: {run.reason}" for run in result.runs if run.status == "crashed"]
    return lines


def tallest_dark_block(image: Image.Image, width: int = 60) -> int:
    """How many consecutive rows each hold a near-black run at least `width` pixels long: a chart bar
    printed black is a block many rows tall; a rule under a heading is one or two rows, text none."""
    pixels = image.load()
    columns, rows = image.size
    tallest = current = 0
    for y in range(rows):
        run = longest = 0
        for x in range(columns):
            run = run + 1 if is_dark(pixels[x, y]) else 0
            longest = max(longest, run)
        current = current + 1 if longest >= width else 0
        tallest = max(tallest, current)
    return tallest


def pdfua_findings(pdf: bytes) -> list[str]:
    """What pdfua (the machine-checkable subset of PDF/UA-1) reports in the PDF, one line each."""
    from pdfua import validate

    return [f"{f.rule_id} {f.severity.name}: {f.message}" for f in _checked(pdf, validate).findings]
