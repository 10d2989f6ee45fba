"""The request throttle: counts per key in the cache, a fixed window, the first key over its limit stops."""

import pytest
from django.core.cache import cache

from lgaboard.throttle import Throttle


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_each_key_has_its_own_allowance():
    throttle = Throttle("test", limit=2, period=60)
    assert [throttle.allow("address:a") for _ in range(3)] == [True, True, False]
    assert throttle.allow("address:b") is True
    assert Throttle("other", limit=2, period=60).allow("address:a") is True


def test_a_key_refused_first_uses_none_of_the_next_keys_allowance():
    throttle = Throttle("test", limit=1, period=60)
    assert throttle.allow("address:a", "email:judi@example.org") is True
    assert throttle.allow("address:a", "email:someone@example.org") is False
    assert throttle.allow("address:b", "email:someone@example.org") is True


def test_keys_are_compared_without_case_and_kept_hashed():
    throttle = Throttle("test", limit=1, period=60)
    assert throttle.allow("email:Judi@Example.org") is True
    assert throttle.allow("email:judi@example.org ") is False
    assert not any("judi" in key for key in cache._cache)


def test_the_window_ends_after_its_period():
    throttle = Throttle("test", limit=1, period=60)
    assert throttle.allow("address:a") is True
    cache.delete(throttle._cache_key("address:a"))  # what the cache does when the period is over
    assert throttle.allow("address:a") is True
