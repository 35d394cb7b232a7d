from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from shop.catalogue.models import Product


class ProductSitemap(Sitemap):
    """Products on sale, at the canonical origin (``WAGTAILADMIN_BASE_URL``) whatever host
    the sitemap was requested under."""

    changefreq = "daily"
    priority = 0.6

    def items(self):
        return Product.objects.live().order_by("pk")

    def lastmod(self, product):
        return product.updated_at

    def get_protocol(self, protocol=None):
        return urlsplit(settings.WAGTAILADMIN_BASE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc
