"""Files in storage (Django's STORAGES), not in database rows: the file system under MEDIA_ROOT, or an
S3-compatible store (django-storages) where the settings name a bucket.

Two storages. "default" holds what clerks upload (annexes, venue maps): confidential until published,
so never at a public address; a view checks who asks, then streams the file or, where the storage
signs short-lived addresses (S3), redirects to one (`signed_url`). "papers" holds what publication
freezes (a pack's page and PDF, each item's pages), each file named by the hash of its bytes
(`published/<sha256>.<ext>`): the same bytes are stored once, a name never changes what it holds, and
the hash is the file's ETag (`stored_file_response`).
"""

import hashlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db.models.fields.files import FieldFile
from django.dispatch import receiver
from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.functional import LazyObject, empty
from django.utils.http import content_disposition_header

PAPERS = "papers"
PUBLISHED_FOLDER = "published"


class PapersStorage(LazyObject):
    """STORAGES["papers"], looked up when first used (and again after a test changes STORAGES)."""

    def _setup(self):
        self._wrapped = storages[PAPERS]


papers_storage = PapersStorage()


def get_papers_storage() -> PapersStorage:
    """For `FileField(storage=...)`: a callable, so that migrations name it rather than a backend."""
    return papers_storage


@receiver(setting_changed)
def _forget_papers_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        papers_storage._wrapped = empty


def save_content_addressed(content: bytes, *, extension: str) -> str:
    """Store `content` in the papers storage under the hash of its bytes, and return that name.
    Bytes already stored are not written again."""
    name = f"{PUBLISHED_FOLDER}/{hashlib.sha256(content).hexdigest()}.{extension}"
    if not papers_storage.exists(name):
        saved = papers_storage.save(name, ContentFile(content))
        if saved != name:  # another process stored the same bytes meanwhile: theirs is the one
            papers_storage.delete(saved)
    return name


def content_hash(file: FieldFile | str) -> str:
    """The hash a content-addressed file (its field, or its name) is named by."""
    return PurePosixPath(file if isinstance(file, str) else file.name).stem


def read_bytes(file: FieldFile) -> bytes:
    with file.storage.open(file.name, "rb") as handle:
        return handle.read()


def read_text(file: FieldFile) -> str:
    return read_bytes(file).decode()


def not_modified(request: HttpRequest, file: FieldFile | str) -> HttpResponseBase | None:
    """304 Not Modified (with the ETag) when the reader already holds this content-addressed file;
    otherwise None."""
    etag = f'"{content_hash(file)}"'
    response = get_conditional_response(request, etag=etag)
    if response is not None:
        response.headers["ETag"] = etag
    return response


@dataclass(frozen=True)
class StoredFile:
    """A content-addressed file of the papers storage as a response serves it (what
    lgaboard.public_pages keeps of that response: the name, not the bytes)."""

    name: str
    filename: str
    content_type: str


def stored_file_response(
    request: HttpRequest, file: FieldFile | str, *, filename: str, content_type: str
) -> HttpResponseBase:
    """A content-addressed file of the papers storage (its field, or its name), streamed, shown in
    the browser under `filename`, its hash sent as a strong ETag (a cache that holds it is told 304
    Not Modified)."""
    name = file if isinstance(file, str) else file.name
    if (response := not_modified(request, name)) is None:
        response = FileResponse(papers_storage.open(name, "rb"), content_type=content_type, filename=filename)
        response.headers["ETag"] = f'"{content_hash(name)}"'
    response.stored_file = StoredFile(name, filename, content_type)
    return response


def signed_url(file: FieldFile, *, filename: str, content_type: str) -> str | None:
    """Where the file's storage signs short-lived addresses (S3 with query-string authentication),
    one that serves the file as the view would; None where it does not (the file system): stream it.
    Only a view that has checked the reader may read the file asks for one."""
    if not getattr(file.storage, "querystring_auth", False):
        return None
    disposition = content_disposition_header(as_attachment=False, filename=filename)
    parameters = {"ResponseContentType": content_type, "ResponseContentDisposition": disposition}
    return file.storage.url(file.name, parameters=parameters)
