from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from content.sitemaps import PageSitemap
from haowu.api import api
from haowu.views import healthz
from shop.catalogue.sitemaps import ProductSitemap

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # First: /go/ buy links are the most requested URLs of the site.
    path("", include("shop.attribution.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PageSitemap, "products": ProductSitemap}}),
    path("products/", include("shop.catalogue.urls")),
    path("cart/", include("shop.cart.urls")),
    path("checkout/", include("shop.checkout.urls")),
    path("orders/", include("shop.orders.urls")),
    path("payments/", include("shop.payments.urls")),
    path("account/", include("shop.customers.urls")),
    path("search/", include("search.urls")),
    path("api/", api.urls),
]

if settings.SERVE_MEDIA:
    # Development and browser tests only; production serves media from its web server/CDN.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

urlpatterns += [path("", include(wagtail_urls))]
