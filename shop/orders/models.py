"""Orders, their lines (a snapshot of what was bought), their history, and stock movements.

Money columns are ``DecimalField(max_digits=12, decimal_places=2)`` in the site's
currency; amounts are computed by services and rounded in ``shop.money``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.money import MONEY


class OrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", _("Pending payment")
    PAID = "paid", _("Paid")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


class ShippingMethod(models.TextChoices):
    STANDARD = "standard", _("Standard delivery (3–5 days)")
    EXPRESS = "express", _("Express delivery (next day)")
    PICKUP = "pickup", _("Pick up in store")


class PaymentMethod(models.TextChoices):
    """Every method the code knows; ``HAOWU_PAYMENT_METHODS`` says which are offered.
    ``offline`` (its code kept for old orders) is a bank transfer; cash on delivery is
    ``cod``: the courier collects the money, so such an order never expires unpaid."""

    OFFLINE = "offline", _("Bank transfer")
    COD = "cod", _("Cash on delivery")
    SANDBOX = "sandbox", _("Card (sandbox gateway)")


class Order(models.Model):
    """One placed order. ``checkout_key`` makes placing idempotent: a retry or a double
    submit with the same key finds this row instead of creating another."""

    number = models.CharField(_("order number"), max_length=32, unique=True, null=True, blank=True)
    checkout_key = models.CharField(_("checkout key"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("customer account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="orders",
    )
    email = models.EmailField(_("e-mail"))
    #: The reader's visitor id at checkout (see shop.attribution): which touches led here.
    visitor_id = models.CharField(_("visitor"), max_length=80, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices,
        default=OrderStatus.PENDING_PAYMENT, db_index=True,
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    subtotal = models.DecimalField(_("subtotal"), default=0, **MONEY)
    shipping_total = models.DecimalField(_("shipping cost"), default=0, **MONEY)
    discount_total = models.DecimalField(_("discount total"), default=0, **MONEY)
    total = models.DecimalField(_("total"), default=0, **MONEY)
    refunded_total = models.DecimalField(_("amount refunded"), default=0, **MONEY)
    shipping_method = models.CharField(_("shipping method"), max_length=20, choices=ShippingMethod.choices)
    payment_method = models.CharField(_("payment method"), max_length=20, choices=PaymentMethod.choices)

    # Shipping address, as typed at checkout.
    recipient = models.CharField(_("recipient"), max_length=100)
    phone = models.CharField(_("phone"), max_length=32)
    country = models.CharField(_("country"), max_length=2, default="CN")
    province = models.CharField(_("province"), max_length=60, blank=True)
    city = models.CharField(_("city"), max_length=60)
    district = models.CharField(_("district"), max_length=60, blank=True)
    address_line = models.CharField(_("address"), max_length=255)
    postcode = models.CharField(_("postcode"), max_length=16, blank=True)

    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=80, blank=True)

    placed_at = models.DateTimeField(_("placed at"), db_index=True)
    expires_at = models.DateTimeField(_("pay by"), null=True, blank=True, db_index=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.CheckConstraint(condition=models.Q(total__gte=0), name="order_total_not_negative"),
            models.CheckConstraint(
                condition=models.Q(refunded_total__gte=0) & models.Q(refunded_total__lte=models.F("total")),
                name="order_refund_within_total",
            ),
        ]

    def __str__(self):
        return self.number or f"#{self.pk}"


class OrderLine(models.Model):
    """What was bought, copied at the time: the SKU may change or disappear later.
    The attribution keys record the article link that led here, if any."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    sku = models.ForeignKey(
        "catalogue.SKU", null=True, blank=True, on_delete=models.SET_NULL, related_name="order_lines",
    )
    sku_code = models.CharField(_("SKU code"), max_length=64)
    product_name = models.CharField(_("product"), max_length=200)
    option_label = models.CharField(_("options"), max_length=200, blank=True)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    quantity = models.PositiveIntegerField(_("quantity"))
    line_total = models.DecimalField(_("line total"), **MONEY)
    article_page_id = models.IntegerField(null=True, blank=True)
    block_id = models.CharField(max_length=64, blank=True)
    block_type = models.CharField(max_length=40, blank=True)
    position = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("order line")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="order_line_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.sku_code}"


class OrderEvent(models.Model):
    """The order's history: every status change with who made it and when."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.order}: {self.from_status or '—'} → {self.to_status}"


class StockMovement(models.Model):
    """Every change of a SKU's stock: orders, cancellations and operators' adjustments."""

    class Reason(models.TextChoices):
        ORDER = "order", _("Order placed")
        RELEASE = "release", _("Order cancelled or expired")
        ADJUSTMENT = "adjustment", _("Manual adjustment")

    sku = models.ForeignKey("catalogue.SKU", on_delete=models.CASCADE, related_name="stock_movements")
    delta = models.IntegerField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=255, blank=True)
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.sku_id} {self.delta:+d} ({self.reason})"
