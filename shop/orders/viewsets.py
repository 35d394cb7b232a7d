"""The Orders viewset for Wagtail admin; registered in ``wagtail_hooks.py``.

Orders come from checkout and change only through the actions on the detail page, so
there is no add, edit or delete view: the listing links to the detail page instead.
"""

import django_filters
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet

from shop.money import money_format
from shop.orders import admin_views
from shop.orders.models import Order, OrderStatus, PaymentMethod, ShippingMethod


class OrderStatusColumn(Column):
    """The status as a tag coloured by status (colours in ``wagtail_hooks.py``)."""

    cell_template_name = "orders/admin/status_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["status"] = instance.status
        context["value"] = instance.get_status_display()
        return context


class OrderFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=OrderStatus.choices)
    placed_at = django_filters.DateFromToRangeFilter(label=_("Placed"), widget=DateRangePickerWidget)
    payment_method = django_filters.ChoiceFilter(label=_("Payment method"), choices=PaymentMethod.choices)
    shipping_method = django_filters.ChoiceFilter(label=_("Shipping method"), choices=ShippingMethod.choices)

    class Meta:
        model = Order
        fields = ["status", "placed_at", "payment_method", "shipping_method"]


class OrderViewSet(ModelViewSet):
    model = Order
    url_prefix = "orders"
    url_namespace = admin_views.URL_NAMESPACE
    icon = "list-ul"
    menu_label = _("Orders")
    menu_order = 250
    add_to_admin_menu = True
    add_to_reference_index = False

    index_view_class = admin_views.OrderIndexView
    inspect_view_class = admin_views.OrderDetailView
    inspect_view_enabled = True
    copy_view_enabled = False

    list_display = [
        "number",
        DateColumn("placed_at", label=_("Placed"), sort_key="placed_at"),
        "email",
        OrderStatusColumn("status", label=_("Status"), sort_key="status"),
        Column("payment_method", label=_("Payment"), accessor="get_payment_method_display"),
        Column("total", label=_("Total"), sort_key="total",
               accessor=lambda order: money_format(order.total, order.currency)),
        Column("item_count", label=_("Items"), sort_key="item_count"),
    ]
    filterset_class = OrderFilterSet
    search_fields = ["number", "email"]
    search_backend_name = None
    ordering = "-placed_at"
    list_per_page = 50

    list_export = [
        "number", "placed_at", "status", "email", "recipient", "phone", "province", "city",
        "shipping_method", "payment_method", "item_count",
        "subtotal", "shipping_total", "discount_total", "total", "refunded_total",
        "carrier", "tracking_number",
    ]
    export_headings = {"item_count": _("Items"), "placed_at": _("Placed at")}
    export_filename = "orders"

    def get_common_view_kwargs(self, **kwargs):
        # No add/edit/delete views exist; the generic views hide their buttons when these are None.
        return super().get_common_view_kwargs(
            add_url_name=None, edit_url_name=None, delete_url_name=None,
            history_url_name=None, usage_url_name=None, **kwargs,
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/mark-paid/", admin_views.MarkPaidView.as_view(), name="mark_paid"),
            path("<int:pk>/ship/", admin_views.ShipView.as_view(), name="ship"),
            path("<int:pk>/deliver/", admin_views.DeliverView.as_view(), name="deliver"),
            path("<int:pk>/cancel/", admin_views.CancelView.as_view(), name="cancel"),
            path("<int:pk>/refund/", admin_views.RefundView.as_view(), name="refund"),
        ]

    @property
    def url_finder_class(self):
        # "Edit" links elsewhere in the admin lead to the detail page.
        return type("OrderAdminURLFinder", (ModelAdminURLFinder,), {"edit_url_name": self.get_url_name("inspect")})
