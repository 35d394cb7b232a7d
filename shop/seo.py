"""The site's one public origin, and what sharing a page shows (OpenGraph, Twitter).

Every absolute address we hand out (``<link rel=canonical>``, ``og:url``, JSON-LD, the
sitemap, e-mail links) is built here from ``WAGTAILADMIN_BASE_URL``, never from the
request's ``Host`` or Wagtail's Site row: a page cached or crawled through another name
(a load balancer's address, ``www.``, a preview host) still names the one public address,
and a cached page never carries the host of whoever first requested it.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.templatetags.static import static


def canonical_origin() -> str:
    """``scheme://host[:port]`` of the public site, without a trailing slash."""
    parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return f"{parts.scheme}://{parts.netloc}"


def canonical_url(path: str) -> str:
    """The public absolute URL of ``path`` (``/articles/pans/``). An address that is
    already absolute (a CDN's ``STATIC_URL`` or ``MEDIA_URL``) is returned unchanged."""
    if urlsplit(path).scheme:
        return path
    return canonical_origin() + "/" + path.lstrip("/")


#: OpenGraph's names for the site's languages (``LANGUAGES``).
OG_LOCALES = {"zh-hans": "zh_CN", "en": "en_US"}

#: What a page without a picture of its own shows when shared: the brand card.
SHARE_IMAGE = "img/share.png"


def share_meta(
    *, title: str, path: str, language: str, description: str = "", kind: str = "website",
    image_url: str = "", image_alt: str = "", alternate_languages: bool = True,
) -> dict:
    """Everything ``includes/share_meta.html`` prints for a page: OpenGraph and Twitter
    card tags, all with canonical addresses. ``language`` is the page's content language;
    ``alternate_languages`` says the same address also serves the site's other languages
    (the interface follows the reader's Accept-Language), which OpenGraph lists as
    ``og:locale:alternate``. Without a picture of its own a page shows the brand card."""
    if image_url:
        image, alt = canonical_url(image_url), image_alt or title
    else:
        image, alt = canonical_url(static(SHARE_IMAGE)), settings.WAGTAIL_SITE_NAME
    locale = OG_LOCALES.get(language, OG_LOCALES[settings.LANGUAGE_CODE])
    return {
        "title": title,
        "description": description,
        "url": canonical_url(path),
        "type": kind,
        "image": image,
        "image_alt": alt,
        "locale": locale,
        "alternate_locales": [og for og in OG_LOCALES.values() if og != locale] if alternate_languages else [],
        "twitter_card": "summary_large_image",
    }
