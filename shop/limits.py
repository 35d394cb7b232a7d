"""Limits on what a stranger can trigger, and who the stranger is.

``client_address`` is the one answer to "which address sent this request": the socket's
peer (``REMOTE_ADDR``), or the address a trusted proxy (``HAOWU_TRUSTED_PROXIES``) says
it forwarded for. Anything else in ``X-Forwarded-For`` is typed by the client and never
believed.

``limit_hit`` / ``limit_reached`` count requests per key (by default the client
address) in fixed windows of the shared cache, through django-ratelimit's counters
(atomic ``add``/``incr``, so every process behind a Redis cache shares one count).
Rates read like ``"10/10m"``: at most 10 in 10 minutes. Each is a setting read from the
environment (``haowu.settings.base``).
"""

import functools
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address) -> bool:
    networks = _networks(tuple(settings.HAOWU_TRUSTED_PROXIES))
    return address is not None and any(address in network for network in networks)


def client_address(request) -> str:
    """The client's IP address. ``X-Forwarded-For`` counts only when the request came
    from a trusted proxy, and then only up to the first hop (from the right) that is not
    itself a trusted proxy: what a client wrote further left is its own claim."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    peer = _address(remote)
    if not _trusted(peer):
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # garbage from the client's side of the chain: stop believing it
        if not _trusted(address):
            return str(address)
    return remote


@dataclass(frozen=True)
class Verdict:
    limited: bool
    #: Seconds until the window that limited the request closes, at least 1 (0 when not
    #: limited): a window that closes this very second still asks the client to wait.
    retry_after: int


class RateLimited(Exception):
    """A request over one of the limits. ``str()`` is a sentence for people; callers
    answer 429 (``too_many_response`` for plain views, the API's handler for the API)."""

    def __init__(self, retry_after: int, message: str = ""):
        self.retry_after = max(int(retry_after), 1)
        super().__init__(message or _("Too many attempts from your network. Please wait a few minutes and try again."))


def _address_key(request) -> str:
    """The client address as a limit key; IPv6 clients by their /64, which one
    subscriber usually holds whole (counting single addresses would let them rotate)."""
    address = _address(client_address(request))
    if address is None:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def _usage(request, *, name: str, rate: str, key: str | None, increment: bool):
    value = _address_key(request) if key is None else key
    return get_usage(request, group=f"haowu.{name}", key=lambda _group, _request: value, rate=rate, increment=increment)


def limit_hit(request, *, name: str, rate: str, key: str | None = None) -> Verdict:
    """Count one request against ``rate`` for ``key`` (default: the client address)
    and say whether it went over. Cache only: no query."""
    usage = _usage(request, name=name, rate=rate, key=key, increment=True)
    if usage is None or not usage["should_limit"]:
        return Verdict(False, 0)
    return Verdict(True, max(usage["time_left"], 1))


def limit_reached(request, *, name: str, rate: str, key: str | None = None) -> Verdict:
    """Whether ``key`` has used up ``rate`` already, without counting this request:
    for limits that count only failures (count them with ``limit_hit`` afterwards)."""
    usage = _usage(request, name=name, rate=rate, key=key, increment=False)
    if usage is None or usage["count"] < usage["limit"]:
        return Verdict(False, 0)
    return Verdict(True, max(usage["time_left"], 1))


def limit_enforce(request, *, name: str, rate: str, key: str | None = None) -> None:
    """``limit_hit``, raising ``RateLimited`` when over."""
    verdict = limit_hit(request, name=name, rate=rate, key=key)
    if verdict.limited:
        raise RateLimited(verdict.retry_after)


def too_many_response(error: RateLimited) -> JsonResponse:
    """429 in the API's shape: ``{"message": …}`` with ``Retry-After``."""
    response = JsonResponse({"message": str(error), "code": "rate_limited"}, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response
