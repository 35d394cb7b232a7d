"""Every piece of editor HTML passes the allow-list on every write path, and every plain
text field is escaped when the article renders."""

import json

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from content.models import ArticlePage
from shop.catalogue.models import Product
from tests.factories import content as body

ATTACKS = {
    "script": "<p>Hi<script>alert(1)</script></p>",
    "script-mixed-case": "<p>Hi<ScRiPt src=//evil.example/x.js></ScRiPt></p>",
    "img-onerror": '<p><img src=x onerror=alert(1)>Hi</p>',
    "javascript-href": '<p><a href="javascript:alert(1)">Hi</a></p>',
    "javascript-href-obfuscated": '<p><a href="JaVa&#x09;ScRiPt:alert(1)">Hi</a></p>',
    "data-href": '<p><a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">Hi</a></p>',
    "svg-onload": "<svg onload=alert(1)><circle r=1 /></svg><p>Hi</p>",
    "iframe": '<iframe src="https://evil.example/"></iframe><p>Hi</p>',
    "style-attribute": '<p style="background:url(javascript:alert(1))">Hi</p>',
    "style-tag": "<style>body{display:none}</style><p>Hi</p>",
    "event-on-allowed-tag": '<p onclick="alert(1)"><b onmouseover="alert(1)">Hi</b></p>',
    "object-embed": '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf"><p>Hi</p>',
}
FORBIDDEN = (
    "<script", "onerror", "javascript:", "<svg", "onload", "<iframe", "style=", "<style",
    "onclick", "onmouseover", "<img", "data:text", "<object", "src=", "java\tscript",
)
ALLOWED = (
    '<p>Read <b>this</b> and <i>that</i>, '
    '<a href="https://example.com/tested">our test</a> and '
    '<a linktype="page" id="3">an earlier piece</a>.</p>'
)


def assert_clean(stored: str):
    lowered = stored.lower()
    leaks = [marker for marker in FORBIDDEN if marker in lowered]
    assert leaks == [], stored
    assert "Hi" in stored  # the words stay, only the markup goes


def assert_allowed_kept(stored: str):
    assert ALLOWED in stored


def _stream_values(raw: str) -> list[str]:
    """Every editor HTML value in a stored body: paragraphs, card notes, verdicts."""
    blocks = json.loads(raw)
    if isinstance(blocks, str):  # a JSON string holding the stream, which Wagtail also reads
        blocks = json.loads(blocks)
    values = []
    for block in blocks:
        if block["type"] == "paragraph":
            values.append(block["value"])
        elif block["type"] == "product_card":
            values.append(block["value"]["note"])
        elif block["type"] == "comparison_table":
            values.append(block["value"]["verdict"])
    return values


# ---- Product.description -------------------------------------------------------------


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_product_description_is_cleaned_on_orm_save(product_factory, stored_value, attack):
    product = product_factory(description=attack)
    assert_clean(stored_value(Product, "description", product.pk))


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_product_description_is_cleaned_on_attribute_change_and_save(product_factory, stored_value, attack):
    product = product_factory()
    product.description = attack
    product.save()
    assert_clean(stored_value(Product, "description", product.pk))
    product.refresh_from_db()
    assert_clean(product.description)


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_product_description_is_cleaned_on_queryset_update(product_factory, stored_value, attack):
    product = product_factory()
    Product.objects.filter(pk=product.pk).update(description=attack)
    assert_clean(stored_value(Product, "description", product.pk))


def test_product_description_is_cleaned_on_bulk_create(stored_value, db):
    (product,) = Product.objects.bulk_create([
        Product(title="Bulk", slug="bulk", description=ATTACKS["img-onerror"] + ATTACKS["script"])
    ])
    pk = product.pk or Product.objects.get(slug="bulk").pk
    assert_clean(stored_value(Product, "description", pk))


def test_product_description_keeps_allowed_markup(product_factory, stored_value):
    product = product_factory(description=ALLOWED)
    Product.objects.filter(pk=product.pk).update(description=ALLOWED + "<p>Again</p>")
    assert stored_value(Product, "description", product.pk) == ALLOWED + "<p>Again</p>"


