from urllib.parse import urlsplit, urlunsplit

from wagtail.contrib.sitemaps.sitemap_generator import Sitemap

from shop.seo import canonical_url


class PageSitemap(Sitemap):
    """Wagtail's page sitemap with every address at the canonical origin: Wagtail builds
    them from the Site row, which need not be the public address (``shop.seo``)."""

    def get_urls(self, page=1, site=None, protocol=None):
        urls = []
        for url_info in super().get_urls(page=page, site=site, protocol=protocol):
            parts = urlsplit(url_info["location"])
            url_info["location"] = canonical_url(urlunsplit(("", "", parts.path, parts.query, "")))
            urls.append(url_info)
        return urls
