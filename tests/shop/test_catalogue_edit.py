"""Editing a product in the admin while the shop sells it and other operators edit it:
stock changes only through recorded adjustments and orders, and a stale form is refused."""

import pytest

from shop.catalogue.models import SKU, Product
from shop.checkout.services import CheckoutLine, ShippingAddress, checkout_complete
from shop.orders.models import StockMovement

pytestmark = pytest.mark.django_db

ADDRESS = ShippingAddress(recipient="Lin", phone="13800000000", city="Hangzhou", address_line="1 Wensan Rd")
STALE = "Someone else saved this product after you opened it"


def edit_url(product):
    return f"/admin/snippets/catalogue/product/edit/{product.pk}/"


def opened_form(client, product, soup) -> dict:
    """Open the edit page and return what the browser would post from its form, unchanged."""
    response = client.get(edit_url(product))
    assert response.status_code == 200
    form = next(form for form in soup(response).select("form") if form.select_one("[name=title]"))
    data = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        name, kind = field["name"], field.get("type", "")
        if field.name == "input" and kind in ("submit", "button", "file"):
            continue
        if field.name == "input" and kind in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
            continue
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            chosen = field.select_one("option[selected]")
            data[name] = chosen.get("value", "") if chosen else ""
        else:
            data[name] = field.get("value", "")
    return data


@pytest.fixture
def operator(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("ops", "ops@example.com", "pw"))
    return client


@pytest.fixture
def kettle(product_factory):
    return product_factory(title="Sage Kettle", summary="Boils fast.", skus=[
        {"code": "KET-1", "price": "129.00", "stock": 10},
    ])


def sell(code, quantity, key="sale"):
    return checkout_complete(
        idempotency_key=key, lines=[CheckoutLine(code, quantity)], email="a@example.com", address=ADDRESS,
        shipping_method="standard", payment_method="offline",
    )


def test_saving_the_product_form_keeps_a_sale_made_while_it_was_open(operator, kettle, soup):
    # given an operator who opened the product to change only its summary
    data = opened_form(operator, kettle, soup)
    data["summary"] = "Boils in three minutes."

    # when a reader buys three meanwhile, and then the operator saves
    order = sell("KET-1", 3)
    response = operator.post(edit_url(kettle), data)

    # then the summary changed, and the stock keeps the sale: no movement but the order's
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Product.objects.get(pk=kettle.pk).summary == "Boils in three minutes."
    assert SKU.objects.get(code="KET-1").stock == 7
    assert list(StockMovement.objects.values_list("delta", "reason", "order")) == [(-3, "order", order.pk)]


def test_the_forms_show_stock_read_only_and_a_posted_stock_changes_nothing(operator, kettle, soup):
    # given the product's edit page
    response = operator.get(edit_url(kettle))
    page = soup(response)

    # then no field edits stock, yet each SKU's stock is shown
    assert page.select("[name$='-stock']") == []
    shown = page.select_one("#panel-child-skus-0-child-stock-label").find_parent(class_="w-panel__wrapper")
    assert shown.get_text(" ", strip=True) == "Stock Change it on the product’s Stock page, where each change is recorded. 10"

    # and a stock typed into a crafted post is not written, nor recorded
    data = opened_form(operator, kettle, soup)
    data["skus-0-stock"] = "999"
    assert operator.post(edit_url(kettle), data).status_code == 302
    assert SKU.objects.get(code="KET-1").stock == 10
    assert StockMovement.objects.count() == 0


def test_a_form_opened_before_another_operator_saved_is_refused_with_a_message(client, kettle, soup,
                                                                              django_user_model):
    # given two operators who open the same product
    ann = django_user_model.objects.create_superuser("ann", "ann@example.com", "pw")
    bo = django_user_model.objects.create_superuser("bo", "bo@example.com", "pw")
    client.force_login(ann)
    ann_form = opened_form(client, kettle, soup)
    client.force_login(bo)
    bo_form = opened_form(client, kettle, soup)

    # when Bo changes the price and saves, then Ann changes the summary and saves
    bo_form["skus-0-price"] = "119.00"
    assert client.post(edit_url(kettle), bo_form).status_code == 302
    client.force_login(ann)
    ann_form["summary"] = "Boils in three minutes."
    response = client.post(edit_url(kettle), ann_form)

    # then Ann's save is refused with a message, and Bo's price stands
    assert response.status_code == 200
    assert STALE in response.content.decode()
    product = Product.objects.get(pk=kettle.pk)
    assert (product.summary, SKU.objects.get(code="KET-1").price) == ("Boils fast.", 119)

    # and once she reopens the product, her change saves
    ann_form = opened_form(client, kettle, soup)
    ann_form["summary"] = "Boils in three minutes."
    assert client.post(edit_url(kettle), ann_form).status_code == 302
    product.refresh_from_db()
    assert (product.summary, SKU.objects.get(code="KET-1").price) == ("Boils in three minutes.", 119)
