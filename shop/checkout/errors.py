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
