"""What readers did with article links (touches, views, impressions) and the share of
each order's revenue that every touch earned under each attribution model (credits).

An article is known here only by its Wagtail page id (``article_page_id``): shop never
imports content.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.money import MONEY
from shop.orders.models import Order, OrderStatus


class DeviceClass(models.TextChoices):
    MOBILE = "mobile", _("Mobile")
    TABLET = "tablet", _("Tablet")
    DESKTOP = "desktop", _("Desktop")
    OTHER = "other", _("Other")


class LinkKeys(models.Model):
    """Which link a click came through (article, block, position, SKU) and the campaign
    and curator it came with: a touch records them, each credit copies them."""

    article_page_id = models.IntegerField(null=True, blank=True)
    block_id = models.CharField(max_length=64, blank=True)
    block_type = models.CharField(max_length=40, blank=True)
    position = models.PositiveIntegerField(null=True, blank=True)
    sku = models.ForeignKey("catalogue.SKU", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    utm_source = models.CharField(max_length=100, blank=True)
    utm_medium = models.CharField(max_length=100, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    utm_content = models.CharField(max_length=100, blank=True)
    curator_code = models.CharField(max_length=40, blank=True)

    class Meta:
        abstract = True


class Touch(LinkKeys):
    """One recorded click of a product link in an article (``/go/<token>``).

    ``visitor_id`` is ``v:<cookie id>`` when the reader consented to the visitor cookie,
    else ``s:<random id kept in the session>``: without consent touches live as long as
    the session."""

    visitor_id = models.CharField(max_length=80)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    referrer_host = models.CharField(max_length=255, blank=True)
    device = models.CharField(max_length=10, choices=DeviceClass.choices, default=DeviceClass.OTHER)

    class Meta:
        verbose_name = _("touch")
        indexes = [
            models.Index(fields=["visitor_id", "created_at"], name="touch_visitor_time"),
            models.Index(fields=["user", "created_at"], name="touch_user_time"),
            models.Index(fields=["article_page_id", "created_at"], name="touch_article_time"),
            models.Index(fields=["created_at"], name="touch_time"),
        ]

    def __str__(self):
        return f"{self.visitor_id} → {self.article_page_id}/{self.block_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class DailyEngagement(models.Model):
    """Page views (``block_id == ""``) and block impressions per article and day, as
    counters: the beacon increments them with ``F()`` updates instead of storing rows."""

    date = models.DateField()
    article_page_id = models.IntegerField()
    block_id = models.CharField(max_length=64, blank=True)
    block_type = models.CharField(max_length=40, blank=True)
    position = models.PositiveIntegerField(null=True, blank=True)
    views = models.PositiveBigIntegerField(default=0)
    impressions = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["date", "article_page_id", "block_id"], name="engagement_unique_day_block"),
        ]

    def __str__(self):
        return f"{self.date} {self.article_page_id}/{self.block_id or 'page'}"


class AttributionModel(models.TextChoices):
    LAST_TOUCH = "last_touch", _("Last touch")
    FIRST_TOUCH = "first_touch", _("First touch")
    LINEAR = "linear", _("Linear")
    TIME_DECAY = "time_decay", _("Time decay")
    POSITION_BASED = "position_based", _("Position-based")


class CreditKind(models.TextChoices):
    ORDER = "order", _("Order placed")
    REVERSAL = "reversal", _("Cancellation or refund")


class StatusGroup(models.TextChoices):
    """What the report status filters tell apart (see ``selectors.STATUS_FILTERS``)."""

    PENDING = "pending", _("Awaiting payment")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


#: The status group of each order status.
STATUS_GROUP_OF: dict[str, str] = {
    OrderStatus.PENDING_PAYMENT: StatusGroup.PENDING,
    OrderStatus.PAID: StatusGroup.PAID,
    OrderStatus.SHIPPED: StatusGroup.PAID,
    OrderStatus.DELIVERED: StatusGroup.PAID,
    OrderStatus.REFUNDED: StatusGroup.PAID,
    OrderStatus.CANCELLED: StatusGroup.CANCELLED,
}


class AttributionCredit(LinkKeys):
    """The share of one order's revenue one touch earned under one model. For each model
    an order's credits sum exactly to its revenue; an order no touch explains gets one
    credit with ``touch=None`` (direct / unattributed). Cancellations and refunds add
    ``reversal`` rows with negative amounts, so sums are net. The touch's keys are
    copied so reports group without joining touches, and the order's placing time and
    status group so they filter without joining orders: ``order_transition`` keeps
    ``status_group`` in step when the order's status moves to another group."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="credits")
    model = models.CharField(max_length=20, choices=AttributionModel.choices)
    kind = models.CharField(max_length=10, choices=CreditKind.choices, default=CreditKind.ORDER)
    touch = models.ForeignKey(Touch, null=True, blank=True, on_delete=models.SET_NULL, related_name="credits")
    revenue = models.DecimalField(**MONEY)
    direct_revenue = models.DecimalField(**MONEY)
    assisted_revenue = models.DecimalField(**MONEY)
    order_placed_at = models.DateTimeField()
    #: ``STATUS_GROUP_OF[order.status]``; empty on a new row means "take it from the order".
    status_group = models.CharField(max_length=10, choices=StatusGroup.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attribution credit")
        indexes = [
            models.Index(fields=["model", "order_placed_at"], name="credit_model_time"),
            models.Index(fields=["article_page_id", "model", "order_placed_at"], name="credit_article_model_time"),
            models.Index(fields=["order", "model"], name="credit_order_model"),
        ]

    def __str__(self):
        return f"{self.order_id} {self.model} {self.revenue}"

    def save(self, *args, **kwargs):
        if not self.status_group:  # read, not taken from ``self.order``: that may be stale
            self.status_group = STATUS_GROUP_OF[Order.objects.values_list("status", flat=True).get(pk=self.order_id)]
        super().save(*args, **kwargs)


class RollupDimension(models.TextChoices):
    ARTICLE = "article", _("Article")
    BLOCK_TYPE = "block_type", _("Block type")
    POSITION = "position", _("Block position")
    BLOCK = "block", _("Block")
    CAMPAIGN = "campaign", _("Campaign")
    CURATOR = "curator", _("Curator")
    TOTAL = "total", _("Total")


class RollupKey(models.Model):
    """A roll-up row's day and key: one report dimension's fields (the others stay
    empty; ``total`` rows leave all of them empty)."""

    date = models.DateField()
    dimension = models.CharField(max_length=12, choices=RollupDimension.choices)
    article_page_id = models.IntegerField(null=True, blank=True)
    block_id = models.CharField(max_length=64, blank=True)
    block_type = models.CharField(max_length=40, blank=True)
    position = models.PositiveIntegerField(null=True, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    curator_code = models.CharField(max_length=40, blank=True)

    class Meta:
        abstract = True


class ActivityRollup(RollupKey):
    """Clicks (touches), page views and block impressions of one closed day (site time
    zone) per key, or the clicks of an open day so far (``through``). Views count on
    article rows, impressions on article and block rows; other dimensions have clicks
    only."""

    clicks = models.PositiveBigIntegerField(default=0)
    views = models.PositiveBigIntegerField(default=0)
    impressions = models.PositiveBigIntegerField(default=0)
    #: Set on the rows of a day still open (today): they hold the clicks recorded before
    #: this moment only (no views or impressions); the rest of the day is read raw.
    through = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["dimension", "date"], name="activity_rollup_dim_date")]

    def __str__(self):
        return f"{self.date} {self.dimension}: {self.clicks} clicks"


