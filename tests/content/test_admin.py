"""The editor's flow through Wagtail's admin, posted as the browser would post it."""

import json

import pytest
from django.contrib.auth.models import Group
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from content.blocks.text import NOTE_FEATURES
from content.models import ArticlePage
from shop.catalogue.models import Product

ARTICLE_ADD = "/admin/pages/add/content/articlepage/{}/"
PRODUCT_ADD = "/admin/snippets/catalogue/product/add/"


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.com", "pw")


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", "editor@example.com", "pw")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def _article_form(*, title, slug, blocks, author=None, action="action-publish"):
    return nested_form_data({
        "title": title,
        "slug": slug,
        "intro": "Three kettles, one winner.",
        "date": "2025-03-01",
        "language": "en",
        "author": author.pk if author else "",
        "category": "",
        "hero_image": "",
        "tags": "kitchen, 厨房",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "body": streamfield(blocks),
        action: "1",
    })


def _card(product, *, note="<p>Boils in <b>three</b> minutes.</p>", badge="Editor’s pick"):
    return ("product_card", {
        "product": product.pk, "sku": "", "badge": badge,
        "note": rich_text(note, features=NOTE_FEATURES),
    })


def test_superuser_creates_and_publishes_an_article_with_a_product_card(
    client, superuser, article_index, product_factory, author_factory, soup,
):
    # given a product in the catalogue and an editor in the admin
    product = product_factory(title="Sage Kettle", skus=[{"code": "KET-1", "price": "299.00", "stock": 12}])
    author = author_factory(name="Lin")
    client.force_login(superuser)
    assert client.get(ARTICLE_ADD.format(article_index.pk)).status_code == 200

    # when they post a new article with a product card and press publish
    response = client.post(
        ARTICLE_ADD.format(article_index.pk),
        _article_form(title="Best kettles", slug="best-kettles", author=author, blocks=[
            ("heading", {"text": "The winner", "level": "h2"}),
            _card(product),
        ]),
    )

    # then the page is live, stored with its blocks and tags
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ArticlePage.objects.get(slug="best-kettles")
    assert page.live is True
    assert page.get_parent().pk == article_index.pk
    assert page.author == author
    assert sorted(t.name for t in page.tags.all()) == ["kitchen", "厨房"]
    assert [b.block_type for b in page.body] == ["heading", "product_card"]
    card = page.body[1].value
    assert card["product"] == product
    assert card["badge"] == "Editor’s pick"
    assert card["note"].source == "<p>Boils in <b>three</b> minutes.</p>"
    # and readers see the live product card
    html = soup(client.get(page.url))
    offer = html.select_one(".shop-block--card .offer")
    assert offer["data-product"] == str(product.pk)
    assert offer["data-sku"] == "KET-1"
    assert offer.select_one(".price").get_text(strip=True) == "¥299.00"


def test_article_form_refuses_a_card_without_product(client, superuser, article_index):
    client.force_login(superuser)

    response = client.post(
        ARTICLE_ADD.format(article_index.pk),
        _article_form(title="Empty card", slug="empty-card", blocks=[
            ("product_card", {"product": "", "sku": "", "badge": "", "note": rich_text("")}),
        ]),
    )

    assert response.status_code == 200
    assert not ArticlePage.objects.filter(slug="empty-card").exists()


def test_editor_writes_an_article_and_submits_it_for_moderation(
    client, editor, article_index, product_factory,
):
    # given a member of the Editors group
    product = product_factory()
    client.force_login(editor)
    assert client.get(ARTICLE_ADD.format(article_index.pk)).status_code == 200

    # when they submit a new article
    response = client.post(
        ARTICLE_ADD.format(article_index.pk),
        _article_form(title="Desk lamps", slug="desk-lamps", blocks=[_card(product)],
                      action="action-submit"),
    )

    # then it waits for a moderator: saved, not live
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ArticlePage.objects.get(slug="desk-lamps")
    assert page.live is False
    assert page.workflow_in_progress is True
    assert page.get_latest_revision().content["title"] == "Desk lamps"


def test_editor_cannot_publish_directly(client, editor, article_index, product_factory):
    product = product_factory()
    client.force_login(editor)

    client.post(
        ARTICLE_ADD.format(article_index.pk),
        _article_form(title="Pans", slug="pans", blocks=[_card(product)], action="action-publish"),
    )

    assert ArticlePage.objects.get(slug="pans").live is False


