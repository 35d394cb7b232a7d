"""Shapes of the storefront API's checkout request and answer, and the field types the
cart's schemas share. Schemas validate shape (lengths that fit the columns, no NUL
characters PostgreSQL would refuse, an e-mail that looks like one); the services
validate meaning. No price, total or SKU id is accepted from the client: the order is
made from the session's cart and today's prices, and unknown keys are ignored."""

import re
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from shop.checkout.services import MAX_QUANTITY
from shop.orders.models import PaymentMethod, ShippingMethod


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("Text fields must not contain NUL characters."))
    return value


#: What the document says about text (the validators give the sentences): no NUL, and a
#: required field needs a character that is not a space, since the value is stripped.
ANY_TEXT = r"^[^\u0000]*$"
COUNTRY = r"^[A-Za-z]{2}$"
#: Exactly the characters ``str.strip()`` removes, spelled out: ``\s`` means other sets in
#: other regex engines (ECMAScript's lacks U+001C–U+001F and U+0085 and adds U+FEFF).
SPACES = "".join(f"\\u{ord(char):04x}" for char in map(chr, range(0x3001)) if char.isspace())
SOME_TEXT = rf"^[{SPACES}]*[^{SPACES}\u0000][^\u0000]*$"


def _at_most(max_length: int) -> BeforeValidator:
    """The length as sent, before stripping, is what the document's maxLength promises."""

    def check(value):
        if isinstance(value, str) and len(value) > max_length:
            raise PydanticCustomError(
                "string_too_long", "String should have at most {max_length} characters", {"max_length": max_length},
            )
        return value

    return BeforeValidator(check)


def Text(max_length: int, *, min_length: int = 1):  # noqa: N802 - used like a type
    """A stripped string that fits a column of ``max_length``; required unless ``min_length=0``."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        _at_most(max_length),  # a later BeforeValidator runs first, on the text as sent
        AfterValidator(_no_nul),
        Field(json_schema_extra={"pattern": SOME_TEXT if min_length else ANY_TEXT}),
    ]


def _whole_quantity(value):
    # Strict on purpose: "2", 2.5 and true are mistakes, not quantities. 2.0 is 2: JSON (and
    # the document's "integer") does not tell them apart.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_QUANTITY:
        raise ValueError(
            _("The quantity must be a whole number from 1 to %(max)s.") % {"max": MAX_QUANTITY}
        )
    return value


Quantity = Annotated[int, Field(ge=1, le=MAX_QUANTITY), BeforeValidator(_whole_quantity)]


#: The addresses we take, in the document and in the check: a dot-atom local part and a
#: domain of labels with a TLD of at least two letters (Chinese domains included). A subset
#: of what Django's validator accepts (which also takes quoted local parts, IP literals and
#: "localhost"), so what the document promises is exactly what is accepted.
EMAIL_PATTERN = (
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9\u00a1-\uffff]([A-Za-z0-9\u00a1-\uffff-]{0,61}[A-Za-z0-9\u00a1-\uffff])?\.)+"
    r"[A-Za-z\u00a1-\uffff]{2,63}$"
)
_EMAIL = re.compile(EMAIL_PATTERN)


def _email(value: str) -> str:
    try:
        validate_email(value)
    except DjangoValidationError:
        valid = False
    else:
        valid = _EMAIL.fullmatch(value) is not None
    if not valid:
        raise ValueError(_("Enter a valid e-mail address."))
    return value


Email = Annotated[
    Text(254), AfterValidator(_email), Field(json_schema_extra={"pattern": EMAIL_PATTERN}),
]


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
    country: Annotated[
        Text(2), StringConstraints(to_upper=True, pattern=COUNTRY), Field(json_schema_extra={"pattern": COUNTRY}),
    ] = "CN"


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
