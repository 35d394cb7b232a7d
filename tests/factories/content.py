"""Page factories and helpers that build StreamField bodies as raw JSON, block by block."""

import datetime

import factory
import wagtail_factories
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from content.models import ArticleIndexPage, ArticlePage, Author


class AuthorFactory(DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Author {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    role = "Editor"


class ArticleIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ArticleIndexPage

    title = "Articles"
    slug = "articles"
    intro = "Everything we tested."


class ArticlePageFactory(wagtail_factories.PageFactory):
    """An article; pass ``parent=<ArticleIndexPage>`` and ``body=[...]`` built with the
    helpers below (raw StreamField JSON)."""

    class Meta:
        model = ArticlePage

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    intro = "Why these things are worth your money."
    author = factory.SubFactory(AuthorFactory)
    date = datetime.date(2025, 3, 1)
    language = "en"
    body = factory.LazyFunction(list)


def _pk(obj):
    return getattr(obj, "pk", obj)


def heading(text="Our picks", level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}}


def paragraph(html="<p>Text.</p>"):
    return {"type": "paragraph", "value": html}


def quote(text="Worth it.", attribution=""):
    return {"type": "quote", "value": {"quote": text, "attribution": attribution}}


def image(img, *, alt="", caption="", width="text"):
    return {"type": "image", "value": {"image": _pk(img), "alt": alt, "caption": caption, "width": width}}


def product_card(product=None, *, sku=None, badge="", note="<p>Why we picked it.</p>"):
    return {
        "type": "product_card",
        "value": {"product": _pk(product), "sku": _pk(sku), "badge": badge, "note": note},
    }


def product_grid(products, *, heading="", columns="3"):
    return {
        "type": "product_grid",
        "value": {"heading": heading, "products": [_pk(p) for p in products], "columns": columns},
    }


def comparison_table(products, *, rows=(("Weight", ("1 kg", "2 kg")),), winner=None,
                     verdict="<p>Take the first.</p>", heading=""):
    return {
        "type": "comparison_table",
        "value": {
            "heading": heading,
            "products": [_pk(p) for p in products],
            "rows": [{"label": label, "values": list(values)} for label, values in rows],
            "winner": winner,
            "verdict": verdict,
        },
    }


def shop_the_look(img, spots, *, alt="", caption=""):
    """``spots``: (sku, x, y, label) tuples; x and y are percent strings such as "25.5"."""
    return {
        "type": "shop_the_look",
        "value": {
            "image": _pk(img),
            "alt": alt,
            "caption": caption,
            "hotspots": [
                {"sku": _pk(sku), "x": x, "y": y, "label": label} for sku, x, y, label in spots
            ],
        },
    }
