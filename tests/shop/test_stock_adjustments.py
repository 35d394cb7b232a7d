"""Operators' stock adjustments: the service, the admin stock page, and two operators at once."""


import pytest
from django.contrib.auth.models import Permission
from django.db import connection

from shop.catalogue.errors import InvalidStockAdjustment, StockBelowZero
from shop.catalogue.models import SKU, Product
from shop.catalogue.services import stock_adjust
from shop.orders.models import StockMovement
from tests.concurrency import run_in_threads


def stock_url(product):
    return f"/admin/catalogue/stock/{product.pk}/"


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")


@pytest.fixture
def kettle(product_factory):
    return product_factory(title="Sage Kettle", skus=[
        {"code": "KET-S", "price": "299.00", "stock": 5, "options": {"colour": "Sage"}},
        {"code": "KET-B", "price": "299.00", "stock": 0, "options": {"colour": "Black"}},
    ])


# --- the service -------------------------------------------------------------------------


@pytest.mark.django_db
def test_adding_stock_records_a_movement_with_who_and_why(kettle, superuser):
    sku = SKU.objects.get(code="KET-B")

    result = stock_adjust(sku_id=sku.pk, delta=12, reason_note="Delivery from Foshan", actor=superuser)

    assert result.stock == 12
    assert SKU.objects.get(pk=sku.pk).stock == 12
    movement = StockMovement.objects.get(sku=sku)
    assert (movement.delta, movement.reason, movement.note, movement.actor, movement.order) == (
        12, "adjustment", "Delivery from Foshan", superuser, None,
    )


@pytest.mark.django_db
def test_taking_stock_away_down_to_zero_is_allowed(kettle, superuser):
    sku = SKU.objects.get(code="KET-S")

    result = stock_adjust(sku_id=sku.pk, delta=-5, reason_note="Water damage", actor=superuser)

    assert result.stock == 0
    assert list(StockMovement.objects.values_list("delta", "note")) == [(-5, "Water damage")]


@pytest.mark.django_db
def test_taking_more_than_is_in_stock_is_refused_and_changes_nothing(kettle, superuser):
    sku = SKU.objects.get(code="KET-S")

    with pytest.raises(StockBelowZero) as error:
        stock_adjust(sku_id=sku.pk, delta=-6, reason_note="Count", actor=superuser)

    assert str(error.value) == "KET-S has 5 in stock: taking away 6 would make the stock negative."
    assert SKU.objects.get(pk=sku.pk).stock == 5
    assert StockMovement.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("delta, note", [(0, "Count"), (3, "   ")])
def test_a_zero_change_or_a_blank_reason_is_refused(kettle, superuser, delta, note):
    sku = SKU.objects.get(code="KET-S")

    with pytest.raises(InvalidStockAdjustment):
        stock_adjust(sku_id=sku.pk, delta=delta, reason_note=note, actor=superuser)

    assert SKU.objects.get(pk=sku.pk).stock == 5
    assert StockMovement.objects.count() == 0


# --- the admin page ----------------------------------------------------------------------


@pytest.mark.django_db
def test_stock_page_lists_skus_and_adjusts_one(client, superuser, kettle, soup):
    client.force_login(superuser)
    black = SKU.objects.get(code="KET-B")

    page = soup(client.get(stock_url(kettle)))
    assert {td["data-stock"]: td.get_text(strip=True) for td in page.select("td[data-stock]")} == {
        "KET-S": "5", "KET-B": "0",
    }

    response = client.post(stock_url(kettle), {"sku": black.pk, "delta": "8", "reason": "Restock"}, follow=True)

    assert SKU.objects.get(pk=black.pk).stock == 8
    assert [str(m).strip() for m in response.context["messages"]] == ["Stock of KET-B changed by +8; it is now 8."]
    history = [[td.get_text(" ", strip=True) for td in tr.select("td")][1:] for tr in
               soup(response).select(".hw-stock-history tbody tr")]
    assert history == [["KET-B", "+8", "Manual adjustment: Restock", "boss", "—"]]


@pytest.mark.django_db
def test_stock_page_shows_the_service_error_for_too_much_taken(client, superuser, kettle):
    client.force_login(superuser)
    sage = SKU.objects.get(code="KET-S")

    response = client.post(stock_url(kettle), {"sku": sage.pk, "delta": "-9", "reason": "Count"}, follow=True)

    assert SKU.objects.get(pk=sage.pk).stock == 5
    assert [str(m).strip() for m in response.context["messages"]] == [
        "KET-S has 5 in stock: taking away 9 would make the stock negative."
    ]


