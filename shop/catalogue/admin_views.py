"""The stock page in Wagtail admin: a product's SKUs with their stock, a form to adjust
one of them, and the product's stock history. Registered in ``wagtail_hooks.py``."""

from django import forms
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.utils import get_user_display_name

from shop.catalogue.errors import CatalogueError
from shop.catalogue.models import SKU, Product
from shop.catalogue.services import stock_adjust
from shop.orders.models import StockMovement

#: SKUs are edited inside their product, so adjusting stock needs the product's change permission.
MANAGE_PERMISSION = "catalogue.change_product"
HISTORY_LIMIT = 100


class StockAdjustForm(forms.Form):
    sku = forms.ModelChoiceField(label=gettext_lazy("SKU"), queryset=SKU.objects.none(), empty_label=None)
    delta = forms.IntegerField(
        label=gettext_lazy("Change"),
        help_text=gettext_lazy("How many to add; a negative number takes away (e.g. -2 for two damaged)."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=255,
        help_text=gettext_lazy("Kept in the stock history: a delivery, a count, damage…"),
    )

    def __init__(self, *args, product, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sku"].queryset = product.skus.order_by("sort_order", "pk")

    def clean_delta(self):
        delta = self.cleaned_data["delta"]
        if delta == 0:
            raise forms.ValidationError(_("Enter a number other than zero."))
        return delta


def stock_view(request, product_id: int):
    """GET shows the page; POST adjusts one SKU through ``stock_adjust`` and comes back."""
    if not request.user.has_perm(MANAGE_PERMISSION):
        return HttpResponseForbidden(_("You may not change the catalogue's stock."))
    product = get_object_or_404(Product, pk=product_id)
    form = StockAdjustForm(request.POST or None, product=product)
    if request.method == "POST" and form.is_valid():
        sku = form.cleaned_data["sku"]
        try:
            sku = stock_adjust(
                sku_id=sku.pk, delta=form.cleaned_data["delta"],
                reason_note=form.cleaned_data["reason"], actor=request.user,
            )
        except CatalogueError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Stock of %(code)s changed by %(delta)+d; it is now %(stock)s.")
                % {"code": sku.code, "delta": form.cleaned_data["delta"], "stock": sku.stock},
            )
            return redirect(reverse("catalogue_stock", args=[product.pk]))
    elif request.method == "POST":
        messages.error(request, _("The adjustment was not saved; see the form below."))

    movements = (
        StockMovement.objects.filter(sku__product=product)
        .select_related("sku", "actor", "order")[:HISTORY_LIMIT]
    )
    return TemplateResponse(request, "catalogue/admin/stock.html", {
        "product": product,
        "skus": list(product.skus.order_by("sort_order", "pk")),
        "form": form,
        "movements": [
            {
                "created_at": movement.created_at,
                "sku_code": movement.sku.code,
                "delta": movement.delta,
                "reason": movement.get_reason_display(),
                "note": movement.note,
                "actor": get_user_display_name(movement.actor) if movement.actor else "",
                "order": movement.order,
                "order_url": reverse("orders_admin:inspect", args=[movement.order_id]) if movement.order_id else "",
            }
            for movement in movements
        ],
        "history_limit": HISTORY_LIMIT,
        "product_edit_url": reverse("wagtailsnippets_catalogue_product:edit", args=[product.pk]),
        "header_icon": "pick",
    })
