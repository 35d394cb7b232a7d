from django.utils.translation import gettext as _

# Refund amounts are checked with the orders' own error, so callers catch one class.
from shop.orders.errors import RefundTooLarge

__all__ = [
    "MalformedWebhook",
    "NothingToRefund",
    "PaymentDeclined",
    "PaymentError",
    "RefundTooLarge",
    "UnknownGateway",
    "WebhookError",
    "WebhookSignatureError",
]


class PaymentError(Exception):
    """Base of every payment rule a request can break; ``str()`` is a message for people."""


class UnknownGateway(PaymentError):
    def __init__(self, code):
        self.code = code
        super().__init__(_("There is no payment method called “%(code)s”.") % {"code": code})


class NothingToRefund(PaymentError):
    def __init__(self, order):
        self.order = order
        super().__init__(
            _("Order %(number)s has no completed payment to refund.") % {"number": order}
        )


class PaymentDeclined(PaymentError):
    """The provider refused an operation (a refund beyond what it holds, a closed charge)."""


class WebhookError(Exception):
    """A webhook delivery we refuse; ``str()`` goes back to the sender in the 400 answer."""


class WebhookSignatureError(WebhookError):
    """Missing, forged, or expired ``X-Haowu-Signature``."""


class MalformedWebhook(WebhookError):
    """Authentic, but not JSON or missing the fields every event has."""
