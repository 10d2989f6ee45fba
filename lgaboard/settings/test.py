"""Tests: fast hashing, throwaway media, the same database choice as everywhere (DATABASE_URL)."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105 - used by the test suite only
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="lgaboard-test-media-"))
# The file system whatever the environment names (tests/meetings/test_storage.py runs the S3 store).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "papers": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# A second, empty database (made and dropped by the one test that uses it) where migrations run
# backwards and forwards (tests/meetings/test_storage.py): SQLite cannot alter tables inside
# a test's transaction, and flushing the default database afterwards would lose the demo.
_default = DATABASES["default"]
DATABASES = {
    **DATABASES,
    "migrations": {
        **_default,
        # SQLite: in memory, as the default test database is; elsewhere, named after it.
        "TEST": {"NAME": None if "sqlite" in _default["ENGINE"] else f"test_{_default['NAME']}_migrations"},
    },
}

# Tasks run at once, in the test's own process and transaction (`.ci/run` also publishes through a
# real worker on Redis).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": TASK_QUEUES}}  # noqa: F405

# Public pages are kept whole only in the tests of that (tests/lgaboard/test_public_pages.py).
LGABOARD_PUBLIC_PAGE_CACHE = 0
