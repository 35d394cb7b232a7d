from django import forms
from django.utils.translation import gettext_lazy as _

QUANTITY_ERRORS = {
    "invalid": _("Please enter the quantity as a whole number."),
    "required": _("Please enter a quantity."),
}


class CartAddForm(forms.Form):
    """The add-to-cart form of every offer. Its shape only: whether the SKU exists and
    the quantity is allowed is the cart service's call."""

    sku = forms.CharField(max_length=64, error_messages={"required": _("Please choose a product option.")})
    quantity = forms.IntegerField(required=False, error_messages=QUANTITY_ERRORS)

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        return 1 if quantity is None else quantity


class CartQuantityForm(forms.Form):
    quantity = forms.IntegerField(error_messages=QUANTITY_ERRORS)
