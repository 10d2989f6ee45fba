"""Rendering the portal's own pages to PDF with WeasyPrint: one template for HTML and PDF.

A page view becomes its PDF by adding PdfMixin: the same context, the same template, with
`pdf` set so the template adds page furniture (running header, page numbers), and print CSS.
"""

import mimetypes
from pathlib import Path

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

from lgaboard.pdf_tagging import finish_tagging

STATIC_PREFIX = "/static/"
BASE_URL = "https://lgaboard.invalid/"


class StaticFilesFetcher(URLFetcher):
    """Give WeasyPrint the portal's own static files from disk; fetch nothing from outside."""

    def fetch(self, url, headers=None):
        path = url.removeprefix(BASE_URL.rstrip("/"))
        if path.startswith(STATIC_PREFIX):
            name = path.removeprefix(STATIC_PREFIX)
            found = finders.find(name) or collected_static(name)
            if found:
                mime, _ = mimetypes.guess_type(found)
                body = Path(found).read_bytes()
                return URLFetcherResponse(
                    url, body=body, headers={"Content-Type": mime or "application/octet-stream"}
                )
        if url.startswith("data:"):
            return super().fetch(url, headers)
        raise URLFetchingError(f"Not fetched while rendering a PDF: {url}")


def collected_static(name: str) -> str | None:
    """A file collected into STATIC_ROOT under the name the page links to: in production the
    manifest storage links `css/lgaboard.<hash>.css`, which the finders (looking in the sources)
    do not know."""
    try:
        path = staticfiles_storage.path(name)
    except (NotImplementedError, ImproperlyConfigured):  # no files on this machine, or no STATIC_ROOT
        return None
    return path if Path(path).is_file() else None


def render_document(html: str):
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher()).render()


def write_pdf(document) -> bytes:
    """Tagged PDF/UA-1, as the public sector must publish: WeasyPrint's tags, finished so that a
    PDF/UA-1 checker finds nothing (page furniture as artifacts, header scopes, list bodies)."""
    return finish_tagging(document.write_pdf(pdf_variant="pdf/ua-1"))


def render_template_pdf(template_name: str, context: dict, request=None) -> bytes:
    html = render_to_string(template_name, {**context, "pdf": True}, request=request)
    return write_pdf(render_document(html))


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    return HttpResponse(
        data,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


class PdfMixin:
    """Serve a TemplateView's page as a PDF. Subclasses say what the file is called."""

    def get_pdf_filename(self, context) -> str:
        raise NotImplementedError

    def render_to_response(self, context, **response_kwargs):
        data = render_template_pdf(self.template_name, context, request=self.request)
        return pdf_response(data, self.get_pdf_filename(context))
