"""Settings shared by every environment."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in env(name, default).split(",") if part.strip()]


def require(name: str) -> str:
    value = env(name)
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "lgaboard.apps.PortalAdminConfig",  # Django's admin on the portal's site (lgaboard/admin.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "django_tables2",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "lgaboard.apps.LgaboardConfig",
    "meetings",
    "mou",
    "programmes",
    "opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor sign-in: who has given a code (django-otp), and nothing else until they must have.
    "django_otp.middleware.OTPMiddleware",
    "lgaboard.two_factor.TwoFactorMiddleware",
    "lgaboard.middleware.PrivateForSignedInUsersMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Inside the security headers' middleware, so its 404 carries them too.
    "lgaboard.middleware.RefuseNulMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with its own response.
    "axes.middleware.AxesMiddleware",
]

# Content Security Policy (django-csp; Django's own arrives in 6.0). The pages use no inline
# script or style and load nothing from elsewhere, so everything is 'self'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Login attempts are limited (django-axes): after 5 failures for a username from an address, that
# pair is locked out for an hour.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",  # per-object rules: lgaboard/permissions.py
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("LGABOARD_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
# Who the client is: REMOTE_ADDR, or behind LGABOARD_PROXY_COUNT proxies of ours, the address the
# outermost was given (lgaboard/throttle.py); the login lockout and the reset throttle share it.
LGABOARD_PROXY_COUNT = int(env("LGABOARD_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "lgaboard.throttle.client_address"

# Counts that must hold across processes (the password-reset throttle) live in the cache: a shared
# Redis where LGABOARD_CACHE_URL names one (production), else each process's memory.
CACHE_URL = env("LGABOARD_CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Public pages kept whole in the cache for this many seconds (lgaboard/public_pages.py), given again
# until anything is written: only where the cache is shared by every process (Redis), so on by
# default when LGABOARD_CACHE_URL names one; 0 turns it off. LGABOARD_RELEASE (optional) names the
# release, so that one release never gives another's pages; by default the static files' manifest.
LGABOARD_PUBLIC_PAGE_CACHE = int(env("LGABOARD_PUBLIC_PAGE_CACHE", "600" if CACHE_URL else "0"))
LGABOARD_RELEASE = env("LGABOARD_RELEASE", "")

# A sheet with more rows than this (below its headings) is imported by a worker, the officer watching
# its page, rather than while the request waits (mou/sheet_imports.py).
LGABOARD_SHEET_ROWS_IN_REQUEST = int(env("LGABOARD_SHEET_ROWS_IN_REQUEST", "100"))

# Two-factor sign-in (lgaboard/two_factor.py): staff must use it where this is on (always in
# production); anyone may turn it on for themselves. The authenticator app shows this issuer name.
LGABOARD_STAFF_TWO_FACTOR = env_bool("LGABOARD_STAFF_TWO_FACTOR", False)
OTP_TOTP_ISSUER = env("LGABOARD_TWO_FACTOR_ISSUER", "Board papers")
# Nobody, superusers included, can read another person's authenticator secret in the admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Earlier versions in the admin's history are read only (lgaboard/admin.py refuses the revert).
SIMPLE_HISTORY_REVERT_DISABLED = True

ROOT_URLCONF = "lgaboard.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "lgaboard.wsgi.application"

# SQLite by default so a new user needs nothing else; PostgreSQL whenever DATABASE_URL is set.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded annexes are never served from a public media URL: views check access, then stream them
# (or, from an S3 store, redirect to an address signed for a minute).
MEDIA_ROOT = Path(env("LGABOARD_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media-not-served/"
ANNEX_UPLOAD_MAX_BYTES = int(env("LGABOARD_ANNEX_MAX_BYTES", str(20 * 1024 * 1024)))
# A pack lays out every page of its PDF annexes, and readers' software unpacks what a PDF compresses:
# a few hundred kilobytes can hold thousands of pages, or gigabytes of drawing and images.
ANNEX_MAX_PAGES = int(env("LGABOARD_ANNEX_MAX_PAGES", "300"))
ANNEX_MAX_DECODED_BYTES = int(env("LGABOARD_ANNEX_MAX_DECODED_BYTES", str(200 * 1024 * 1024)))


def s3_storages(bucket: str, *, endpoint_url: str | None = None, region: str | None = None) -> dict:
    """The default and papers storages in an S3-compatible bucket (django-storages). The keys come
    from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment (or the machine's role),
    never from a settings file."""
    common = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url,
        "region_name": region,
        "signature_version": "s3v4",
        # A local or self-hosted store answers at one address, not at a host name per bucket.
        "addressing_style": "path" if endpoint_url else None,
    }
    backend = "storages.backends.s3.S3Storage"
    return {
        # Uploads: a second file of the same name never replaces the first, and a reader is sent,
        # after the view has checked them, to an address signed for one minute.
        "default": {
            "BACKEND": backend,
            "OPTIONS": {
                **common,
                "file_overwrite": False,
                "querystring_auth": True,
                "querystring_expire": 60,
            },
        },
        # Published papers: named by their content, served through the views.
        "papers": {"BACKEND": backend, "OPTIONS": {**common, "querystring_auth": False}},
    }


# Files (lgaboard/storage.py): what clerks upload in "default" (never at a public address: the views
# check who asks), what publication freezes in "papers" (named by content). Both on the file system
# under MEDIA_ROOT, or in an S3-compatible store when LGABOARD_S3_BUCKET names a bucket.
S3_BUCKET = env("LGABOARD_S3_BUCKET")
STORAGES = {
    **(
        s3_storages(S3_BUCKET, endpoint_url=env("LGABOARD_S3_ENDPOINT_URL"), region=env("LGABOARD_S3_REGION"))
        if S3_BUCKET
        else {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "papers": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        }
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Everyone signs in on the portal's own page; the admin keeps its login for staff.
LOGIN_URL = "sign_in"
LOGIN_REDIRECT_URL = "/your-papers/"  # a reader's own front page (meetings.views.FrontPageView)

# A forgotten password is reset by a link sent by e-mail (lgaboard/views.py). The link works once and
# for this long (seconds; the pages and the e-mail say it); at most PASSWORD_RESET_LIMIT links may be
# asked for in an hour from one address, and for one e-mail address (counted in the default cache).
PASSWORD_RESET_TIMEOUT = int(env("LGABOARD_PASSWORD_RESET_TIMEOUT", str(24 * 60 * 60)))
PASSWORD_RESET_LIMIT = int(env("LGABOARD_PASSWORD_RESET_LIMIT", "5"))

# E-mail goes by SMTP (development prints it to the console instead: dev.py). The password comes
# from the environment only.
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(env("DJANGO_EMAIL_TIMEOUT", "10"))  # seconds; Django's default is to wait forever
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "Board papers <noreply@localhost>")
# An e-mail service instead of SMTP: install django-anymail (it is not a dependency), name its backend
# (DJANGO_EMAIL_BACKEND=anymail.backends.mailgun.EmailBackend…) and give its settings as ANYMAIL_*
# variables (ANYMAIL_MAILGUN_API_KEY…), which become the ANYMAIL setting without the prefix.
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value for name, value in os.environ.items() if name.startswith("ANYMAIL_")
}
# The portal's address as people outside it reach it: links in e-mails are made from it.
LGABOARD_SITE_URL = env("LGABOARD_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

# Work that takes longer than a request should (publishing a pack, freezing figures, large imports,
# e-mail) runs as a task through Django's tasks API (django-tasks, the backport of Django 6's
# django.tasks). By default the tasks wait in the database and `manage.py db_worker` runs them
# (`make run` starts one beside the server); with LGABOARD_TASKS=redis they wait in Redis and
# `manage.py rqworker --job-class django_tasks_rq.Job` runs them.
REDIS_URL = env("LGABOARD_REDIS_URL", "redis://127.0.0.1:6379/0")
TASK_QUEUES = ["default"]
if env("LGABOARD_TASKS", "database") == "redis":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES}}
    # django-rq gives the `rqworker` command (its admin dashboard is taken off again: lgaboard/admin.py).
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
RQ_QUEUES = {queue: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 900} for queue in TASK_QUEUES}
# A publication still unfinished after this long (seconds) is reported to the clerk as timed out,
# and may be started again (its worker may have died: the meeting is left as it was).
PUBLISH_TIMEOUT = int(env("LGABOARD_PUBLISH_TIMEOUT", "900"))
