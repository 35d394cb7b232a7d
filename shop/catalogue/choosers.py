"""The SKU chooser: StreamField blocks pick a SKU (searching code, product or brand)
without a second SKU menu in the admin, since SKUs are edited inline on products.
Imported by block definitions, so it must not import filter sets or other admin views
that need the model registry at import time."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet

from shop.money import money_format


class SKUFilterForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Search term"), required=False,
        widget=forms.TextInput(attrs={"placeholder": _("SKU code or product")}),
    )

    def filter(self, objects):
        query = self.cleaned_data.get("q")
        if query:
            self.is_searching = True
            self.search_query = query
            objects = objects.filter(
                Q(code__icontains=query) | Q(product__title__icontains=query)
                | Q(product__brand__name__icontains=query)
            )
        return objects


class SKUChooserMixin:
    filter_form_class = SKUFilterForm
    ordering = ["product__title", "sort_order", "pk"]

    def get_object_list(self):
        return self.model_class.objects.select_related("product")

    @property
    def columns(self):
        return [
            self.title_column,
            Column("product", label=_("Product"), accessor="product"),
            Column("price", label=_("Price"), accessor=lambda sku: money_format(sku.price)),
            Column("stock", label=_("Stock"), accessor="stock"),
        ]


class SKUChooseView(SKUChooserMixin, chooser_views.ChooseView):
    pass


class SKUChooseResultsView(SKUChooserMixin, chooser_views.ChooseResultsView):
    pass


class SKUChooserViewSet(ChooserViewSet):
    model = "catalogue.SKU"
    icon = "tag"
    choose_one_text = _("Choose a SKU")
    choose_another_text = _("Choose another SKU")
    edit_item_text = _("Edit product")
    choose_view_class = SKUChooseView
    choose_results_view_class = SKUChooseResultsView
    per_page = 20


sku_chooser_viewset = SKUChooserViewSet("sku_chooser")