class CreditRollup(RollupKey):
    """The credits of the orders placed on one closed day, per model, status group and
    key.

    ``orders`` counts the distinct orders whose net credit in the row is above zero; an
    order belongs to its placing day only, so the counts of several days add up, while
    the counts of several keys of one dimension do not (hence a row set per dimension,
    and ``total`` for the whole day)."""

    model = models.CharField(max_length=20, choices=AttributionModel.choices)
    status_group = models.CharField(max_length=10, choices=StatusGroup.choices)
    unattributed = models.BooleanField(default=False)
    revenue = models.DecimalField(**MONEY)
    direct_revenue = models.DecimalField(**MONEY)
    assisted_revenue = models.DecimalField(**MONEY)
    orders = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["dimension", "model", "date"], name="credit_rollup_dim_model_date")]

    def __str__(self):
        return f"{self.date} {self.model} {self.dimension} {self.revenue}"


class RollupState(models.Model):
    """One row: every day up to ``rolled_through`` has its roll-up rows, except the days
    a ``RollupDirtyDay`` names."""

    rolled_through = models.DateField(null=True, blank=True)
    #: The open days' clicks before this moment are rolled up too (``ActivityRollup.through``).
    clicks_through = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"rolled through {self.rolled_through}"


class RollupDirtyDay(models.Model):
    """A closed day whose touches, credits or order statuses changed after it may have
    been rolled up: reports read it raw until the next roll recomputes it. Rows are only
    ever added (never upserted), so marking a day never waits on another transaction."""

    date = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.date} changed at {self.created_at:%Y-%m-%d %H:%M}"
