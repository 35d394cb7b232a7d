"""E-mail to buyers and readers, sent by a background task after commit.

A request never sends mail itself and never fails because of it: ``mail_queue`` hands a
composed message to the ``mail_send`` task once the transaction commits. The task sends
it; when the mail server refuses or cannot be reached it logs a warning and tries again,
``HAOWU_MAIL_ATTEMPTS`` times in all. A queue backend that can defer (django-tasks-db)
waits ``HAOWU_MAIL_RETRY_SECONDS`` × 2^(attempt - 1) between attempts; the in-process
immediate backend retries at once, because sleeping there would hold the reader's request.
The last failure is logged as an error with the address, never raised to the reader.

Subjects are ours: they come from our templates and constants, flattened to one line,
with no text a buyer typed (a name, an address) in them. HTML bodies are rendered with
autoescaping on, so anything a buyer typed reaches them escaped.
"""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


def mail_compose(*, to: str, subject: str, template: str, context: dict) -> dict:
    """A message ready for ``mail_queue``: ``template`` names ``<template>.txt`` (the
    text body) and ``<template>.html`` (the HTML alternative, autoescaped). ``subject``
    is one of our sentences; it is flattened to one line whatever it holds."""
    return {
        "to": to,
        "subject": " ".join(str(subject).split()),
        "text": render_to_string(f"{template}.txt", context),
        "html": render_to_string(f"{template}.html", context),
    }


def mail_queue(message: dict) -> None:
    """Send ``message`` in the background once the current transaction commits (at once
    outside a transaction). Never raises: a queue that cannot take it is logged."""
    transaction.on_commit(partial(_enqueue, message, 1), robust=True)


def _enqueue(message: dict, attempt: int) -> None:
    try:
        backend = mail_send.get_backend()
        if attempt > 1 and backend.supports_defer:
            delay = timedelta(seconds=settings.HAOWU_MAIL_RETRY_SECONDS * 2 ** (attempt - 2))
            mail_send.using(run_after=timezone.now() + delay).enqueue(message=message, attempt=attempt)
        else:
            mail_send.enqueue(message=message, attempt=attempt)
    except Exception:
        logger.exception("Could not queue e-mail %r to %s", message.get("subject"), message.get("to"))


@task()
def mail_send(*, message: dict, attempt: int = 1) -> bool:
    """Send one message; on failure queue the next attempt (see the module's docstring).
    Answers whether this attempt delivered it."""
    email = EmailMultiAlternatives(subject=message["subject"], body=message["text"], to=[message["to"]])
    if message.get("html"):
        email.attach_alternative(message["html"], "text/html")
    try:
        email.send()
    except ValueError as error:
        # A malformed address or header (BadHeaderError is one): no attempt can fix it.
        logger.error("Refused e-mail %r to %r: %s", message["subject"], message["to"], error)
        return False
    except Exception as error:
        if attempt >= settings.HAOWU_MAIL_ATTEMPTS:
            logger.error(
                "Gave up e-mail %r to %s after %d attempts: %s", message["subject"], message["to"], attempt, error
            )
            return False
        logger.warning("E-mail %r to %s failed (attempt %d): %s", message["subject"], message["to"], attempt, error)
        _enqueue(message, attempt + 1)
        return False
    return True
