"""Snippet viewsets for the catalogue admin; registered in ``wagtail_hooks.py``."""

from django.db import transaction
from django.db.models import Count, Max, Min, Sum
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet, SnippetViewSetGroup

from shop.catalogue.forms import ProductForm
from shop.catalogue.models import Brand, Category, Product
from shop.catalogue.selectors import products_matching
from shop.money import money_format


def _price_range(product) -> str:
    low, high = product.min_price, product.max_price
    if low is None:
        return "—"
    return money_format(low) if low == high else f"{money_format(low)} – {money_format(high)}"


class ProductFilterSet(WagtailFilterSet):
    class Meta:
        model = Product
        fields = ["active", "brand", "category"]


class ProductIndexView(IndexView):
    def search_queryset(self, queryset):
        # By a subquery, not a join on SKUs: a product with two matching SKUs is one row,
        # and the listing's per-product sums (stock, prices) are not multiplied.
        if not self.is_searching:
            return queryset
        return queryset.filter(pk__in=products_matching(text=self.search_query))


class ProductEditView(EditView):
    def post(self, request, *args, **kwargs):
        # One transaction from validation to save: ProductForm.clean locks the product and
        # its SKUs and checks the version, and the save must happen under those locks.
        with transaction.atomic():
            return super().post(request, *args, **kwargs)


class ProductViewSet(SnippetViewSet):
    model = Product
    icon = "pick"
    menu_label = _("Products")
    list_display = [
        "title", "brand", "category",
        Column("price", label=_("Price"), accessor=lambda p: _price_range(p)),
        Column("stock_total", label=_("Stock")),
        BooleanColumn("active", label=_("On sale")),
    ]
    list_per_page = 50
    filterset_class = ProductFilterSet
    # The operator's box matches parts of titles and SKU codes (``KET-BLK``), which the
    # word-based search index cannot: the database answers instead (``products_matching``).
    index_view_class = ProductIndexView
    edit_view_class = ProductEditView
    edit_handler = ObjectList(Product.panels, base_form_class=ProductForm)
    search_backend_name = None
    copy_view_enabled = False

    def get_queryset(self, request):
        return (
            Product.objects.select_related("brand", "category__parent")
            .annotate(
                min_price=Min("skus__price"), max_price=Max("skus__price"),
                stock_total=Sum("skus__stock"), sku_count=Count("skus"),
            )
        )


class BrandViewSet(SnippetViewSet):
    model = Brand
    icon = "tag"
    list_display = ["name", "country"]
    search_fields = ["name"]
    # Parts of names, Chinese included; Wagtail's SQLite index refuses a field list.
    search_backend_name = None


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder-open-inverse"
    list_display = ["name", "parent", "sort_order"]
    search_fields = ["name"]
    search_backend_name = None


class CatalogueViewSetGroup(SnippetViewSetGroup):
    items = (ProductViewSet, BrandViewSet, CategoryViewSet)
    menu_icon = "pick"
    menu_label = _("Catalogue")
    menu_name = "catalogue"
