"""The request throttle: counts per key in the cache, a fixed window, the first key over its limit stops."""

import pytest
from django.core.cache import cache

from lgaboard.throttle import Throttle, client_address


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


class TestTheClientsAddress:
    def test_without_proxies_it_is_the_connections_address(self, rf, settings):
        settings.LGABOARD_PROXY_COUNT = 0
        request = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
        assert client_address(request) == "203.0.113.9"  # a client's own header is not believed

    def test_behind_one_proxy_it_is_what_the_proxy_was_given(self, rf, settings):
        settings.LGABOARD_PROXY_COUNT = 1
        request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
        assert client_address(request) == "198.51.100.7"  # not the 1.2.3.4 the client typed

    def test_a_missing_header_behind_a_proxy_falls_back_to_the_connection(self, rf, settings):
        settings.LGABOARD_PROXY_COUNT = 2
        request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
        assert client_address(request) == "10.0.0.2"
