"""Public pages kept whole in the shared cache, and given again until anything is written.

The public receive the same page as each other (no drafts, no confidential items, no account), so a
page rendered for one member of the public may be given to the next. It is kept under the
*generation* of the database: a number in the cache that every committed write makes another
(`count_writes`, installed on each database connection), in whichever process or server it is made:
the admin, a service, a worker publishing a pack, a management command. A page is kept under the
generation read before it was rendered, so a page that may have missed a write is never given
again after it. The date is part of the key too (pages say what is upcoming).

Every statement but a read counts as a write (fail safe), except writes to the tables of sessions,
the sign-in throttle, two-factor devices and the task queue. A migration (a release) moves the
generation on too; so may LGABOARD_RELEASE, which is part of the key.

Only where the cache is shared by every process (Redis: `LGABOARD_PUBLIC_PAGE_CACHE` seconds, on
by default when LGABOARD_CACHE_URL is set and in production): with each process's own memory, a
worker's publication could not reach the server's copy. Only for requests that carry no session (a
signed-in reader, or a visitor with a message waiting, has one), only for a page's own address
(no query), and only what holds no form token or cookie of its own. A file stored by publication is
kept as its name, not its bytes, and streamed. Where the cache cannot be reached, pages are rendered
as without it and writes stand (logged): pages kept before such a write may then be given until
they expire. Writes made outside Django (psql) are not seen until then either.
"""

import functools
import hashlib
import logging
import re
import time

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.cache import get_conditional_response

from . import storage

GENERATION_KEY = "public-pages:generation"
# What reads or only steers a transaction; any other statement counts as a write (fail safe: SQLite's
# INSERT OR IGNORE for many-to-many links, TRUNCATE, WITH … UPDATE, whatever comes).
NOT_WRITES = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "PRAGMA", "SHOW", "SET ")
# The table a plain INSERT, UPDATE or DELETE writes to, where it can be read.
WRITTEN_TABLE = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE
)
# Tables written to by signing in, by the task queue, by the throttle, by a signed-in reader
# opening a pack (meetings.PackOpened) and by e-mails about papers: no public page shows them.
UNSEEN_TABLES = (
    "django_session",
    "axes_",
    "otp_",
    "django_tasks",
    "django_admin_log",
    "meetings_packopened",
    "meetings_subscription",  # the public's e-mail alerts
    "meetings_notification",  # who was e-mailed
)
MESSAGES_COOKIE = "messages"  # django.contrib.messages' cookie storage
LARGEST_KEPT = 5 * 1024 * 1024  # bytes of a page or PDF kept whole; larger ones are rendered each time

logger = logging.getLogger(__name__)


def generation() -> int:
    """The number public pages are kept under; another one after each committed write."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = afresh()
    return value


def afresh() -> int:
    """A generation never used before, should the cache have lost the number (emptied, or evicted
    under memory pressure) while pages kept under earlier ones remain: the time in nanoseconds, above
    any number counted up from an earlier start."""
    cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
    return cache.get(GENERATION_KEY) or time.time_ns()


def next_generation(**kwargs) -> None:
    """Every page kept so far is given no more. Where the cache cannot be reached, the write stands
    and is logged: the pages kept before it may then be given until they expire."""
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # not there (the cache lost it): a number never used before
            afresh()
    except Exception:
        logger.exception("Public pages: the cache could not be told of a write")


class _AfterCommit:
    """The next generation, once the transaction commits: one per transaction however many rows it
    writes (a callback already waiting is not added again)."""

    def __init__(self):
        self.waiting = True

    def __call__(self):
        self.waiting = False
        next_generation()


def is_counted(sql: str) -> bool:
    """A statement that may change what a page shows."""
    if sql.lstrip(" \n\t(")[:9].upper().startswith(NOT_WRITES):
        return False
    written = WRITTEN_TABLE.match(sql)
    return written is None or not written[1].startswith(UNSEEN_TABLES)


def count_writes(execute, sql, params, many, context):
    """A database execute wrapper: a write to a table a page may show makes the next generation once
    its transaction commits (at once outside one)."""
    result = execute(sql, params, many, context)
    if is_counted(sql):
        connection = context["connection"]
        if not connection.in_atomic_block:
            next_generation()
        elif not any(
            isinstance(entry[1], _AfterCommit) and entry[1].waiting for entry in connection.run_on_commit
        ):
            transaction.on_commit(_AfterCommit(), using=connection.alias, robust=True)
    return result


def watch_writes(sender=None, connection=None, **kwargs):
    """Installed on each database connection as it opens (LgaboardConfig.ready, in every process)."""
    if count_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(count_writes)


def for_the_public(request: HttpRequest) -> bool:
    """A request with no session and no message waiting in a cookie: a member of the public's; and
    for a page's own address, without a query (a filtered or sorted list is rendered each time, so
    that nobody can fill the cache with addresses of their own making)."""
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in cookies
        and MESSAGES_COOKIE not in cookies
    )


def page_key(request: HttpRequest, generation_now: int) -> str:
    """The generation, the release (pages name the stylesheet of theirs), the day, the address."""
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    hashed = hashlib.blake2b(address.encode(), digest_size=20).hexdigest()
    return f"public-pages:{generation_now}:{release()}:{timezone.localdate()}:{hashed}"


def release() -> str:
    """LGABOARD_RELEASE where the deployment sets it, else the collected static files' manifest hash
    (a release whose stylesheet changed has another), else ''."""
    return settings.LGABOARD_RELEASE or getattr(staticfiles_storage, "manifest_hash", "") or ""


def kept_for_the_public(view):
    """Decorate a view whose page the public may all receive alike (urls.py)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        seconds = settings.LGABOARD_PUBLIC_PAGE_CACHE
        if not seconds or not for_the_public(request):
            return view(request, *args, **kwargs)
        try:
            key = page_key(request, generation())
            kept = cache.get(key)
        except Exception:  # the cache cannot be reached: the page is rendered, as without it
            logger.exception("Public pages: the cache could not be read")
            return view(request, *args, **kwargs)
        if kept is not None:
            return given_again(request, kept)
        response = view(request, *args, **kwargs)

        def keep(rendered):
            if (keepable := to_keep(request, rendered)) is not None:
                try:
                    cache.set(key, keepable, seconds)
                except Exception:
                    logger.exception("Public pages: a page could not be kept")

        if getattr(response, "is_rendered", True):
            keep(response)
        else:  # a template response, rendered after the view: what it holds is known then
            response.add_post_render_callback(keep)
        return response

    return wrapped


def to_keep(request: HttpRequest, response):
    """What to keep of a response (None: nothing): a page in full, a stored file by its name. Not a
    page holding a form's token, setting a cookie, or rendered for someone signed in."""
    if response.status_code != 200 or response.cookies:
        return None
    if request.META.get("CSRF_COOKIE_USED") or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return None
    if request.user.is_authenticated:
        return None
    if stored := getattr(response, "stored_file", None):
        return stored
    if response.streaming or len(response.content) > LARGEST_KEPT:
        return None
    return response


def given_again(request: HttpRequest, kept):
    if isinstance(kept, storage.StoredFile):
        return storage.stored_file_response(
            request, kept.name, filename=kept.filename, content_type=kept.content_type
        )
    etag = kept.get("ETag")
    if etag and (unchanged := get_conditional_response(request, etag=etag)) is not None:
        unchanged.headers["ETag"] = etag
        return unchanged
    return kept
