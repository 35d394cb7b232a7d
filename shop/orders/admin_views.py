"""The operator's order pages in Wagtail admin: the listing (with CSV/XLSX export), the
detail page, and one POST view per action. An action parses its form, calls one service
and reports the outcome as a Wagtail message; the services decide what is allowed."""

from decimal import Decimal

from django.db.models import Sum
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views import generic

from shop.money import money_format
from shop.orders import services as order_services
from shop.orders.admin_forms import CancelForm, RefundForm, ShipForm
from shop.orders.errors import OrderError
from shop.orders.models import Order, OrderStatus, PaymentMethod
from shop.orders.services import transitions_allowed
from shop.payments import services as payment_services
from shop.payments.errors import PaymentError
from shop.payments.selectors import payments_for_order
from shop.spreadsheets import SpreadsheetExportMixin

#: Admin URL namespace of the order views ("orders" is the reader-facing app's).
URL_NAMESPACE = "orders_admin"

#: Who may act on orders. Others with the view permission see the detail read-only.
MANAGE_PERMISSION = "orders.change_order"

STATUS_LABELS = dict(OrderStatus.choices)


def order_actions(order: Order) -> frozenset[str]:
    """The actions the transition table allows for ``order`` right now."""
    allowed = transitions_allowed(order)
    actions = set()
    if OrderStatus.PAID in allowed and order.payment_method in (PaymentMethod.OFFLINE, PaymentMethod.COD):
        actions.add("mark_paid")
    if OrderStatus.SHIPPED in allowed:
        actions.add("ship")
    if OrderStatus.DELIVERED in allowed:
        actions.add("deliver")
    if OrderStatus.CANCELLED in allowed:
        actions.add("cancel")
    if OrderStatus.REFUNDED in allowed and order.refunded_total < order.total:
        actions.add("refund")
    return frozenset(actions)


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else value


class OrderIndexView(SpreadsheetExportMixin, generic.IndexView):
    """The listing; with ``?export=csv|xlsx`` the same filtered, searched rows as a file.
    Money is exported as plain decimals, times in the site's time zone; buyers' texts
    (names, addresses) never run as spreadsheet formulas (``shop.spreadsheets``)."""

    custom_field_preprocess = {
        "placed_at": {
            "csv": lambda value: _local(value).strftime("%Y-%m-%d %H:%M:%S"),
            "xlsx": _local,
        },
    }

    def get_base_queryset(self):
        return Order.objects.annotate(item_count=Sum("lines__quantity"))


class OrderDetailView(generic.InspectView):
    """Lines, totals, contact and address, shipping, payments and history, plus the
    action forms the order's status allows (only for users who may manage orders)."""

    template_name = "orders/admin/order_detail.html"
    page_title = gettext_lazy("Order")

    def get_fields_context(self):
        return []  # the template lays the order out itself

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = self.object
        can_manage = self.request.user.has_perm(MANAGE_PERMISSION)
        refundable = order.total - order.refunded_total
        context.update(
            order=order,
            lines=list(order.lines.all()),
            events=[
                {
                    "created_at": event.created_at,
                    "from": STATUS_LABELS.get(event.from_status, event.from_status),
                    "to": STATUS_LABELS.get(event.to_status, event.to_status),
                    "actor": get_user_display_name(event.actor) if event.actor else "",
                    "note": event.note,
                }
                for event in order.events.select_related("actor")
            ],
            payments=[
                {"payment": payment, "refund_form": _refund_due_form(payment) if can_manage else None}
                for payment in payments_for_order(order=order)
            ],
            customer=get_user_display_name(order.user) if order.user else "",
            refundable=refundable,
            money={
                name: money_format(getattr(order, name), order.currency)
                for name in ("subtotal", "shipping_total", "discount_total", "total", "refunded_total")
            },
            can_manage=can_manage,
            actions=order_actions(order) if can_manage else frozenset(),
            action_urls={
                name: reverse(f"{URL_NAMESPACE}:{name}", args=[order.pk])
                for name in ("mark_paid", "ship", "deliver", "cancel", "refund")
            },
            ship_form=ShipForm(prefix="ship"),
            cancel_form=CancelForm(prefix="cancel"),
            refund_form=RefundForm(prefix="refund"),
        )
        return context


