"""Counting requests per client (an address, an e-mail address…) in Django's cache, axes-style.

The default cache is per process (LocMemCache) unless `CACHES` names a shared one; the counts need
no model and no migration, and are lost on a restart, which only ever lets someone through sooner.
"""

import hashlib

from django.core.cache import cache


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
        # add() starts the window (and does nothing if it has begun); incr() is atomic in the
        # shared caches and leaves the window's expiry where add() put it.
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