def test_product_description_is_cleaned_through_the_snippet_admin(
    client, django_user_model, stored_value, db,
):
    # given an editor posting a description whose Draftail link is a javascript: URL
    client.force_login(django_user_model.objects.create_superuser("a", "a@example.com", "pw"))
    description = json.dumps({
        "blocks": [{"key": "k1", "type": "unstyled", "depth": 0, "text": "Hi there",
                    "inlineStyleRanges": [{"offset": 0, "length": 2, "style": "BOLD"}],
                    "entityRanges": [{"offset": 3, "length": 5, "key": 0}], "data": {}}],
        "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "javascript:alert(1)"}}},
    })
    data = nested_form_data({
        "title": "Admin", "slug": "admin-product", "brand": "", "category": "", "summary": "",
        "description": description, "active": "on",
        "gallery": inline_formset([]),
        "skus": inline_formset([{"code": "ADM-1", "options": "", "price": "1.00",
                                 "compare_at_price": "", "stock": "1", "active": "on", "id": ""}], min=1),
    })

    response = client.post("/admin/snippets/catalogue/product/add/", data)

    assert response.status_code == 302
    stored = stored_value(Product, "description", Product.objects.get(slug="admin-product").pk)
    assert stored == "<p><b>Hi</b> <a>there</a></p>"


# ---- StreamField rich text: paragraph, product card note, comparison verdict ---------


@pytest.fixture
def two_products(product_factory):
    return product_factory(), product_factory()


def _rich_blocks(html, products):
    first, second = products
    return [
        body.paragraph(html),
        body.product_card(first, note=html),
        body.comparison_table([first, second], verdict=html),
    ]


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_stream_rich_text_is_cleaned_when_a_page_is_created(article_factory, two_products, stored_value, attack):
    page = article_factory(body=_rich_blocks(attack, two_products))
    values = _stream_values(stored_value(ArticlePage, "body", page.pk))
    assert len(values) == 3
    for value in values:
        assert_clean(value)


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_stream_rich_text_is_cleaned_when_raw_json_is_assigned_and_saved(
    article_factory, two_products, stored_value, attack,
):
    page = article_factory(body=[])
    page = ArticlePage.objects.get(pk=page.pk)
    page.body = _rich_blocks(attack, two_products)
    page.save()
    values = _stream_values(stored_value(ArticlePage, "body", page.pk))
    assert len(values) == 3
    for value in values:
        assert_clean(value)


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_stream_rich_text_is_cleaned_on_queryset_update(article_factory, two_products, stored_value, attack):
    page = article_factory(body=[])
    ArticlePage.objects.filter(pk=page.pk).update(body=_rich_blocks(attack, two_products))
    values = _stream_values(stored_value(ArticlePage, "body", page.pk))
    assert len(values) == 3
    for value in values:
        assert_clean(value)


def test_stream_rich_text_is_cleaned_on_queryset_update_with_a_json_string(
    article_factory, two_products, stored_value,
):
    page = article_factory(body=[])
    raw = json.dumps(_rich_blocks(ATTACKS["script"] + ATTACKS["javascript-href"], two_products))
    ArticlePage.objects.filter(pk=page.pk).update(body=raw)
    values = _stream_values(stored_value(ArticlePage, "body", page.pk))
    assert len(values) == 3
    for value in values:
        assert_clean(value)


def test_stream_rich_text_is_cleaned_when_a_revision_is_published(
    article_factory, two_products, stored_value,
):
    page = article_factory(body=[])
    page = ArticlePage.objects.get(pk=page.pk)
    page.body = _rich_blocks(ATTACKS["svg-onload"] + ATTACKS["javascript-href"], two_products)
    page.save_revision().publish()
    values = _stream_values(stored_value(ArticlePage, "body", page.pk))
    assert len(values) == 3
    for value in values:
        assert_clean(value)


def test_stream_rich_text_keeps_allowed_markup(article_factory, two_products, stored_value):
    page = article_factory(body=_rich_blocks(ALLOWED, two_products))
    assert _stream_values(stored_value(ArticlePage, "body", page.pk)) == [ALLOWED] * 3


