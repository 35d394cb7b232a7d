from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet

from shop.catalogue import admin_views
from shop.catalogue.choosers import sku_chooser_viewset
from shop.catalogue.models import Product
from shop.catalogue.viewsets import CatalogueViewSetGroup

register_snippet(CatalogueViewSetGroup)


@hooks.register("register_admin_viewset")
def register_sku_chooser():
    return sku_chooser_viewset


@hooks.register("register_admin_urls")
def register_stock_urls():
    return [
        path("catalogue/stock/<int:product_id>/", admin_views.stock_view, name="catalogue_stock"),
    ]


@hooks.register("register_snippet_listing_buttons")
def product_stock_button(snippet, user, next_url=None):
    """A "Stock" entry in each product's "More" menu of the product listing."""
    if isinstance(snippet, Product) and user.has_perm(admin_views.MANAGE_PERMISSION):
        yield Button(
            _("Stock"), url=reverse("catalogue_stock", args=[snippet.pk]), icon_name="resubmit", priority=30,
        )
