"""Background work of the sandbox provider: delivering its signed webhooks.

A real provider calls the shop's webhook endpoint from its own servers some time after
the reader paid; here a task does it. With no ``TASKS`` setting django-tasks runs it at
once (development, tests); in production a worker does.
"""

import hashlib
import hmac
import json
import logging
import time

import requests
from django.conf import settings
from django.urls import reverse
from django_tasks import task

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Haowu-Signature"


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


def sandbox_webhook_url() -> str:
    base = settings.HAOWU_SANDBOX_WEBHOOK_BASE_URL.rstrip("/")
    return base + reverse("payments:webhook", kwargs={"provider": "sandbox"})


@task()
def sandbox_send_event(*, event: dict) -> int:
    """Sign ``event`` with the shared secret at the time of sending and deliver it.
    A refused delivery raises, so a task backend with results records the failure."""
    body = json.dumps(event, separators=(",", ":")).encode()
    signature = sandbox_signature(
        body, secret=settings.HAOWU_SANDBOX_WEBHOOK_SECRET, timestamp=int(time.time())
    )
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: signature}
    status = deliver(url=sandbox_webhook_url(), body=body, headers=headers)
    if not 200 <= status < 300:
        logger.warning("Sandbox webhook %s (%s) was answered %s", event["id"], event["type"], status)
        raise RuntimeError(f"webhook {event['id']} answered {status}")
    return status
