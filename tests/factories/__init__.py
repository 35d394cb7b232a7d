"""Factories for tests and the benchmark: small, explicit, real rows."""

from tests.factories.catalogue import (
    BrandFactory,
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
    SKUFactory,
)
from tests.factories.content import (
    ArticleIndexPageFactory,
    ArticlePageFactory,
    AuthorFactory,
)
from tests.factories.images import ImageFactory, png_bytes

__all__ = [
    "ArticleIndexPageFactory",
    "ArticlePageFactory",
    "AuthorFactory",
    "BrandFactory",
    "CategoryFactory",
    "ImageFactory",
    "ProductFactory",
    "ProductImageFactory",
    "SKUFactory",
    "png_bytes",
]
