"""The reader's pages the third-party checkers (axe-core, the Nu HTML Checker) look at:
built from real content and a real order, not the demo data."""

import re

from django.core.files.base import ContentFile

from tests.factories import ProductImageFactory, png_bytes
from tests.factories import content as body

ADDRESS = {
    "email": "mei@example.com", "recipient": "Li Mei", "phone": "13800138000", "province": "Shanghai",
    "city": "Shanghai", "district": "Xuhui", "address_line": "100 Tianyaoqiao Road", "postcode": "200030",
    "shipping_method": "standard", "payment_method": "offline",
}


def reader_content(*, article_factory, product_factory, image_factory, author_factory):
    """An article with every block type over products in stock, low and sold out; the
    paths of the public pages, by name. Photos are as large as an editor's (2400 px), so
    every rendition of a srcset has its own width."""

    def photo(title):
        return image_factory(title=title, file=ContentFile(png_bytes(width=2400, height=1600), name="photo.png"))

    kettle = product_factory(title="Sage Kettle", slug="sage-kettle", summary="Boils fast, pours clean.",
                             skus=[{"code": "KET-1", "price": "299.00", "stock": 4, "compare_at_price": "349.00",
                                    "options": {"colour": "Sage"}},
                                   {"code": "KET-2", "price": "319.00", "stock": 0, "options": {"colour": "Black"}}])
    mug = product_factory(title="Stoneware Mug", slug="stoneware-mug",
                          skus=[{"code": "MUG-1", "price": "59.00", "stock": 30}])
    teapot = product_factory(title="Glass Teapot", slug="glass-teapot",
                             skus=[{"code": "POT-1", "price": "129.00", "stock": 0}])
    for product, count in ((kettle, 2), (mug, 1), (teapot, 1)):
        for order in range(count):
            ProductImageFactory(product=product, image=photo(product.title), sort_order=order)
    look = photo("A morning table")
    figure = photo("Steam")
    author = author_factory(name="Wang Fang", role="Editor")
    article = article_factory(title="Morning kit", slug="morning-kit", hero_image=look, author=author, body=[
        body.paragraph("<p>Two things we use <b>every</b> day, and one we wish we could buy.</p>"),
        body.heading("How we tested", level="h2"),
        body.image(figure, alt="Steam rising from a kettle", caption="Ready in three minutes."),
        body.quote("It has not missed a morning.", attribution="Wang Fang"),
        body.product_card(kettle, badge="Our pick"),
        body.product_grid([kettle, mug, teapot], heading="The whole kit"),
        body.comparison_table([kettle, teapot], rows=(("Weight", ("1.2 kg", "0.8 kg")),
                                                       ("Capacity", ("1.7 l", "1 l"))),
                              winner=None, heading="Kettle or teapot?"),
        body.shop_the_look(look, [(kettle.skus.get(code="KET-1"), "30", "40", "Kettle"),
                                  (mug.skus.get(), "70", "60", "Mug")], alt="A kettle and a mug on a table"),
    ])
    article_factory(title="Tea for two", slug="tea-for-two", hero_image=figure, author=author,
                    body=[body.paragraph("<p>Slow mornings.</p>")])
    return {
        "home": "/", "article index": article.get_parent().url, "article": article.url,
        "product": "/products/sage-kettle/", "search": "/search/?q=kettle", "sign in": "/account/login/",
        "sign up": "/account/signup/", "forgotten password": "/account/password/forgot/",
        "order lookup": "/orders/lookup/", "empty cart": "/cart/",
    }


def customer_pages(client, *, user) -> dict:
    """Signs ``user`` in on ``client``, places an order through the pages and fills the
    cart again; the paths of the pages only this customer sees, by name."""
    client.force_login(user)
    client.post("/cart/add/", {"sku": "KET-1", "quantity": "1"})
    checkout = client.get("/checkout/").content.decode()
    key = re.search(r'name="checkout_key" value="([^"]+)"', checkout).group(1)
    placed = client.post("/checkout/", {**ADDRESS, "checkout_key": key})
    assert placed.status_code == 302, placed.content.decode()[:2000]
    number = re.search(r"/orders/([^/]+)/", placed["Location"]).group(1)
    client.post("/cart/add/", {"sku": "MUG-1", "quantity": "2"})
    return {
        "cart": "/cart/", "checkout": "/checkout/", "confirmation": f"/orders/{number}/",
        "account orders": "/account/orders/", "account order": f"/account/orders/{number}/",
    }
