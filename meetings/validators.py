"""Checks on uploaded files, run before anything is saved."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from pypdf import PdfReader
from pypdf.errors import PdfReadError


def validate_pdf_upload(upload) -> None:
    """Refuse anything that is not a readable PDF of a sensible size, whatever its name says."""
    limit = settings.ANNEX_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(f"This file is larger than the {filesizeformat(limit)} allowed.")
    upload.seek(0)
    if upload.read(5) != b"%PDF-":
        raise ValidationError("This file is not a PDF: choose a PDF document.")
    upload.seek(0)
    try:
        pages = len(PdfReader(upload).pages)
    except (PdfReadError, ValueError, OSError) as error:
        raise ValidationError("This PDF could not be read; it may be damaged.") from error
    finally:
        upload.seek(0)
    if pages == 0:
        raise ValidationError("This PDF has no pages.")
