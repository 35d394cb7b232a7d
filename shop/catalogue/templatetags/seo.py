from django import template
from django.template.loader import render_to_string
from django.utils.translation import get_language

from shop.catalogue.structured_data import json_ld_script
from shop.seo import canonical_url, share_meta

register = template.Library()


@register.filter(name="json_ld")
def json_ld_filter(data, nonce=""):
    """``{{ json_ld|json_ld:request.csp_nonce }}``: the data as an escaped JSON-LD element.
    (django-csp's lazy nonce is falsy until read: ``str()`` reads it, and the header then
    names it.)"""
    return json_ld_script(data, nonce="" if nonce is None else str(nonce))


@register.simple_tag(name="canonical_url")
def canonical_url_tag(path):
    """``{% canonical_url offer.product.get_absolute_url %}``: the public absolute URL."""
    return canonical_url(str(path))


@register.simple_tag(takes_context=True)
def share_tags(context):
    """OpenGraph and Twitter card tags from the view's ``share`` (``shop.seo.share_meta``),
    or for a page without one: the site's name and card at the canonical address of the
    request's path, in the reader's language."""
    share = context.get("share")
    if not share:
        request = context.get("request")
        share = share_meta(
            title=str(context.get("share_title") or ""), path=request.path if request else "/",
            language=get_language() or "",
        )
    return render_to_string("includes/share_meta.html", {"share": share})
