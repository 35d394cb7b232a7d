"""Forms behind the order actions in the admin. They check shape only; the order
services decide whether the action is allowed."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class ShipForm(forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=60)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=80)


class CancelForm(forms.Form):
    note = forms.CharField(
        label=_("Reason"), max_length=255,
        help_text=_("Kept in the order's history. The stock goes back on sale."),
    )


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"),
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
    # Set to give back one payment's money (one flagged "refund due"); empty refunds the order.
    payment_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
