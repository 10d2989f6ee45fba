"""Production: nothing secret or host-specific has a default; HTTPS everywhere."""

from .base import *  # noqa: F403
from .base import env, env_bool, env_list, require

DEBUG = False
SECRET_KEY = require("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or [require("DJANGO_ALLOWED_HOSTS")]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Links in e-mails: never the development address; by default the first host name, over HTTPS.
LGABOARD_SITE_URL = (env("LGABOARD_SITE_URL") or f"https://{ALLOWED_HOSTS[0].lstrip('.')}").rstrip("/")

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Staff publish papers and sign off figures: two-factor sign-in is required of them here, always.
LGABOARD_STAFF_TWO_FACTOR = True

# The reset throttle's counts are shared by every process: Redis (LGABOARD_CACHE_URL, by default the
# local one).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("LGABOARD_CACHE_URL", "redis://127.0.0.1:6379/1"),
    }
}

# Redis is shared by every process: public pages are kept there (lgaboard/public_pages.py).
LGABOARD_PUBLIC_PAGE_CACHE = int(env("LGABOARD_PUBLIC_PAGE_CACHE", "600"))

# Each gunicorn worker keeps its database connection between requests (checked before reuse), rather
# than opening one per request: DATABASE_CONN_MAX_AGE seconds, 0 to close after each request.
DATABASES["default"]["CONN_MAX_AGE"] = int(env("DATABASE_CONN_MAX_AGE", "600"))  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# The load balancer asks /health/ over plain HTTP, inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
