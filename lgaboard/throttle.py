"""Counting requests per client (an address, an e-mail address…) in Django's cache, axes-style.

The default cache is per process (LocMemCache) unless LGABOARD_CACHE_URL names a shared Redis, as
production settings do; the counts need no model and no migration, and are lost on a restart, which
only ever lets someone through sooner.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """The client's address, for the reset throttle and django-axes alike (AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR, unless LGABOARD_PROXY_COUNT says how many proxies of ours stand in front: each
    appends to X-Forwarded-For the address it received from, so the client is that many entries from
    the right. Entries further left are whatever the client sent, and never trusted."""
    count = settings.LGABOARD_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    return forwarded[-count] if len(forwarded) >= count else remote


class Throttle:
    """At most `limit` hits per key in a fixed window of `period` seconds from a key's first hit."""

    def __init__(self, scope: str, *, limit: int, period: int):
        self.scope = scope
        self.limit = limit
        self.period = period

    def allow(self, *keys: str) -> bool:
        """Count a hit against each key in turn; False, counting no further, once one is over its limit.

        Checking the caller's address first means a flood from one address is refused there, without
        using up the allowance of the e-mail addresses it names."""
        return all(self._hit(key) <= self.limit for key in keys)

    def _hit(self, key: str) -> int:
        cache_key = self._cache_key(key)
        # add() starts the window (and does nothing if it has begun); incr() is atomic in Redis and
        # leaves the window's expiry where add() put it there and in LocMemCache (the database and
        # file caches would reset it, so they are not offered).
        cache.add(cache_key, 0, timeout=self.period)
        try:
            return cache.incr(cache_key)
        except ValueError:  # the window ended between add() and incr()
            cache.add(cache_key, 1, timeout=self.period)
            return 1

    def _cache_key(self, key: str) -> str:
        # Hashed: keys may be e-mail addresses, which stay out of the cache and fit any backend.
        digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()
        return f"lgaboard:throttle:{self.scope}:{digest}"
