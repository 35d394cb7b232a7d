"""The operator's Orders pages in Wagtail admin: listing, filters, search, export, the
detail page and its actions, posted as the browser would post them."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from shop.catalogue.models import SKU
from shop.checkout.services import CheckoutLine, ShippingAddress, checkout_complete
from shop.orders.models import Order, OrderEvent, OrderStatus

pytestmark = pytest.mark.django_db

LIST = "/admin/orders/"
ADDRESS = ShippingAddress(
    recipient="Lin Wei", phone="13800000000", province="Zhejiang", city="Hangzhou",
    district="Xihu", address_line="1 Wensan Rd", postcode="310000",
)


def detail_url(order):
    return f"/admin/orders/{order.pk}/"


def action_url(order, action):
    return f"/admin/orders/{order.pk}/{action}/"


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.com", "pw", first_name="Mei")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def _user_with(django_user_model, username, *codenames):
    user = django_user_model.objects.create_user(username, f"{username}@example.com", "pw")
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def viewer(django_user_model):
    """In the admin, may look at orders but not change them."""
    return _user_with(django_user_model, "viewer", "access_admin", "view_order")


@pytest.fixture
def stranger(django_user_model):
    """In the admin, without any order permission."""
    return _user_with(django_user_model, "stranger", "access_admin")


@pytest.fixture
def catalogue(product_factory):
    product_factory(title="Sage Kettle", skus=[
        {"code": "KET-1", "price": "299.00", "stock": 10, "options": {"colour": "Sage"}},
    ])
    product_factory(title="Linen Towel", skus=[{"code": "TWL-1", "price": "45.50", "stock": 30}])


@pytest.fixture
def place(catalogue):
    counter = iter(range(1000))

    def build(*lines, email="lin@example.com", payment_method="offline", shipping_method="standard"):
        return checkout_complete(
            idempotency_key=f"admin-test-{next(counter)}",
            lines=[CheckoutLine(code, quantity) for code, quantity in lines],
            email=email, address=ADDRESS, shipping_method=shipping_method, payment_method=payment_method,
        )

    return build


def messages_of(response):
    return [str(message).strip() for message in response.context["messages"]]



# --- listing ----------------------------------------------------------------------------


def test_listing_shows_orders_newest_first_with_status_total_and_items(admin_client, place, soup):
    # given two orders, the second placed later
    first = place(("KET-1", 1))
    second = place(("TWL-1", 3), email="zhao@example.com", payment_method="sandbox")

    # when the operator opens Orders
    response = admin_client.get(LIST)

    # then both are listed newest first, with status tag, payment method, money and item count
    assert response.status_code == 200
    rows = soup(response).select("table.listing tbody tr")
    assert [row.select_one("td").get_text(" ", strip=True).split()[0] for row in rows] == [
        second.number, first.number,
    ]
    cells = [td.get_text(" ", strip=True) for td in rows[0].select("td")]
    assert "zhao@example.com" in cells
    assert "Card (sandbox gateway)" in cells
    assert "¥136.50" in cells  # 3 × 45.50 = 136.50 ≥ 99: free standard shipping
    assert "3" in cells
    tag = rows[0].select_one(".hw-order-status--pending_payment")
    assert tag.get_text(strip=True) == "Pending payment"


def test_listing_has_no_add_button_and_links_to_the_detail_page(admin_client, place, soup):
    order = place(("KET-1", 1))

    response = admin_client.get(LIST)

    page = soup(response)
    assert page.select_one(f'a[href="{detail_url(order)}"]') is not None
    assert not page.select('a[href$="/new/"]')
    assert admin_client.get("/admin/orders/new/").status_code == 404
    assert admin_client.get(f"/admin/orders/edit/{order.pk}/").status_code == 404
    assert admin_client.get(f"/admin/orders/delete/{order.pk}/").status_code == 404


def test_listing_filters_by_status(admin_client, place, soup):
    pending = place(("KET-1", 1))
    paid = place(("TWL-1", 1))
    admin_client.post(action_url(paid, "mark-paid"), follow=True)

    response = admin_client.get(LIST, {"status": "paid"})

    text = soup(response).select_one("table.listing tbody").get_text(" ")
    assert paid.number in text
    assert pending.number not in text


def test_listing_filters_by_payment_and_shipping_method_and_date(admin_client, place, soup):
    offline = place(("KET-1", 1))
    card = place(("KET-1", 1), payment_method="sandbox", shipping_method="express")
    old = place(("TWL-1", 1))
    Order.objects.filter(pk=old.pk).update(placed_at=timezone.now() - timedelta(days=40))
    today = timezone.localdate().isoformat()

    by_payment = soup(admin_client.get(LIST, {"payment_method": "sandbox"})).select_one("tbody").get_text(" ")
    by_shipping = soup(admin_client.get(LIST, {"shipping_method": "express"})).select_one("tbody").get_text(" ")
    by_date = soup(admin_client.get(LIST, {"placed_at_from": today, "placed_at_to": today})).select_one(
        "tbody"
    ).get_text(" ")

    assert card.number in by_payment and offline.number not in by_payment
    assert card.number in by_shipping and offline.number not in by_shipping
    assert offline.number in by_date and card.number in by_date and old.number not in by_date


def test_listing_searches_by_number_and_by_email(admin_client, place, soup):
    lin = place(("KET-1", 1), email="lin@example.com")
    zhao = place(("TWL-1", 1), email="zhao@example.com")

    by_number = soup(admin_client.get(LIST, {"q": lin.number})).select_one("tbody").get_text(" ")
    by_email = soup(admin_client.get(LIST, {"q": "zhao@"})).select_one("tbody").get_text(" ")

    assert lin.number in by_number and zhao.number not in by_number
    assert zhao.number in by_email and lin.number not in by_email


# --- export ------------------------------------------------------------------------------


def test_csv_export_contains_exactly_the_filtered_rows_with_plain_decimal_totals(admin_client, place):
    # given three orders, one of them paid
    place(("KET-1", 1))
    paid = place(("KET-1", 2), ("TWL-1", 1))
    place(("TWL-1", 1), payment_method="sandbox")
    admin_client.post(action_url(paid, "mark-paid"), follow=True)

    # when the operator exports the listing filtered to paid orders
    response = admin_client.get(LIST, {"status": "paid", "export": "csv"})

    # then the file holds exactly that order, money as plain decimals
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="orders.csv"'
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["Order number"] == paid.number
    assert row["Status"] == "paid"
    assert row["Items"] == "3"
    assert row["Subtotal"] == "643.50"  # 2 × 299.00 + 45.50
    assert row["Shipping cost"] == "0.00"
    assert row["Total"] == "643.50"
    assert row["Amount refunded"] == "0.00"
    assert row["Placed at"] == timezone.localtime(paid.placed_at).strftime("%Y-%m-%d %H:%M:%S")


def test_csv_export_follows_the_search_too(admin_client, place):
    place(("KET-1", 1), email="lin@example.com")
    zhao = place(("TWL-1", 1), email="zhao@example.com")

    response = admin_client.get(LIST, {"q": "zhao", "export": "csv"})

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(r["Order number"], r["Total"]) for r in rows] == [(zhao.number, "55.50")]  # 45.50 + ¥10 shipping


def test_xlsx_export_opens_with_openpyxl(admin_client, place):
    from openpyxl import load_workbook

    order = place(("KET-1", 1))

    response = admin_client.get(LIST, {"export": "xlsx"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    headings, values = rows[0], rows[1]
    assert len(rows) == 2
    record = dict(zip(headings, values, strict=True))
    assert record["Order number"] == order.number
    assert Decimal(str(record["Total"])) == Decimal("299.00")  # free shipping from ¥99


# --- detail ------------------------------------------------------------------------------


def test_detail_shows_lines_totals_address_and_history(admin_client, place, soup):
    order = place(("KET-1", 2), ("TWL-1", 1))

    response = admin_client.get(detail_url(order))

    assert response.status_code == 200
    page = soup(response)
    lines = [[td.get_text(strip=True) for td in tr.select("td")] for tr in page.select(".hw-order-lines tbody tr")]
    assert lines == [
        ["KET-1", "Sage Kettle", "Sage", "¥299.00", "2", "¥598.00"],
        ["TWL-1", "Linen Towel", "—", "¥45.50", "1", "¥45.50"],
    ]
    totals = [tr.get_text(" ", strip=True) for tr in page.select(".hw-order-lines tfoot tr")]
    assert totals == [
        "Subtotal ¥643.50", "Shipping ¥0.00", "Discount −¥0.00", "Total ¥643.50", "Refunded ¥0.00",
    ]
    contact = page.select_one("#order-contact-section").get_text(" ", strip=True)
    assert "lin@example.com" in contact and "Lin Wei" in contact and "1 Wensan Rd" in contact
    history = [[td.get_text(" ", strip=True) for td in tr.select("td")][1:] for tr in
               page.select(".hw-order-history tbody tr")]
    assert history == [["Pending payment", "System or customer", ""]]


def test_detail_offers_only_the_actions_the_status_allows(admin_client, place, soup):
    offline = place(("KET-1", 1))
    card = place(("KET-1", 1), payment_method="sandbox")

    offline_actions = {f["action"] for f in soup(admin_client.get(detail_url(offline))).select("form.hw-order-action")}
    card_actions = {f["action"] for f in soup(admin_client.get(detail_url(card))).select("form.hw-order-action")}

    assert offline_actions == {action_url(offline, "mark-paid"), action_url(offline, "cancel")}
    # a card payment is confirmed by the gateway, not by hand
    assert card_actions == {action_url(card, "cancel")}


# --- actions -----------------------------------------------------------------------------


def test_mark_paid_marks_an_offline_order_paid_and_logs_the_operator(admin_client, superuser, place):
    order = place(("KET-1", 1))

    response = admin_client.post(action_url(order, "mark-paid"), follow=True)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.paid_at is not None
    event = order.events.last()
    assert (event.from_status, event.to_status, event.actor) == ("pending_payment", "paid", superuser)
    assert messages_of(response) == [f"Order {order.number} is marked as paid."]


def test_ship_then_deliver_records_carrier_tracking_and_history(admin_client, superuser, place, soup):
    order = place(("KET-1", 1))
    admin_client.post(action_url(order, "mark-paid"), follow=True)

    shipped = admin_client.post(
        action_url(order, "ship"), {"ship-carrier": "SF Express", "ship-tracking_number": "SF1234567890"}, follow=True,
    )
    delivered = admin_client.post(action_url(order, "deliver"), follow=True)

    order.refresh_from_db()
    assert (order.status, order.carrier, order.tracking_number) == ("delivered", "SF Express", "SF1234567890")
    assert messages_of(shipped) == [f"Order {order.number} is shipped with SF Express, tracking number SF1234567890."]
    assert messages_of(delivered) == [f"Order {order.number} is marked as delivered."]
    events = list(order.events.values_list("from_status", "to_status", "actor__username"))
    assert events[-2:] == [("paid", "shipped", "boss"), ("shipped", "delivered", "boss")]
    history = soup(delivered).select_one(".hw-order-history").get_text(" ", strip=True)
    assert "Paid → Shipped" in history and "Mei" in history and "SF Express SF1234567890" in history


def test_ship_without_a_tracking_number_is_refused_by_the_form(admin_client, place):
    order = place(("KET-1", 1))
    admin_client.post(action_url(order, "mark-paid"), follow=True)

    response = admin_client.post(action_url(order, "ship"), {"ship-carrier": "SF Express"}, follow=True)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert messages_of(response) == ["Tracking number: This field is required."]


def test_cancel_returns_the_stock_and_logs_the_note(admin_client, superuser, place):
    order = place(("KET-1", 3))
    assert SKU.objects.get(code="KET-1").stock == 7

    response = admin_client.post(action_url(order, "cancel"), {"cancel-note": "Customer called."}, follow=True)

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert SKU.objects.get(code="KET-1").stock == 10
    event = order.events.last()
    assert (event.to_status, event.actor, event.note) == ("cancelled", superuser, "Customer called.")
    assert messages_of(response) == [f"Order {order.number} is cancelled; its stock is back on sale."]


def test_partial_then_full_refund(admin_client, superuser, place):
    order = place(("KET-1", 1))  # ¥299.00, free shipping
    admin_client.post(action_url(order, "mark-paid"), follow=True)

    partial = admin_client.post(action_url(order, "refund"), {"refund-amount": "100.00", "refund-note": "Dent"}, follow=True)
    order.refresh_from_db()
    assert (order.status, order.refunded_total) == ("paid", Decimal("100.00"))
    assert messages_of(partial) == [f"Refunded ¥100.00 on order {order.number}."]

    admin_client.post(action_url(order, "refund"), {"refund-amount": "199.00", "refund-note": ""})
    order.refresh_from_db()
    assert (order.status, order.refunded_total) == ("refunded", Decimal("299.00"))
    assert order.events.last().actor == superuser


def test_refund_larger_than_the_refundable_amount_shows_the_error_and_changes_nothing(admin_client, place):
    order = place(("KET-1", 1))
    admin_client.post(action_url(order, "mark-paid"), follow=True)

    response = admin_client.post(action_url(order, "refund"), {"refund-amount": "500.00"}, follow=True)

    order.refresh_from_db()
    assert (order.status, order.refunded_total) == ("paid", Decimal("0.00"))
    assert messages_of(response) == [
        "A refund must be more than zero and at most the refundable ¥299.00."
    ]


def test_shipping_a_pending_order_shows_the_error_and_changes_nothing(admin_client, place):
    order = place(("KET-1", 1))
    events_before = OrderEvent.objects.count()

    response = admin_client.post(
        action_url(order, "ship"), {"ship-carrier": "SF Express", "ship-tracking_number": "SF1"}, follow=True,
    )

    order.refresh_from_db()
    assert (order.status, order.carrier, order.tracking_number) == ("pending_payment", "", "")
    assert OrderEvent.objects.count() == events_before
    assert messages_of(response) == [f"Order {order.number} cannot go from “Pending payment” to “Shipped”."]


def test_actions_answer_only_post(admin_client, place):
    order = place(("KET-1", 1))

    assert admin_client.get(action_url(order, "mark-paid")).status_code == 405


# --- permissions -------------------------------------------------------------------------


@pytest.mark.parametrize("action, data", [
    ("mark-paid", {}),
    ("ship", {"ship-carrier": "SF", "ship-tracking_number": "1"}),
    ("deliver", {}),
    ("cancel", {"cancel-note": "No."}),
    ("refund", {"refund-amount": "1.00"}),
])
def test_users_who_may_not_change_orders_get_403_on_actions(client, viewer, stranger, place, action, data):
    order = place(("KET-1", 1))

    for user in (viewer, stranger):
        client.force_login(user)
        assert client.post(action_url(order, action), data).status_code == 403

    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert order.events.count() == 1


def test_viewer_sees_the_detail_read_only(client, viewer, place, soup):
    order = place(("KET-1", 1))
    client.force_login(viewer)

    response = client.get(detail_url(order))

    assert response.status_code == 200
    page = soup(response)
    assert page.select(".hw-order-lines tbody tr")
    assert page.select("form.hw-order-action") == []


def test_user_without_order_permissions_cannot_open_the_listing_or_detail(client, stranger, place):
    order = place(("KET-1", 1))
    client.force_login(stranger)

    for url in (LIST, detail_url(order), LIST + "?export=csv"):
        response = client.get(url)
        # Wagtail answers a denied admin page with a redirect to the dashboard and a message.
        assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_detail_lists_the_payment_once_marked_paid(admin_client, place, soup):
    order = place(("KET-1", 1))

    response = admin_client.post(action_url(order, "mark-paid"), follow=True)

    rows = [[td.get_text(" ", strip=True) for td in tr.select("td")][1:] for tr in
            soup(response).select(".hw-order-payments tbody tr")]
    assert rows == [["Bank transfer", "¥299.00", "Succeeded", "—"]]


def test_marking_a_card_order_paid_by_hand_is_refused(admin_client, place):
    order = place(("KET-1", 1), payment_method="sandbox")

    response = admin_client.post(action_url(order, "mark-paid"), follow=True)

    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert messages_of(response) == [
        f"Order {order.number} is paid by card: the card provider confirms its payment, not an operator."
    ]


def test_money_flagged_refund_due_on_a_cancelled_order_is_given_back(admin_client, superuser, place, soup):
    from shop.payments.models import Payment, PaymentStatus

    # given a cancelled order whose bank transfer arrived afterwards
    order = place(("KET-1", 1))
    admin_client.post(action_url(order, "cancel"), {"cancel-note": "Too slow."}, follow=True)
    payment = Payment.objects.create(
        order=order, method="offline", amount=Decimal("299.00"), status=PaymentStatus.SUCCEEDED, refund_due=True,
    )
    form = soup(admin_client.get(detail_url(order))).select_one("form.hw-refund-due")
    assert form["action"] == action_url(order, "refund")

    # when the operator gives it back
    admin_client.post(action_url(order, "refund"), {
        "refund-amount": "299.00", "refund-payment_id": str(payment.pk), "refund-note": "Returned transfer",
    })

    # then the payment is refunded by that operator and the order stays cancelled
    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, payment.refund_due) == ("refunded", False)
    assert payment.refunds.get().actor == superuser
    assert (order.status, order.refunded_total) == ("cancelled", Decimal("0.00"))


def test_an_operator_of_the_operators_group_runs_orders(client, django_user_model, place):
    from django.contrib.auth.models import Group

    operator = django_user_model.objects.create_user("op", "op@example.com", "pw")
    operator.groups.add(Group.objects.get(name="Operators"))
    client.force_login(operator)
    order = place(("KET-1", 1))

    assert client.get(LIST).status_code == 200
    client.post(action_url(order, "mark-paid"))

    order.refresh_from_db()
    assert (order.status, order.events.last().actor) == ("paid", operator)


# --- cash on delivery -------------------------------------------------------------------


def test_cash_on_delivery_ships_unpaid_and_delivering_collects_the_cash(admin_client, superuser, place, soup):
    order = place(("KET-1", 1), payment_method="cod")
    page = soup(admin_client.get(detail_url(order)))
    assert page.select_one(f"form[action='{action_url(order, 'ship')}']") is not None

    admin_client.post(action_url(order, "ship"), {"ship-carrier": "SF Express", "ship-tracking_number": "SF1"})
    order.refresh_from_db()
    assert (order.status, order.paid_at) == ("shipped", None)

    delivered = admin_client.post(action_url(order, "deliver"), follow=True)

    order.refresh_from_db()
    assert order.status == "delivered" and order.paid_at is not None
    assert list(order.payments.values_list("method", "status", "amount")) == [("cod", "succeeded", Decimal("299.00"))]
    assert messages_of(delivered)[-1] == f"Order {order.number} is marked as delivered."
    assert order.events.last().note == "Delivered; cash collected."


def test_a_refused_cash_on_delivery_parcel_is_cancelled_and_its_stock_returns(admin_client, place):
    order = place(("KET-1", 2), payment_method="cod")
    admin_client.post(action_url(order, "ship"), {"ship-carrier": "SF Express", "ship-tracking_number": "SF2"})

    admin_client.post(action_url(order, "cancel"), {"cancel-note": "Refused at the door."})

    order.refresh_from_db()
    assert order.status == "cancelled"
    assert SKU.objects.get(code="KET-1").stock == 10


def test_a_bank_transfer_order_still_cannot_ship_before_it_is_paid(admin_client, place):
    order = place(("KET-1", 1), payment_method="offline")

    admin_client.post(action_url(order, "ship"), {"ship-carrier": "SF Express", "ship-tracking_number": "SF3"})

    order.refresh_from_db()
    assert order.status == "pending_payment"


def test_exports_keep_a_buyers_hostile_address_from_running_as_a_formula(admin_client, catalogue):
    # given a buyer who typed spreadsheet formulas into their name and address
    from tests.spreadsheets import csv_rows, xlsx_cells

    hostile = ShippingAddress(recipient="+cmd|' /C calc'!A0", phone="-1+1", city='=HYPERLINK("http://x","y")',
                              province="@SUM(1+1)", address_line="1 Rd")
    order = checkout_complete(
        idempotency_key="hostile", lines=[CheckoutLine("KET-1", 1)], email="evil@example.com", address=hostile,
        shipping_method="standard", payment_method="offline",
    )

    # when the operator exports the orders as CSV and as XLSX
    header, row = csv_rows(admin_client.get(LIST, {"export": "csv"}))
    xlsx_header, xlsx_row = xlsx_cells(admin_client.get(LIST, {"export": "xlsx"}))

    # then each such CSV cell starts with an apostrophe, and XLSX holds them as plain text
    record = dict(zip(header, row, strict=True))
    assert [record[name] for name in ("Recipient", "Phone", "Province", "City")] == [
        "'+cmd|' /C calc'!A0", "'-1+1", "'@SUM(1+1)", '\'=HYPERLINK("http://x","y")']
    cells = dict(zip([value for value, _type in xlsx_header], xlsx_row, strict=True))
    assert [cells[name] for name in ("Recipient", "Phone", "Province", "City")] == [
        ("+cmd|' /C calc'!A0", "s"), ("-1+1", "s"), ("@SUM(1+1)", "s"), ('=HYPERLINK("http://x","y")', "s")]
    # and the money stays numbers
    assert (record["Order number"], record["Total"]) == (order.number, "299.00")
    assert cells["Total"] == (299, "n")
