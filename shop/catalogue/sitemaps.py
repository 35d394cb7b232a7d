from django.contrib.sitemaps import Sitemap

from shop.catalogue.models import Product


class ProductSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return Product.objects.live().order_by("pk")

    def lastmod(self, product):
        return product.updated_at
