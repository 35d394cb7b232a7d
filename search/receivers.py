"""Which events change which search documents. Each receiver only names ids for
``search.tasks.index_later``; the work happens in a task after commit."""

import json

from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.signals import page_published, page_unpublished, post_page_move

from content.models import ArticlePage, Author
from search.documents import body_product_refs
from search.tasks import index_later
from shop.catalogue.models import SKU, Brand, Category, Product
from shop.catalogue.signals import stock_changed


def _article_changed(instance, revision=None, **kwargs):
    # The article's own document, and the product documents whose "featured in" it counts:
    # those it features now and those its previous revision featured (a product taken
    # out of the body must stop counting it).
    product_ids, sku_ids = body_product_refs(instance.body.raw_data)
    previous = instance.revisions.order_by("-created_at", "-pk")
    if revision is not None:
        previous = previous.exclude(pk=revision.pk)
    earlier = previous.values_list("content", flat=True).first()
    if earlier:
        earlier_products, earlier_skus = body_product_refs(_raw_body(earlier.get("body")))
        product_ids |= earlier_products
        sku_ids |= earlier_skus
    index_later(article_ids=[instance.pk], product_ids=product_ids, sku_ids=sku_ids)


def _raw_body(value) -> list:
    """A revision stores the body as the JSON text of its raw data."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return value if isinstance(value, list) else []


def _page_moved(instance, **kwargs):
    # A move changes the URL of the page and of every article under it.
    ids = ArticlePage.objects.descendant_of(instance, inclusive=True).values_list("pk", flat=True)
    index_later(article_ids=list(ids))


def _product_changed(instance, **kwargs):
    index_later(product_ids=[instance.pk])


def _sku_changed(instance, **kwargs):
    index_later(sku_ids=[instance.pk])


def _stock_changed(sku_ids, **kwargs):
    index_later(sku_ids=sku_ids)


# Names copied into documents: a renamed (or deleted, pre_delete while the links still
# exist) brand, category or author refreshes every document that shows it.

def _brand_changed(instance, **kwargs):
    index_later(product_ids=list(Product.objects.filter(brand=instance).values_list("pk", flat=True)))


def _category_changed(instance, **kwargs):
    index_later(
        product_ids=list(Product.objects.filter(category=instance).values_list("pk", flat=True)),
        article_ids=list(ArticlePage.objects.filter(category=instance).values_list("pk", flat=True)),
    )


def _author_changed(instance, **kwargs):
    index_later(article_ids=list(ArticlePage.objects.filter(author=instance).values_list("pk", flat=True)))


def connect() -> None:
    page_published.connect(_article_changed, sender=ArticlePage, dispatch_uid="search_article_published")
    page_unpublished.connect(_article_changed, sender=ArticlePage, dispatch_uid="search_article_unpublished")
    post_delete.connect(_article_changed, sender=ArticlePage, dispatch_uid="search_article_deleted")
    post_page_move.connect(_page_moved, dispatch_uid="search_page_moved")
    post_save.connect(_product_changed, sender=Product, dispatch_uid="search_product_saved")
    post_delete.connect(_product_changed, sender=Product, dispatch_uid="search_product_deleted")
    post_save.connect(_sku_changed, sender=SKU, dispatch_uid="search_sku_saved")
    post_delete.connect(_sku_changed, sender=SKU, dispatch_uid="search_sku_deleted")
    stock_changed.connect(_stock_changed, sender=SKU, dispatch_uid="search_stock_changed")
    for model, receiver in ((Brand, _brand_changed), (Category, _category_changed), (Author, _author_changed)):
        name = model._meta.model_name
        post_save.connect(receiver, sender=model, dispatch_uid=f"search_{name}_saved")
        pre_delete.connect(receiver, sender=model, dispatch_uid=f"search_{name}_deleted")
