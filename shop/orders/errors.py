from django.utils.translation import gettext as _

from shop.orders.models import OrderStatus


class OrderError(Exception):
    """Base of every order rule a request can break; ``str()`` is a message for people."""


class IllegalTransition(OrderError):
    def __init__(self, order, to_status):
        self.order, self.to_status = order, to_status
        super().__init__(
            _("Order %(number)s cannot go from “%(from)s” to “%(to)s”.")
            % {"number": order, "from": order.get_status_display(), "to": _status_label(to_status)}
        )


class RefundTooLarge(OrderError):
    pass


def _status_label(status: str) -> str:
    try:
        return str(OrderStatus(status).label)
    except ValueError:
        return status