def test_rich_text_typed_in_the_article_admin_is_sanitised_on_save(
    client, superuser, article_index, product_factory, stored_value,
):
    # given an editor pasting a javascript: link into the card note and the paragraph
    product = product_factory()
    client.force_login(superuser)
    note = _link_contentstate("Click me", "javascript:alert(1)")
    paragraph = _link_contentstate("Safe", "https://example.com/tested")

    # when the article is published
    response = client.post(
        ARTICLE_ADD.format(article_index.pk),
        _article_form(title="Links", slug="links", blocks=[
            ("paragraph", paragraph),
            ("product_card", {"product": product.pk, "sku": "", "badge": "", "note": note}),
        ]),
    )

    # then the stored HTML keeps the safe link and loses the script URL
    assert response.status_code == 302
    stored = json.loads(stored_value(ArticlePage, "body", ArticlePage.objects.get(slug="links").pk))
    assert [block["value"] for block in stored if block["type"] == "paragraph"] == [
        '<p><a href="https://example.com/tested">Safe</a></p>'
    ]
    assert [block["value"]["note"] for block in stored if block["type"] == "product_card"] == [
        "<p><a>Click me</a></p>"
    ]


def test_superuser_creates_a_product_with_two_skus_in_the_snippet_admin(client, superuser, brand_factory):
    # given a brand and an editor in the snippet admin
    brand = brand_factory(name="Stagg")
    client.force_login(superuser)
    assert client.get(PRODUCT_ADD).status_code == 200

    # when they post a product with two SKUs, options typed as "name: value" lines
    data = nested_form_data({
        "title": "Pour-over kettle",
        "slug": "pour-over-kettle",
        "brand": brand.pk,
        "category": "",
        "summary": "A gooseneck for slow mornings.",
        "description": rich_text("<p>Holds <b>0.9 l</b>.</p><script>alert(1)</script>",
                                 features=["bold", "italic", "h3", "ol", "ul", "link"]),
        "active": "on",
        "gallery": inline_formset([]),
        "skus": inline_formset([
            {"code": "STG-MATTE", "options": "Colour: Matte black\nSize: 0.9 l", "price": "599.00",
             "compare_at_price": "699.00", "stock": "7", "active": "on", "id": ""},
            {"code": "STG-WHITE", "options": "颜色：白色", "price": "629.00",
             "compare_at_price": "", "stock": "0", "active": "on", "id": ""},
        ], min=1),
    })
    response = client.post(PRODUCT_ADD, data)

    # then the product and both SKUs are stored exactly, with no stock: stock is only added
    # on the stock page, where each change is recorded (a posted stock is ignored)
    assert response.status_code == 302, response.content.decode()[:3000]
    product = Product.objects.get(slug="pour-over-kettle")
    assert product.brand == brand
    assert product.active is True
    skus = [
        (s.code, s.options, str(s.price), s.compare_at_price and str(s.compare_at_price), s.stock, s.active)
        for s in product.skus.order_by("sort_order")
    ]
    assert skus == [
        ("STG-MATTE", {"Colour": "Matte black", "Size": "0.9 l"}, "599.00", "699.00", 0, True),
        ("STG-WHITE", {"颜色": "白色"}, "629.00", None, 0, True),
    ]
    # and the description keeps its markup without any script
    assert "<b>0.9 l</b>" in product.description
    assert "<script" not in product.description


def test_snippet_admin_rejects_options_that_are_not_name_value_lines(client, superuser):
    client.force_login(superuser)
    data = nested_form_data({
        "title": "Odd", "slug": "odd", "brand": "", "category": "", "summary": "",
        "description": rich_text(""), "active": "on",
        "gallery": inline_formset([]),
        "skus": inline_formset([
            {"code": "ODD-1", "options": "just words", "price": "1.00", "compare_at_price": "",
             "stock": "1", "active": "on", "id": ""},
        ], min=1),
    })

    response = client.post(PRODUCT_ADD, data)

    assert response.status_code == 200
    assert not Product.objects.filter(slug="odd").exists()


def test_snippet_admin_lists_products_with_price_range(client, superuser, product_factory):
    product_factory(title="Range", skus=[{"price": "10.00"}, {"price": "25.50"}])
    client.force_login(superuser)

    response = client.get("/admin/snippets/catalogue/product/")

    assert response.status_code == 200
    assert "¥10.00 – ¥25.50" in response.content.decode()


def _link_contentstate(text, url):
    """Draftail's own format for a paragraph holding one link, as the editor posts it."""
    return json.dumps({
        "blocks": [{
            "key": "a1b2c", "type": "unstyled", "depth": 0, "text": text,
            "inlineStyleRanges": [], "entityRanges": [{"offset": 0, "length": len(text), "key": 0}],
            "data": {},
        }],
        "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": url}}},
    })

