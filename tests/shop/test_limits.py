"""Who a request comes from, and the per-address limits every stranger-facing view uses."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from shop.limits import RateLimited, client_address, limit_enforce, limit_hit, limit_reached


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_forwarded_for_is_ignored_without_trusted_proxies(settings):
    settings.HAOWU_TRUSTED_PROXIES = []

    assert client_address(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_a_trusted_proxy_names_the_client_and_the_clients_own_claims_are_skipped(settings):
    settings.HAOWU_TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.10"]

    # The client wrote "1.1.1.1" itself; the load balancer appended what it saw.
    request = request_from("192.0.2.10", "1.1.1.1, 198.51.100.23, 10.1.2.3")

    assert client_address(request) == "198.51.100.23"


def test_a_forwarded_header_from_an_untrusted_peer_is_not_believed(settings):
    settings.HAOWU_TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert client_address(request_from("198.51.100.5", "10.9.9.9")) == "198.51.100.5"


def test_garbage_in_the_chain_falls_back_to_the_peer(settings):
    settings.HAOWU_TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert client_address(request_from("10.0.0.2", "<script>, not-an-ip")) == "10.0.0.2"


def test_limit_counts_per_address_and_says_when_it_is_over():
    first, other = request_from("198.51.100.1"), request_from("198.51.100.2")

    verdicts = [limit_hit(first, name="t", rate="3/10m").limited for _ in range(4)]

    assert verdicts == [False, False, False, True]
    assert limit_hit(other, name="t", rate="3/10m").limited is False
    assert limit_hit(first, name="t", rate="3/10m").retry_after > 0


def test_ipv6_clients_count_by_their_64_prefix():
    for suffix in ("1", "2", "3"):
        limit_hit(request_from(f"2001:db8:1:2::{suffix}"), name="v6", rate="3/1h")

    assert limit_hit(request_from("2001:db8:1:2::ffff"), name="v6", rate="3/1h").limited is True
    assert limit_hit(request_from("2001:db8:1:3::1"), name="v6", rate="3/1h").limited is False


def test_limit_reached_counts_nothing_itself():
    request = request_from("198.51.100.9")
    for _ in range(5):
        assert limit_reached(request, name="peek", rate="2/1h").limited is False

    limit_hit(request, name="peek", rate="2/1h")
    limit_hit(request, name="peek", rate="2/1h")

    assert limit_reached(request, name="peek", rate="2/1h").limited is True


def test_limit_enforce_raises_with_a_wait_and_a_sentence():
    request = request_from("198.51.100.10")
    limit_enforce(request, name="enf", rate="1/1h")

    with pytest.raises(RateLimited) as caught:
        limit_enforce(request, name="enf", rate="1/1h")

    assert caught.value.retry_after >= 1
    assert "try again" in str(caught.value)


def test_an_explicit_key_counts_apart_from_the_address():
    request = request_from("198.51.100.11")
    limit_hit(request, name="k", rate="1/1h", key="alice@example.com")

    assert limit_hit(request, name="k", rate="1/1h", key="alice@example.com").limited is True
    assert limit_hit(request, name="k", rate="1/1h", key="bob@example.com").limited is False


@pytest.mark.parametrize("value", ["10", "ten/10m", "0/1m", "10/10x", "10/10m; rm"])
def test_a_malformed_limit_in_the_environment_stops_the_process(monkeypatch, value):
    from haowu.settings.base import rate_setting

    monkeypatch.setenv("HAOWU_LIMIT_X", value)

    with pytest.raises(ImproperlyConfigured, match="HAOWU_LIMIT_X"):
        rate_setting("HAOWU_LIMIT_X", "10/10m")