def _refund_due_form(payment) -> RefundForm | None:
    """A form to give back money flagged "refund due" (it arrived for an order that
    could no longer take it), prefilled with what is left of it."""
    if not payment.refund_due:
        return None
    remaining = payment.amount - sum((refund.amount for refund in payment.refunds.all()), Decimal("0"))
    if remaining <= 0:
        return None
    return RefundForm(prefix="refund", initial={"amount": remaining, "payment_id": payment.pk})


class OrderActionView(View):
    """POST only. Subclasses name a form (or none) and call one service in ``act``."""

    http_method_names = ["post"]
    form_class = None
    prefix = None

    def post(self, request, pk):
        if not request.user.has_perm(MANAGE_PERMISSION):
            return HttpResponseForbidden(_("You may look at orders but not change them."))
        order = get_object_or_404(Order, pk=pk)
        form = self.form_class(request.POST, prefix=self.prefix) if self.form_class else None
        if form is not None and not form.is_valid():
            messages.error(request, _form_errors(form))
        else:
            try:
                order = self.act(order=order, data=form.cleaned_data if form else {}, actor=request.user)
            except (OrderError, PaymentError) as error:
                messages.error(request, str(error))
            else:
                messages.success(request, self.success_message(order))
        return redirect(reverse(f"{URL_NAMESPACE}:inspect", args=[pk]))

    def act(self, *, order, data, actor) -> Order:
        raise NotImplementedError

    def success_message(self, order) -> str:
        raise NotImplementedError


def _form_errors(form) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return " ".join(parts)


class MarkPaidView(OrderActionView):
    def act(self, *, order, data, actor):
        return payment_services.payment_mark_offline_paid(order_id=order.pk, actor=actor)

    def success_message(self, order):
        return _("Order %(number)s is marked as paid.") % {"number": order}


class ShipView(OrderActionView):
    form_class = ShipForm
    prefix = "ship"

    def act(self, *, order, data, actor):
        return order_services.order_ship(
            order_id=order.pk, carrier=data["carrier"], tracking_number=data["tracking_number"], actor=actor,
        )

    def success_message(self, order):
        return _("Order %(number)s is shipped with %(carrier)s, tracking number %(tracking)s.") % {
            "number": order, "carrier": order.carrier, "tracking": order.tracking_number,
        }


class DeliverView(OrderActionView):
    def act(self, *, order, data, actor):
        if order.payment_method == PaymentMethod.COD and order.paid_at is None:
            return payment_services.payment_collect_on_delivery(order_id=order.pk, actor=actor)
        return order_services.order_deliver(order_id=order.pk, actor=actor)

    def success_message(self, order):
        return _("Order %(number)s is marked as delivered.") % {"number": order}


class CancelView(OrderActionView):
    form_class = CancelForm
    prefix = "cancel"

    def act(self, *, order, data, actor):
        self.outcome = payment_services.order_cancel_with_payments(order_id=order.pk, actor=actor, note=data["note"])
        return self.outcome.order

    def success_message(self, order):
        message = _("Order %(number)s is cancelled; its stock is back on sale.") % {"number": order}
        if self.outcome.refunded:
            message += " " + _("%(amount)s was refunded to the card it was paid with.") % {
                "amount": money_format(self.outcome.refunded, order.currency),
            }
        if self.outcome.refund_due:
            message += " " + _("%(amount)s was paid and must be given back: use “Give the money back” under Payment.") % {
                "amount": money_format(self.outcome.refund_due, order.currency),
            }
        return message


class RefundView(OrderActionView):
    form_class = RefundForm
    prefix = "refund"

    def act(self, *, order, data, actor):
        self.amount = data["amount"]
        return payment_services.payment_refund(
            order_id=order.pk, amount=data["amount"], actor=actor, note=data["note"],
            payment_id=data["payment_id"],
        )

    def success_message(self, order):
        return _("Refunded %(amount)s on order %(number)s.") % {
            "amount": money_format(self.amount, order.currency), "number": order,
        }
