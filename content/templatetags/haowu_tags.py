import hashlib
import json

from django import template
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from shop.attribution.visitors import consent_banner_needed

register = template.Library()

NOTE_MARK = "<!--offer-note-->"


@register.simple_tag(takes_context=True)
def offer(
    context, offer, modifier="card", badge="", note=None, number=None, sku_fixed=False, image_sizes="", link=None,
):
    """Render one offer (``includes/offer.html``) from a ``ProductOffer`` or ``None``.

    ``link`` is the block's signed buy link (``ShoppableBlockMixin.offer_link``: url,
    token, block, type, position): the product links go through it and the add-to-cart
    form carries its token. Without it (product pages, block previews) they go straight
    to the product.

    The markup is cached in the process-local ``fragments`` cache under a hash of
    everything the template may read — the offer's ``card()`` data, these arguments and
    the active language — so a change of price, stock, title or picture is a new key
    and a cached offer can never be stale. The editor's note is rendered fresh each
    time into its marker (rich text may link to pages whose URLs change), and so is the
    request's CSRF field of the add-to-cart form.
    """
    context = {
        "card": offer.card() if offer is not None else None,
        "modifier": modifier,
        "badge": badge or "",
        "has_note": bool(note),
        "number": number,
        "sku_fixed": bool(sku_fixed),
        "image_sizes": image_sizes,
        "link": link or None,
    }
    digest = hashlib.sha1(
        json.dumps([context, get_language()], sort_keys=True, default=str).encode()
    ).hexdigest()
    key = f"offer:{digest}"
    fragments = caches["fragments"]
    html = fragments.get(key)
    if html is None:
        html = render_to_string(
            "includes/offer.html", {**context, "image": offer.image if offer is not None else None}
        )
        fragments.set(key, html)
    if note:
        html = html.replace(NOTE_MARK, conditional_escape(note), 1)
    return mark_safe(html)


@register.simple_tag(takes_context=True)
def consent_banner(context):
    """The cookie consent banner, while the reader has not chosen and their browser does
    not ask us not to track (DNT / GPC). On a page the page cache may share
    (``request.page_cache``) it is always there, hidden, and static/js/session.js shows
    it when GET /api/session says so."""
    request = context.get("request")
    if request is None:
        return ""
    shared = getattr(request, "page_cache", False)
    if not shared and not consent_banner_needed(request):
        return ""
    return render_to_string(
        "attribution/consent_banner.html", {**context.flatten(), "banner_hidden": shared}, request=request,
    )
