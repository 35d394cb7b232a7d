"""Shapes of the storefront API's checkout request and answer, and the field types the
cart's schemas share. Schemas validate shape (lengths that fit the columns, no NUL
characters PostgreSQL would refuse, an e-mail that looks like one); the services
validate meaning. No price, total or SKU id is accepted from the client: the order is
made from the session's cart and today's prices, and unknown keys are ignored."""

from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

from shop.checkout.services import MAX_QUANTITY
from shop.orders.models import PaymentMethod, ShippingMethod


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("Text fields must not contain NUL characters."))
    return value


def Text(max_length: int, *, min_length: int = 1):  # noqa: N802 - used like a type
    """A stripped string that fits a column of ``max_length``; required unless ``min_length=0``."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(_no_nul),
    ]


def _whole_quantity(value):
    # Strict on purpose: "2", 2.5 and true are mistakes, not quantities.
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_QUANTITY:
        raise ValueError(
            _("The quantity must be a whole number from 1 to %(max)s.") % {"max": MAX_QUANTITY}
        )
    return value


Quantity = Annotated[int, Field(ge=1, le=MAX_QUANTITY), BeforeValidator(_whole_quantity)]


def _email(value: str) -> str:
    try:
        validate_email(value)
    except DjangoValidationError:
        raise ValueError(_("Enter a valid e-mail address.")) from None
    return value


Email = Annotated[Text(254), AfterValidator(_email)]


class ContactIn(Schema):
    email: Email
    name: Text(100, min_length=0) = ""
    phone: Text(32, min_length=0) = ""


class AddressIn(Schema):
    recipient: Text(100)
    phone: Text(32)
    province: Text(60, min_length=0) = ""
    city: Text(60)
    district: Text(60, min_length=0) = ""
    address_line: Text(255)
    postcode: Text(16, min_length=0) = ""
    country: Annotated[Text(2), StringConstraints(to_upper=True, pattern=r"^[A-Za-z]{2}$")] = "CN"


class CheckoutIn(Schema):
    contact: ContactIn
    address: AddressIn
    shipping_method: ShippingMethod
    payment_method: PaymentMethod
    #: Any unique string the client keeps for this purchase (a UUID is best): a retry
    #: with the same key, during or after the first call, returns the same order.
    idempotency_key: Text(100)


class OrderPlacedOut(Schema):
    number: str
    status: str
    total: str
    currency: str
    #: Where to send the buyer next: the hosted card page (sandbox) or the order's page
    #: with bank transfer / cash on delivery instructions (offline).
    payment_url: str
