from django.utils.translation import gettext as _


class CheckoutError(Exception):
    """A rule the checkout request broke; ``str()`` is a full sentence for the reader."""


class EmptyCart(CheckoutError):
    def __init__(self):
        super().__init__(_("Your cart is empty."))


class InvalidQuantity(CheckoutError):
    def __init__(self, code, quantity, maximum):
        self.code, self.quantity = code, quantity
        super().__init__(
            _("The quantity for %(code)s must be a whole number from 1 to %(max)s, not %(qty)s.")
            % {"code": code, "max": maximum, "qty": quantity}
        )


class UnknownSKU(CheckoutError):
    def __init__(self, code):
        self.code = code
        super().__init__(_("There is no product with the code %(code)s.") % {"code": code})


class SKUUnavailable(CheckoutError):
    def __init__(self, code):
        self.code = code
        super().__init__(_("%(code)s is no longer available.") % {"code": code})


class OutOfStock(CheckoutError):
    def __init__(self, code, requested, available):
        self.code, self.requested, self.available = code, requested, available
        if available <= 0:
            message = _("%(code)s has just sold out.") % {"code": code}
        else:
            message = _("Only %(available)s of %(code)s left; you asked for %(requested)s.") % {
                "available": available, "code": code, "requested": requested,
            }
        super().__init__(message)


class TooManyUnpaidOrders(CheckoutError):
    """The e-mail address already holds ``HAOWU_LIMIT_UNPAID_PER_EMAIL`` unpaid orders:
    each holds stock (and sends a mail) until paid or expired. ``retry_after`` is the
    number of seconds until the first of them expires."""

    def __init__(self, *, limit: int, retry_after: int):
        self.limit, self.retry_after = limit, retry_after
        super().__init__(
            _("This e-mail address already has as many unpaid orders as we can hold for it. Please pay for "
              "one of them, or wait until an unpaid order expires, before placing another.")
        )
