from django import forms
from django.utils.translation import gettext_lazy as _

from shop.checkout.services import ShippingAddress
from shop.checkout.shipping import shipping_price
from shop.money import money_format
from shop.orders.models import PaymentMethod, ShippingMethod
from shop.payments.selectors import payment_methods_enabled


class CheckoutForm(forms.Form):
    """Contact, address and the two methods. There is deliberately no field for a
    price, a total or a SKU: the order is placed from the cart and priced by the
    checkout service, so nothing of that kind in the POST can change it."""

    email = forms.EmailField(label=_("E-mail"), max_length=254, help_text=_("We send the order confirmation here."))
    recipient = forms.CharField(label=_("Recipient"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=32)
    province = forms.CharField(label=_("Province"), max_length=60, required=False)
    city = forms.CharField(label=_("City"), max_length=60)
    district = forms.CharField(label=_("District"), max_length=60, required=False)
    address_line = forms.CharField(label=_("Address"), max_length=255, help_text=_("Street, building, unit."))
    postcode = forms.CharField(label=_("Postcode"), max_length=16, required=False)
    shipping_method = forms.ChoiceField(
        label=_("Delivery"), choices=ShippingMethod.choices, widget=forms.RadioSelect, initial=ShippingMethod.STANDARD,
    )
    payment_method = forms.ChoiceField(
        label=_("Payment"), choices=PaymentMethod.choices, widget=forms.RadioSelect, initial=PaymentMethod.OFFLINE,
    )
    checkout_key = forms.UUIDField(widget=forms.HiddenInput, error_messages={
        "required": _("This checkout page has expired. Please check your details and place the order again."),
        "invalid": _("This checkout page has expired. Please check your details and place the order again."),
    })

    AUTOCOMPLETE = {
        "email": "email", "recipient": "name", "phone": "tel", "province": "address-level1",
        "city": "address-level2", "district": "address-level3", "address_line": "address-line1",
        "postcode": "postal-code",
    }

    def __init__(self, *args, subtotal, **kwargs):
        super().__init__(*args, **kwargs)
        self.shipping_prices = {
            method: shipping_price(method=method, subtotal=subtotal) for method in ShippingMethod.values
        }
        self.fields["shipping_method"].choices = [
            (method, f"{label} — {money_format(self.shipping_prices[method]) if self.shipping_prices[method] else _('free')}")
            for method, label in ShippingMethod.choices
        ]
        # Only the methods this installation offers (HAOWU_PAYMENT_METHODS): any other
        # value posted is refused as an invalid choice.
        methods = payment_methods_enabled()
        self.fields["payment_method"].choices = methods
        if PaymentMethod.OFFLINE not in dict(methods):
            self.fields["payment_method"].initial = methods[0][0]
        for name, token in self.AUTOCOMPLETE.items():
            self.fields[name].widget.attrs["autocomplete"] = token
        self.fields["phone"].widget.input_type = "tel"

    def address(self) -> ShippingAddress:
        data = self.cleaned_data
        return ShippingAddress(
            recipient=data["recipient"], phone=data["phone"], city=data["city"],
            address_line=data["address_line"], province=data["province"], district=data["district"],
            postcode=data["postcode"],
        )
