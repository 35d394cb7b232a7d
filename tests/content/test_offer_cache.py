"""Rendered offers are cached by what they show, so live price and stock are never stale."""

from decimal import Decimal

import pytest

from shop.catalogue.models import SKU, Brand, Product
from tests.factories import content as body

pytestmark = pytest.mark.django_db


def offer_html(client, page):
    return client.get(page.url).content.decode()


def test_a_price_or_stock_change_shows_on_the_next_render(client, article_factory, product_factory):
    product = product_factory(title="Sage kettle", images=1, skus=[{"price": "299.00", "stock": 20}])
    page = article_factory(body=[body.product_card(product, note="<p>Boils fast.</p>")])
    first = offer_html(client, page)
    assert "¥299.00" in first and "In stock" in first and "Boils fast." in first

    SKU.objects.filter(product=product).update(price=Decimal("249.00"), stock=2)
    second = offer_html(client, page)
    assert "¥249.00" in second and "¥299.00" not in second
    assert "Only 2 left" in second

    SKU.objects.filter(product=product).update(stock=0)
    third = offer_html(client, page)
    assert 'data-state="sold_out"' in third and "Sold out" in third


def test_a_renamed_brand_or_withdrawn_product_shows_at_once(client, article_factory, product_factory):
    product = product_factory(title="Sage kettle")
    page = article_factory(body=[body.product_grid([product, product_factory()])])
    assert product.brand.name in offer_html(client, page)

    Brand.objects.filter(pk=product.brand_id).update(name="Shancha 山茶")
    assert "Shancha 山茶" in offer_html(client, page)

    Product.objects.filter(pk=product.pk).update(active=False)
    assert f'data-product="{product.pk}" data-sku="{product.skus.get().code}" data-state="unavailable"' in offer_html(
        client, page
    )


def test_the_editors_note_is_never_served_from_another_article(client, article_factory, product_factory):
    product = product_factory()
    one = article_factory(body=[body.product_card(product, note="<p>Note for the first article.</p>")])
    two = article_factory(body=[body.product_card(product, note="<p>A different note.</p>")])
    assert "Note for the first article." in offer_html(client, one)
    html = offer_html(client, two)
    assert "A different note." in html and "Note for the first article." not in html
