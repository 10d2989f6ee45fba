"""The portal's own address (LGABOARD_SITE_URL), for what is read away from any request: links in
e-mails, and the identities of calendar events and feed entries."""

from urllib.parse import urlsplit

from django.conf import settings


def absolute(path: str) -> str:
    """'/boards/…' as a whole address on the portal."""
    return f"{settings.LGABOARD_SITE_URL}{path}"


def host() -> str:
    """The portal's host name, as identities that must never change name it."""
    return urlsplit(settings.LGABOARD_SITE_URL).hostname or "lgaboard"


def tag_uri(name: str) -> str:
    """An identity for ever (RFC 4151), whatever address it is read from: a feed entry's id."""
    return f"tag:{host()},2017:{name}"
