"""Payments of orders, their refunds and the provider webhooks we received.

``SandboxCharge`` / ``SandboxRefund`` at the bottom are not the shop's records: they
stand in for a card provider's own database, so the sandbox gateway can behave like a
real one (hosted page, asynchronous signed webhooks, refunds) without a network.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.money import MONEY
from shop.orders.models import PaymentMethod


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    REFUNDED = "refunded", _("Refunded")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
    # Closed unpaid: its order was cancelled, expired, or changed to another method.
    CANCELLED = "cancelled", _("Cancelled")


class Payment(models.Model):
    """One attempt to pay an order through a gateway. A declined card leaves a failed
    payment behind and the next attempt is a new row; ``provider_reference`` is the
    provider's id for it (the sandbox's ``ch_…`` charge id)."""

    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="payments"
    )
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    status = models.CharField(
        _("status"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING, db_index=True
    )
    provider_reference = models.CharField(
        _("provider reference"), max_length=64, unique=True, null=True, blank=True
    )
    # Money arrived for an order that can no longer take it (cancelled, expired, or paid
    # twice): an operator has to give it back.
    refund_due = models.BooleanField(_("refund due"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self):
        return f"{self.get_method_display()} {self.amount} ({self.get_status_display()})"


class Refund(models.Model):
    """Money given back for a payment. ``provider_reference`` (the sandbox's ``re_…``)
    is unique, so a refund reported twice — by our own call and by the provider's
    webhook — is recorded once. Offline refunds have none."""

    payment = models.ForeignKey(Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(_("amount"), **MONEY)
    provider_reference = models.CharField(
        _("provider reference"), max_length=64, unique=True, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("refunded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_amount_positive"),
        ]

    def __str__(self):
        return f"{self.amount} ({self.provider_reference or _('offline')})"


class WebhookOutcome(models.TextChoices):
    PROCESSED = "processed", _("Processed")
    NO_CHANGE = "no_change", _("Nothing to change")
    IGNORED = "ignored", _("Ignored")
    ATTENTION = "attention", _("Needs an operator")
    # Authentic (signed) but unusable: absurd amount, unreadable or too deeply nested body.
    REJECTED = "rejected", _("Rejected")


class WebhookEvent(models.Model):
    """Every authentic webhook we received, once: the unique ``event_id`` is what makes
    a replayed delivery change nothing. Forged deliveries are not stored; authentic ones
    we cannot use are kept with the outcome ``rejected`` (their ``event_id`` is then
    ``rej_`` and a hash of the body, and ``payload`` holds the start of the raw body)."""

    provider = models.CharField(_("provider"), max_length=20)
    event_id = models.CharField(_("event id"), max_length=64, unique=True)
    type = models.CharField(_("type"), max_length=64)
    payload = models.JSONField(_("payload"))
    payment = models.ForeignKey(
        Payment, verbose_name=_("payment"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="webhook_events",
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=WebhookOutcome.choices, blank=True)
    detail = models.CharField(_("detail"), max_length=255, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")

    def __str__(self):
        return f"{self.provider} {self.type} {self.event_id}"


# --- The sandbox provider's side -------------------------------------------------------


class SandboxChargeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the card")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Declined")
    CANCELED = "canceled", _("Cancelled by the merchant")


class SandboxCharge(models.Model):
    """A charge in the sandbox provider's books (``ch_…``). The shop only knows its id."""

    id = models.CharField(primary_key=True, max_length=40, editable=False)
    idempotency_key = models.CharField(max_length=64, unique=True)
    merchant_reference = models.CharField(max_length=64)
    description = models.CharField(max_length=200)
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=20, choices=SandboxChargeStatus.choices, default=SandboxChargeStatus.PENDING)
    refunded_amount = models.DecimalField(default=0, **MONEY)
    return_url = models.URLField(max_length=500)
    # Where this charge's webhooks go: the merchant's endpoint as it was when the charge
    # was created (a real provider has it from the merchant's account settings).
    webhook_url = models.URLField(max_length=500, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sandbox charge")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(refunded_amount__gte=0) & models.Q(refunded_amount__lte=models.F("amount")),
                name="sandbox_charge_refund_within_amount",
            ),
        ]

    def __str__(self):
        return self.id


class SandboxRefund(models.Model):
    """A refund in the sandbox provider's books (``re_…``)."""

    id = models.CharField(primary_key=True, max_length=40, editable=False)
    charge = models.ForeignKey(SandboxCharge, on_delete=models.CASCADE, related_name="refunds")
    amount = models.DecimalField(**MONEY)
    # What the merchant attached to the refund request, sent back in its webhook.
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sandbox refund")

    def __str__(self):
        return self.id


class SandboxDelivery(models.Model):
    """One webhook the sandbox provider owes the shop, kept until the shop answers 2xx.
    A failed attempt is retried later with a growing delay (``tasks.SANDBOX_RETRY_DELAYS``),
    a bounded number of times, like a real provider; ``next_attempt_at`` is also the claim:
    a worker moves it ahead while it delivers, so a crashed worker's claim expires."""

    event_id = models.CharField(max_length=40, unique=True)
    event_type = models.CharField(max_length=64)
    url = models.URLField(max_length=500)
    payload = models.JSONField()
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("sandbox webhook delivery")

    def __str__(self):
        return f"{self.event_type} {self.event_id}"
