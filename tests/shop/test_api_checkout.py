"""Storefront JSON API: placing the session cart as an order, and the buyer's order status."""

from decimal import Decimal

import pytest
from django.test import Client

from shop.cart.models import CartLine
from shop.catalogue.models import SKU
from shop.orders.models import Order, OrderStatus
from shop.orders.notifications import order_send_confirmation
from shop.orders.services import order_ship
from tests.shop.test_api import Shopper

pytestmark = pytest.mark.django_db


def checkout_body(key="order-key-1", **overrides):
    body = {
        "contact": {"email": "Lin@Example.com", "name": "林小姐", "phone": "13800000000"},
        "address": {
            "recipient": "林小姐", "phone": "13800000000", "province": "浙江", "city": "杭州",
            "district": "西湖区", "address_line": "文三路 1 号", "postcode": "310000",
        },
        "shipping_method": "standard",
        "payment_method": "offline",
        "idempotency_key": key,
    }
    body.update(overrides)
    return body


@pytest.fixture
def kettle(product_factory):
    return product_factory(title="Sage kettle", skus=[{"code": "KET-1", "price": "129.00", "stock": 5}]).skus.get()


@pytest.fixture
def mug(product_factory):
    return product_factory(title="Stoneware mug", skus=[{"code": "MUG-1", "price": "39.90", "stock": 3}]).skus.get()


@pytest.fixture
def buyer(kettle, mug):
    """A guest with two kettles and a mug in the cart."""
    shopper = Shopper()
    shopper.add("KET-1", 2)
    shopper.add("MUG-1", 1)
    return shopper


