"""Orders in Wagtail admin: the Orders menu, listing, detail page and actions."""

from django.utils.html import format_html
from wagtail import hooks

from shop.orders.viewsets import OrderViewSet

#: Status tag colours: waiting (amber), paid (blue), on its way (violet), done (green),
#: stopped (grey), money returned (red).
STATUS_COLOURS = {
    "pending_payment": ("#8a5a00", "#fff4d6"),
    "paid": ("#1d4ed8", "#e3ecff"),
    "shipped": ("#6d28d9", "#efe7ff"),
    "delivered": ("#137333", "#e3f5e8"),
    "cancelled": ("#555b66", "#eceef1"),
    "refunded": ("#b42318", "#fde8e6"),
}

#: Layout of the order detail and stock pages (Wagtail has no stylesheet slot per view).
LAYOUT_CSS = (
    ".hw-columns{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:0 2.5rem}"
    ".hw-dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1.25rem;margin:0}"
    ".hw-dl dt{font-weight:600}.hw-dl dd{margin:0}"
    ".hw-num{text-align:end!important;font-variant-numeric:tabular-nums}"
    ".hw-order-summary{font-size:1.05rem;margin:1.25rem 0 1.5rem}"
    ".hw-order-actions{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:1.5rem}"
    ".hw-order-action{border:1px solid var(--w-color-border-furniture);border-radius:.3rem;padding:1rem}"
    ".hw-order-action h3{margin-top:0}"
    ".hw-order-total th,.hw-order-total td{font-size:1.05rem}"
)


@hooks.register("register_admin_viewset")
def register_order_viewset():
    return OrderViewSet()


@hooks.register("insert_global_admin_css")
def order_status_colours():
    rules = "".join(
        f".w-status.hw-order-status--{status}{{color:{fg};border-color:{fg};background:{bg}}}"
        for status, (fg, bg) in STATUS_COLOURS.items()
    )
    return format_html("<style>{}{}</style>", rules, LAYOUT_CSS)
