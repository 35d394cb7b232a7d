"""Background work of the sandbox provider: delivering its signed webhooks.

A real provider calls the shop's webhook endpoint from its own servers some time after
the reader paid, and calls again later when the shop did not answer 2xx. Here each
webhook owed is a ``SandboxDelivery`` row: the task ``sandbox_send_event`` makes the
first attempt right after the provider's commit (with no ``TASKS`` setting django-tasks
runs it at once: development, tests; in production a worker does), and
``sandbox_deliveries_retry`` (``manage.py sandbox_webhooks``, also run by
``manage.py expire_orders``) makes the later ones, each after a longer delay, until
``SANDBOX_RETRY_DELAYS`` is used up.
"""

import hashlib
import hmac
import json
import logging
import time
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from shop.payments.models import SandboxDelivery

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Haowu-Signature"
#: Seconds to wait after the 1st, 2nd, … failed attempt; after the last one it gives up
#: (1 + 6 attempts over about three hours, as providers do over hours or days).
SANDBOX_RETRY_DELAYS = (30, 120, 600, 1800, 3600, 7200)
#: How long one worker's claim on a delivery lasts; a crashed worker's claim expires.
CLAIM_SECONDS = 60


def sandbox_signature(body: bytes, *, secret: str, timestamp: int) -> str:
    """The ``X-Haowu-Signature`` value: ``t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">``."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def deliver(*, url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST one webhook and return the HTTP status. Tests swap this module attribute
    for one that posts through Django's test client to the real view."""
    response = requests.post(url, data=body, headers=headers, timeout=10)
    return response.status_code


def sandbox_webhook_url(base: str = "") -> str:
    """The shop's sandbox webhook endpoint under ``base``; without one, under
    ``HAOWU_SANDBOX_WEBHOOK_BASE_URL`` or else ``WAGTAILADMIN_BASE_URL``."""
    base = (base or settings.HAOWU_SANDBOX_WEBHOOK_BASE_URL or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    return base + reverse("payments:webhook", kwargs={"provider": "sandbox"})


def _claim(delivery_id: int, now: datetime):
    """Take one due delivery for this worker (a conditional update: whoever moves its
    ``next_attempt_at`` first owns it for ``CLAIM_SECONDS``), or ``None``."""
    claimed = SandboxDelivery.objects.filter(
        pk=delivery_id, delivered_at=None, next_attempt_at__lte=now
    ).update(next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
    return SandboxDelivery.objects.get(pk=delivery_id) if claimed else None


def _attempt(delivery, now: datetime) -> bool:
    """Sign the delivery's event at the time of sending, POST it, and record the result:
    delivered, or the next attempt after the next delay, or given up."""
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    signature = sandbox_signature(body, secret=settings.HAOWU_SANDBOX_WEBHOOK_SECRET, timestamp=int(time.time()))
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: signature}
    status, error = None, ""
    try:
        status = deliver(url=delivery.url, body=body, headers=headers)
    except requests.RequestException as failure:
        error = str(failure)[:255]
    attempts = delivery.attempts + 1
    if status is not None and 200 <= status < 300:
        SandboxDelivery.objects.filter(pk=delivery.pk).update(
            attempts=attempts, last_status=status, last_error="", delivered_at=now, next_attempt_at=None
        )
        return True
    retry_at = (
        now + timedelta(seconds=SANDBOX_RETRY_DELAYS[attempts - 1]) if attempts <= len(SANDBOX_RETRY_DELAYS) else None
    )
    logger.warning(
        "Sandbox webhook %s (%s) to %s failed (attempt %s: %s); %s", delivery.event_id, delivery.event_type,
        delivery.url, attempts, status or error, f"retry at {retry_at:%H:%M:%S}" if retry_at else "giving up",
    )
    SandboxDelivery.objects.filter(pk=delivery.pk).update(
        attempts=attempts, last_status=status, last_error=error or f"answered {status}", next_attempt_at=retry_at
    )
    return False


@task()
def sandbox_send_event(*, delivery_id: int) -> bool:
    """The first attempt of one delivery (queued after the provider's commit). A failure
    is recorded on the row for ``sandbox_deliveries_retry``; it never raises."""
    now = timezone.now()
    delivery = _claim(delivery_id, now)
    return _attempt(delivery, now) if delivery is not None else False


def sandbox_deliveries_retry(*, now: datetime | None = None, limit: int = 100) -> tuple[int, int]:
    """Attempt every delivery that is due (up to ``limit``), oldest first, with no lock
    held while sending. Safe to run in several places at once: each delivery is claimed
    by one of them. Returns (delivered, failed)."""
    now = now or timezone.now()
    due = SandboxDelivery.objects.filter(delivered_at=None, next_attempt_at__lte=now).order_by("next_attempt_at", "pk")
    delivered = failed = 0
    for delivery_id in list(due.values_list("pk", flat=True)[:limit]):
        delivery = _claim(delivery_id, now)
        if delivery is None:
            continue
        if _attempt(delivery, now):
            delivered += 1
        else:
            failed += 1
    return delivered, failed