def test_checkout_places_the_cart_as_an_order(buyer, kettle, mug, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = buyer.send("post", "/api/checkout", checkout_body(shipping_method="express"))

    assert response.status_code == 201
    order = Order.objects.get()
    assert response.json() == {
        "number": order.number, "status": "pending_payment", "total": "317.90", "currency": "CNY",
        "payment_url": f"http://testserver/orders/{order.number}/",
    }
    assert (order.email, order.city, order.shipping_method, order.payment_method) == (
        "Lin@Example.com", "杭州", "express", "offline",
    )
    assert [(line.sku_code, line.quantity, line.line_total) for line in order.lines.all()] == [
        ("KET-1", 2, Decimal("258.00")), ("MUG-1", 1, Decimal("39.90")),
    ]
    assert list(SKU.objects.order_by("code").values_list("stock", flat=True)) == [3, 2]
    assert not CartLine.objects.exists()
    assert buyer.client.session["hw_orders"] == [order.number]
    assert [(cb.func, cb.args) for cb in callbacks] == [(order_send_confirmation, (order.pk,))]


def test_a_retry_with_the_same_key_answers_the_same_order(buyer, kettle, django_capture_on_commit_callbacks):
    first = buyer.send("post", "/api/checkout", checkout_body())
    with django_capture_on_commit_callbacks() as callbacks:
        retry = buyer.send("post", "/api/checkout", checkout_body())

    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()["number"] == first.json()["number"]
    assert retry.json()["total"] == first.json()["total"] == "297.90"
    assert Order.objects.count() == 1
    assert SKU.objects.get(code="KET-1").stock == 3
    assert buyer.client.session["hw_orders"] == [first.json()["number"]]
    assert callbacks == []  # one confirmation e-mail, not two


def test_a_card_payment_answers_the_hosted_payment_page(buyer):
    response = buyer.send("post", "/api/checkout", checkout_body(payment_method="sandbox"))

    assert response.status_code == 201
    assert response.json()["payment_url"].startswith("http://testserver/payments/sandbox/")
    assert Order.objects.get().payment_method == "sandbox"


def test_the_buyer_gets_the_confirmation_email_after_commit(buyer, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        number = buyer.send("post", "/api/checkout", checkout_body()).json()["number"]

    assert [message.to for message in mailoutbox] == [["Lin@Example.com"]]
    assert number in mailoutbox[0].subject


def test_a_new_key_after_an_order_finds_the_cart_empty(buyer):
    buyer.send("post", "/api/checkout", checkout_body("key-1"))

    response = buyer.send("post", "/api/checkout", checkout_body("key-2"))

    assert response.status_code == 400
    assert response.json() == {"message": "Your cart is empty.", "code": "empty_cart"}
    assert Order.objects.count() == 1


def test_another_client_with_the_same_key_gets_its_own_order_not_the_first_buyers(buyer, kettle):
    first = buyer.send("post", "/api/checkout", checkout_body("shared-key"))
    stranger = Shopper()
    stranger.add("KET-1", 1)

    response = stranger.send("post", "/api/checkout", checkout_body("shared-key"))

    assert response.status_code == 201
    assert response.json()["number"] != first.json()["number"]
    assert first.json()["number"] not in stranger.client.session.get("hw_orders", [])
    assert Order.objects.count() == 2


def test_prices_totals_and_lines_in_the_body_are_ignored(buyer, kettle):
    tampered = checkout_body(
        total="0.01", subtotal="0.01", shipping_total="0", discount_total="999",
        lines=[{"sku": "KET-1", "quantity": 99, "unit_price": "0.01"}],
    )
    tampered["address"]["price"] = "0.01"

    response = buyer.send("post", "/api/checkout", tampered)

    assert response.status_code == 201
    order = Order.objects.get()
    assert response.json()["total"] == "297.90"
    assert (order.subtotal, order.shipping_total, order.discount_total, order.total) == (
        Decimal("297.90"), Decimal("0.00"), Decimal("0.00"), Decimal("297.90"),
    )
    assert [(line.sku_code, line.quantity, line.unit_price) for line in order.lines.all()] == [
        ("KET-1", 2, Decimal("129.00")), ("MUG-1", 1, Decimal("39.90")),
    ]


def test_stock_that_ran_out_between_cart_and_checkout_is_409_and_changes_nothing(buyer, kettle, mug):
    SKU.objects.filter(pk=mug.pk).update(stock=0)

    response = buyer.send("post", "/api/checkout", checkout_body())

    assert response.status_code == 409
    assert response.json() == {"message": "MUG-1 has just sold out.", "code": "out_of_stock"}
    assert not Order.objects.exists()
    assert SKU.objects.get(pk=kettle.pk).stock == 5
    assert CartLine.objects.count() == 2


def test_less_stock_than_the_cart_holds_is_409_with_what_is_left(buyer, kettle):
    SKU.objects.filter(pk=kettle.pk).update(stock=1)

    response = buyer.send("post", "/api/checkout", checkout_body())

    assert response.status_code == 409
    assert response.json()["message"] == "Only 1 of KET-1 left; you asked for 2."
    assert not Order.objects.exists()


def test_a_sku_withdrawn_while_in_the_cart_is_409(buyer, kettle):
    SKU.objects.filter(pk=kettle.pk).update(active=False)

    response = buyer.send("post", "/api/checkout", checkout_body())

    assert response.status_code == 409
    assert response.json() == {"message": "KET-1 is no longer available.", "code": "sku_unavailable"}
    assert not Order.objects.exists()


def test_checkout_with_an_empty_cart_is_400(kettle):
    never_added = Shopper()
    emptied = Shopper()
    line_id = emptied.add("KET-1", 1).json()["lines"][0]["id"]
    emptied.send("delete", f"/api/cart/lines/{line_id}")

    assert never_added.send("post", "/api/checkout", checkout_body()).status_code == 400
    assert emptied.send("post", "/api/checkout", checkout_body()).json()["message"] == "Your cart is empty."
    assert not Order.objects.exists()


def _with(path, value):
    body = checkout_body()
    *parents, leaf = path.split(".")
    target = body
    for part in parents:
        target = target[part]
    if value is ...:
        del target[leaf]
    else:
        target[leaf] = value
    return body


@pytest.mark.parametrize(("path", "value", "message"), [
    ("contact.email", "not-an-email", "Enter a valid e-mail address."),
    ("contact.email", "", "Please check these fields: contact.email."),
    ("contact", ..., "Please check these fields: contact."),
    ("shipping_method", "teleport", "Please check these fields: shipping_method."),
    ("payment_method", "cash", "Please check these fields: payment_method."),
    ("payment_method", None, "Please check these fields: payment_method."),
    ("address.city", "   ", "Please check these fields: address.city."),
    ("address.recipient", "x" * 101, "Please check these fields: address.recipient."),
    ("address.address_line", "文三路\x00", "Text fields must not contain NUL characters."),
    ("address.country", "China", "Please check these fields: address.country."),
    ("idempotency_key", "", "Please check these fields: idempotency_key."),
    ("idempotency_key", ..., "Please check these fields: idempotency_key."),
])
def test_invalid_checkout_fields_are_422_and_place_nothing(buyer, kettle, path, value, message):
    response = buyer.send("post", "/api/checkout", _with(path, value))

    assert response.status_code == 422
    assert response.json()["message"] == message
    assert not Order.objects.exists()
    assert SKU.objects.get(pk=kettle.pk).stock == 5


def test_the_address_is_stored_trimmed_with_an_upper_case_country(buyer):
    body = checkout_body()
    body["address"].update(city="  杭州 ", country="cn")

    buyer.send("post", "/api/checkout", body)

    order = Order.objects.get()
    assert (order.city, order.country) == ("杭州", "CN")


def test_a_signed_in_buyer_owns_the_order(django_user_model, kettle):
    user = django_user_model.objects.create_user("lin", "lin@example.com", "pw")
    shopper = Shopper()
    shopper.client.force_login(user)
    shopper.client.get("/api/cart")
    shopper.add("KET-1", 1)

    response = shopper.send("post", "/api/checkout", checkout_body())

    assert response.status_code == 201
    assert Order.objects.get().user == user


# Order status for the buyer


@pytest.fixture
def placed(buyer):
    return buyer.send("post", "/api/checkout", checkout_body()).json()["number"]


def test_the_buyer_reads_the_order_with_its_email_in_any_case(placed):
    response = Client().get(f"/api/orders/{placed}", {"email": " lin@EXAMPLE.com "})

    assert response.status_code == 200
    order = Order.objects.get()
    body = response.json()
    assert body["placed_at"] and body["pay_by"]
    del body["placed_at"], body["pay_by"]
    assert body == {
        "number": placed, "status": "pending_payment", "status_label": "Pending payment", "currency": "CNY",
        "subtotal": "297.90", "shipping_total": "0.00", "discount_total": "0.00", "total": "297.90",
        "refunded_total": "0.00", "paid_at": None,
        "lines": [
            {"sku": "KET-1", "title": "Sage kettle", "option": "", "quantity": 2, "unit_price": "129.00",
             "line_total": "258.00"},
            {"sku": "MUG-1", "title": "Stoneware mug", "option": "", "quantity": 1, "unit_price": "39.90",
             "line_total": "39.90"},
        ],
        "shipping_method": "standard", "payment_method": "offline", "carrier": "", "tracking_number": "",
    }
    assert order.number == placed


def test_the_buyer_sees_the_tracking_number_once_shipped(placed):
    order = Order.objects.get()
    order.status = OrderStatus.PAID
    order.save()
    order_ship(order_id=order.pk, carrier="SF Express", tracking_number="SF1234567890")

    body = Client().get(f"/api/orders/{placed}", {"email": "lin@example.com"}).json()

    assert (body["status"], body["carrier"], body["tracking_number"], body["pay_by"]) == (
        "shipped", "SF Express", "SF1234567890", None,
    )


@pytest.mark.parametrize("params", [{"email": "someone@example.com"}, {"email": ""}, {}, {"email": "lin\x00"}])
def test_without_the_right_email_the_order_is_not_found(placed, params):
    response = Client().get(f"/api/orders/{placed}", params)

    assert response.status_code == 404
    assert response.json()["message"] == "There is no order with this number and e-mail address."


def test_an_unknown_number_answers_like_a_wrong_email(placed):
    response = Client().get("/api/orders/HW20000101999999", {"email": "lin@example.com"})

    assert response.status_code == 404
    assert response.json()["message"] == "There is no order with this number and e-mail address."


def test_the_signed_in_owner_needs_no_email_and_others_get_404(django_user_model, kettle):
    owner = django_user_model.objects.create_user("lin", "lin@example.com", "pw")
    other = django_user_model.objects.create_user("wu", "wu@example.com", "pw")
    shopper = Shopper()
    shopper.client.force_login(owner)
    shopper.add("KET-1", 1)
    number = shopper.send("post", "/api/checkout", checkout_body()).json()["number"]
    someone = Client()
    someone.force_login(other)

    assert shopper.get(f"/api/orders/{number}").status_code == 200
    assert someone.get(f"/api/orders/{number}").status_code == 404


def test_checkout_refuses_a_payment_method_this_installation_does_not_offer(buyer, kettle, settings):
    # given a server without the sandbox card gateway (as in production)
    settings.HAOWU_PAYMENT_METHODS = ["offline", "cod"]

    # when an app asks to pay by sandbox card
    response = buyer.send("post", "/api/checkout", checkout_body(payment_method="sandbox"))

    # then no order is placed and the stock is untouched
    assert response.status_code == 422
    assert response.json() == {
        "message": "This payment method is not available. Please choose another one.",
        "code": "payment_method_unavailable",
        "detail": None,
    }
    assert Order.objects.count() == 0
    kettle.refresh_from_db()
    assert kettle.stock == 5


def test_checkout_by_cash_on_delivery_has_no_pay_by_time(buyer):
    response = buyer.send("post", "/api/checkout", checkout_body(payment_method="cod"))

    assert response.status_code == 201
    order = Order.objects.get()
    assert (order.payment_method, order.expires_at) == ("cod", None)
    assert response.json()["payment_url"] == f"http://testserver/orders/{order.number}/"


# --- limits on what a stranger can make the shop hold and send ---------------------------------------


def _place(shopper, key, **overrides):
    shopper.add("MUG-1", 1)
    return shopper.send("post", "/api/checkout", checkout_body(key, **overrides))


def test_checkouts_from_one_address_are_limited(settings, mug, mailoutbox, django_capture_on_commit_callbacks):
    # given a limit of two checkouts per address, and e-mail addresses that differ
    settings.HAOWU_LIMIT_CHECKOUT = "2/10m"
    shopper = Shopper()
    with django_capture_on_commit_callbacks(execute=True):
        placed = [_place(shopper, f"key-{n}", contact={"email": f"n{n}@example.com", "name": "Lin", "phone": "1"})
                  for n in range(2)]

        # when a third checkout comes from the same address (a new session, as a script would)
        other = Shopper()
        refused = _place(other, "key-3", contact={"email": "n3@example.com", "name": "Lin", "phone": "1"})

    # then it is refused with a sentence and a time to wait, and nothing is held or sent
    assert [r.status_code for r in placed] == [201, 201]
    assert refused.status_code == 429
    assert refused.json() == {
        "message": "Too many attempts from your network. Please wait a few minutes and try again.",
        "code": "rate_limited",
    }
    assert 0 < int(refused["Retry-After"]) <= 600
    assert Order.objects.count() == 2
    assert SKU.objects.get(code="MUG-1").stock == 1
    assert len(mailoutbox) == 2


def test_a_retry_of_a_placed_order_is_answered_even_over_the_limit(settings, mug):
    settings.HAOWU_LIMIT_CHECKOUT = "1/10m"
    shopper = Shopper()
    first = _place(shopper, "key-1")

    retry = shopper.send("post", "/api/checkout", checkout_body("key-1"))

    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()["number"] == first.json()["number"]
    # while a new order from the same address is refused
    assert _place(shopper, "key-2").status_code == 429


def test_signed_in_buyers_are_counted_per_account_not_per_address(settings, mug, django_user_model):
    # given a limit of one checkout, already used by a guest on the same network
    settings.HAOWU_LIMIT_CHECKOUT = "1/10m"
    assert _place(Shopper(), "guest-key").status_code == 201
    mei = django_user_model.objects.create_user(username="mei", email="mei@example.com", password="pw")
    member = Shopper()
    member.client.force_login(mei)
    member.client.get("/api/cart")

    # when the account checks out twice
    first, second = _place(member, "member-1"), _place(member, "member-2")

    # then its first checkout is its own to make, its second is over its limit
    assert (first.status_code, second.status_code) == (201, 429)


def test_unpaid_orders_per_email_are_limited_in_any_case(
    settings, mug, mailoutbox, django_capture_on_commit_callbacks,
):
    settings.HAOWU_LIMIT_UNPAID_PER_EMAIL = 2
    shopper = Shopper()
    emails = ["lin@example.com", "LIN@example.com", "Lin@Example.COM"]
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            _place(shopper, f"key-{n}", contact={"email": email, "name": "Lin", "phone": "1"})
            for n, email in enumerate(emails)
        ]

    assert [a.status_code for a in answers] == [201, 201, 429]
    assert answers[2].json() == {
        "message": "This e-mail address already has as many unpaid orders as we can hold for it. Please pay "
                   "for one of them, or wait until an unpaid order expires, before placing another.",
        "code": "rate_limited",
    }
    assert 29 * 60 < int(answers[2]["Retry-After"]) <= 30 * 60
    assert Order.objects.count() == 2
    assert len(mailoutbox) == 2
    # and a paid order no longer counts
    Order.objects.filter(pk=Order.objects.order_by("pk").first().pk).update(status=OrderStatus.PAID)
    retry = shopper.send("post", "/api/checkout", checkout_body(
        "key-2", contact={"email": "lin@example.com", "name": "Lin", "phone": "1"}))
    assert retry.status_code == 201