@pytest.mark.django_db
def test_stock_page_requires_a_reason_and_refuses_a_sku_of_another_product(client, superuser, kettle, product_factory):
    client.force_login(superuser)
    product_factory(skus=[{"code": "OTHER-1", "stock": 1}])
    other_sku = SKU.objects.get(code="OTHER-1")
    sage = SKU.objects.get(code="KET-S")

    no_reason = client.post(stock_url(kettle), {"sku": sage.pk, "delta": "2", "reason": ""})
    wrong_sku = client.post(stock_url(kettle), {"sku": other_sku.pk, "delta": "2", "reason": "x"})

    assert no_reason.status_code == wrong_sku.status_code == 200  # the form again, with its errors
    assert SKU.objects.get(pk=sage.pk).stock == 5
    assert SKU.objects.get(pk=other_sku.pk).stock == 1
    assert StockMovement.objects.count() == 0


@pytest.mark.django_db
def test_stock_page_shows_order_movements_with_a_link_to_the_order(client, superuser, kettle, soup):
    from shop.checkout.services import CheckoutLine, ShippingAddress, checkout_complete

    client.force_login(superuser)
    order = checkout_complete(
        idempotency_key="stock-page", lines=[CheckoutLine("KET-S", 2)], email="a@example.com",
        address=ShippingAddress(recipient="Lin", phone="1", city="Hangzhou", address_line="1 Rd"),
        shipping_method="standard", payment_method="offline",
    )

    page = soup(client.get(stock_url(kettle)))

    row = page.select_one(".hw-stock-history tbody tr")
    assert [td.get_text(" ", strip=True) for td in row.select("td")][1:] == [
        "KET-S", "-2", "Order placed", "—", order.number,
    ]
    assert row.select_one("a")["href"] == f"/admin/orders/{order.pk}/"


@pytest.mark.django_db
def test_product_listing_links_to_the_stock_page(client, superuser, kettle, soup):
    client.force_login(superuser)

    page = soup(client.get("/admin/snippets/catalogue/product/"))

    assert page.select_one(f'a[href="{stock_url(kettle)}"]') is not None


@pytest.mark.django_db
def test_users_who_may_not_change_products_get_403(client, django_user_model, kettle):
    user = django_user_model.objects.create_user("clerk", "clerk@example.com", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    sage = SKU.objects.get(code="KET-S")

    assert client.get(stock_url(kettle)).status_code == 403
    assert client.post(stock_url(kettle), {"sku": sage.pk, "delta": "5", "reason": "x"}).status_code == 403
    assert SKU.objects.get(pk=sage.pk).stock == 5


# --- concurrency (PostgreSQL) ------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)")
def test_two_operators_taking_the_same_stock_at_once_never_go_below_zero(django_user_model):
    # given 5 in stock and two operators each taking 3 at the same moment
    operator = django_user_model.objects.create_user("op", "op@example.com", "pw")
    product = Product.objects.create(title="Hot item", slug="hot-item")
    sku = SKU.objects.create(product=product, code="HOT-1", price="59.00", stock=5)

    results, errors = run_in_threads(
        2, lambda i: stock_adjust(sku_id=sku.pk, delta=-3, reason_note=f"Count {i}", actor=operator)
    )

    # then exactly one succeeds, the other is refused, and one movement is recorded
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], StockBelowZero), errors
    assert SKU.objects.get(pk=sku.pk).stock == 2
    assert list(StockMovement.objects.values_list("delta", flat=True)) == [-3]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)")
def test_parallel_additions_all_count(django_user_model):
    operator = django_user_model.objects.create_user("op", "op@example.com", "pw")
    product = Product.objects.create(title="Hot item", slug="hot-item")
    sku = SKU.objects.create(product=product, code="HOT-1", price="59.00", stock=0)

    results, errors = run_in_threads(
        10, lambda i: stock_adjust(sku_id=sku.pk, delta=i + 1, reason_note="Delivery", actor=operator)
    )

    assert (len(results), errors) == (10, [])
    assert SKU.objects.get(pk=sku.pk).stock == sum(range(1, 11))
    assert StockMovement.objects.count() == 10


@pytest.mark.django_db
def test_an_operator_of_the_operators_group_adjusts_stock(client, django_user_model, kettle):
    from django.contrib.auth.models import Group

    operator = django_user_model.objects.create_user("op", "op@example.com", "pw")
    operator.groups.add(Group.objects.get(name="Operators"))
    client.force_login(operator)
    sage = SKU.objects.get(code="KET-S")

    client.post(stock_url(kettle), {"sku": sage.pk, "delta": "-1", "reason": "Display model"})

    assert SKU.objects.get(pk=sage.pk).stock == 4
    assert StockMovement.objects.get().actor == operator