def test_stream_rich_text_is_cleaned_through_the_page_admin(
    client, django_user_model, article_index, two_products, stored_value,
):
    # given an editor who pastes a javascript: link into every rich text block
    client.force_login(django_user_model.objects.create_superuser("a", "a@example.com", "pw"))
    first, second = two_products
    evil = json.dumps({
        "blocks": [{"key": "k1", "type": "unstyled", "depth": 0, "text": "Hi <script>alert(1)</script>",
                    "inlineStyleRanges": [], "entityRanges": [{"offset": 0, "length": 2, "key": 0}],
                    "data": {}}],
        "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "javascript:alert(1)"}}},
    })
    data = nested_form_data({
        "title": "Admin XSS", "slug": "admin-xss", "intro": "x", "date": "2025-03-01", "language": "en",
        "author": "", "category": "", "hero_image": "", "tags": "", "seo_title": "",
        "search_description": "", "go_live_at": "", "expire_at": "",
        "body": streamfield([
            ("paragraph", evil),
            ("product_card", {"product": first.pk, "sku": "", "badge": "", "note": evil}),
            ("comparison_table", {
                "heading": "", "products": streamfield([("item", first.pk), ("item", second.pk)]),
                "rows": streamfield([("item", {"label": "Weight", "values": streamfield([("item", "1 kg")])})]),
                "winner": "", "verdict": evil,
            }),
        ]),
        "action-publish": "1",
    })

    response = client.post(f"/admin/pages/add/content/articlepage/{article_index.pk}/", data)

    # then every stored value is clean and keeps the words, escaped
    assert response.status_code == 302, response.content.decode()[:3000]
    values = _stream_values(stored_value(ArticlePage, "body", ArticlePage.objects.get(slug="admin-xss").pk))
    assert values == ["<p><a>Hi</a> &lt;script&gt;alert(1)&lt;/script&gt;</p>"] * 3


# ---- Plain text fields are escaped when the article renders --------------------------


def _payload(name):
    return f'"><script>{name}</script>'


def _escaped(name):
    return f"&quot;&gt;&lt;script&gt;{name}&lt;/script&gt;"


PLAIN_FIELDS = [
    "title", "intro", "author-name", "author-role", "heading", "quote", "attribution",
    "image-alt", "image-caption", "badge", "grid-heading", "comparison-heading", "row-label",
    "row-value", "look-alt", "look-caption", "hotspot-label", "product-title", "brand-name",
    "category-name",
]


@pytest.fixture
def hostile_article(article_factory, author_factory, product_factory, brand_factory,
                    category_factory, image_factory):
    """An article in which every plain text field an editor types holds markup."""
    brand = brand_factory(name=_payload("brand-name"))
    product = product_factory(title=_payload("product-title"), brand=brand, skus=[{"code": "H-1"}])
    other = product_factory(skus=[{"code": "H-2"}])
    img = image_factory()
    article = article_factory(
        title=_payload("title"),
        intro=_payload("intro"),
        author=author_factory(name=_payload("author-name"), role=_payload("author-role")),
        category=category_factory(name=_payload("category-name")),
        body=[
            body.heading(_payload("heading")),
            body.quote(_payload("quote"), attribution=_payload("attribution")),
            body.image(img, alt=_payload("image-alt"), caption=_payload("image-caption")),
            body.product_card(product, badge=_payload("badge")),
            body.product_grid([product, other], heading=_payload("grid-heading")),
            body.comparison_table(
                [product, other], heading=_payload("comparison-heading"),
                rows=[(_payload("row-label"), (_payload("row-value"), "ok"))],
            ),
            body.shop_the_look(
                img, [(product.skus.get(), "10", "20", _payload("hotspot-label"))],
                alt=_payload("look-alt"), caption=_payload("look-caption"),
            ),
        ],
    )
    return article


@pytest.mark.parametrize("field", PLAIN_FIELDS)
def test_plain_text_fields_render_escaped(client, hostile_article, field):
    html = client.get(hostile_article.url).content.decode()
    assert f"<script>{field}</script>" not in html
    assert _escaped(field) in html
