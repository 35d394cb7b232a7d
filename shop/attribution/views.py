"""Reader-facing attribution endpoints: ``/go/<token>/`` buy links, the consent choice and
the view/impression beacon. Each parses its input and calls the capture services."""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from shop.attribution.bots import is_noise
from shop.attribution.capture import Impression, LinkTarget, engagement_record, link_follow, rate_limited
from shop.attribution.selectors import live_page_block_ids
from shop.attribution.tokens import LinkPayload, token_read
from shop.attribution.visitors import consent_set, visitor_cookie_apply
from shop.cart.limits import cart_add_limit_enforce
from shop.cart.services import Attribution, cart_for_request, cart_line_add
from shop.checkout.errors import CheckoutError
from shop.limits import RateLimited, limit_hit

#: Largest beacon body accepted, and most impressions in one batch.
BEACON_MAX_BYTES = 16 * 1024
BEACON_MAX_IMPRESSIONS = 100


def attribution_for(payload: LinkPayload) -> Attribution:
    return Attribution(
        article_page_id=payload.article_page_id, block_id=payload.block_id,
        block_type=payload.block_type, position=payload.position,
    )


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_http_methods(["GET", "HEAD", "POST"])
def go(request, token: str):
    """An article's buy link: record the click, then send the reader to our product page.

    Only a POST (which Django's CSRF check guards) adds the SKU to the cart and shows the
    cart. A GET never changes the cart, whatever its query says: another site can make a
    browser follow a link. ``?add=1`` lands on the product page with the SKU chosen and
    the link's token in its add-to-cart form (``t``), so one more click adds it, still
    attributed. The target is built from the SKU and the verified token, never from the
    request."""
    payload = token_read(token)
    if payload is None:
        return render(request, "attribution/bad_link.html", status=400)
    target = link_follow(request=request, payload=payload)
    if target is None:
        messages.info(request, _("That product is no longer in our catalogue."))
        return redirect("/")
    url = target.url
    if request.method == "POST":
        if not is_noise(request):
            url = _add_to_cart(request, target, payload) or url
    elif request.GET.get("add") == "1":
        url = f"{url}&{urlencode({'t': token})}"
    response = HttpResponseRedirect(url)
    visitor_cookie_apply(request=request, response=response)
    return response


def _add_to_cart(request, target: LinkTarget, payload: LinkPayload) -> str | None:
    """The cart's URL after adding one, or ``None`` (the product page) when it cannot be added."""
    try:
        cart_add_limit_enforce(request)
        cart_line_add(
            cart=cart_for_request(request, create=True), sku_code=target.sku_code, quantity=1,
            attribution=attribution_for(payload),
        )
    except (CheckoutError, RateLimited) as error:
        messages.error(request, str(error))
        return None
    messages.success(request, _("Added %(product)s to your cart.") % {"product": target.product_title})
    return reverse("cart:detail")


@require_POST
def consent(request):
    """The consent banner's choice: ``consent`` is "1" (accept) or "0" (decline). Without
    JavaScript the reader is sent back to the page (``next``, only if it is ours)."""
    choice = request.POST.get("consent")
    if choice not in ("0", "1"):
        return HttpResponse(_("Please choose to accept or decline."), status=400, content_type="text/plain")
    if _wants_json(request):
        response = JsonResponse({"ok": True, "consent": choice})
    else:
        back = request.POST.get("next") or request.headers.get("Referer") or ""
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            back = "/"
        response = redirect(back)
    consent_set(request=request, response=response, granted=choice == "1")
    return response


class BadBeacon(ValueError):
    pass


def _int(value, *, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**31:
        raise BadBeacon
    return value


def _parse_beacon(data) -> tuple[int, bool, list[Impression]]:
    if not isinstance(data, dict):
        raise BadBeacon
    article = _int(data.get("article"))
    view = data.get("view", False)
    items = data.get("impressions", [])
    if not isinstance(view, bool) or not isinstance(items, list) or len(items) > BEACON_MAX_IMPRESSIONS:
        raise BadBeacon
    impressions, seen = [], set()
    for item in items:
        if not isinstance(item, dict):
            raise BadBeacon
        block, block_type = item.get("block"), item.get("type", "")
        if not (isinstance(block, str) and 0 < len(block) <= 64 and isinstance(block_type, str)
                and len(block_type) <= 40):
            raise BadBeacon
        position = _int(item.get("position"), optional=True)
        if block not in seen:  # a block counts once per batch
            seen.add(block)
            impressions.append(Impression(block_id=block, block_type=block_type, position=position))
    return article, view, impressions


@csrf_exempt  # sendBeacon cannot send a CSRF header; the body is validated instead
@require_POST
def beacon(request):
    """Page views and block impressions from static/js/beacon.js: a JSON object
    ``{"article": id, "view": bool, "impressions": [{"block", "type", "position"}]}``.
    204 when counted (or ignored as a bot's), 400 for anything malformed (another
    content type, broken or absurdly nested JSON, an id that is no live page), 413 when
    larger than 16 KB, 429 above the visitor's rate limit. Only the page's own blocks
    are counted; other block ids are dropped. Nothing is written unless the answer is 204."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > BEACON_MAX_BYTES:
        return HttpResponse(status=413)
    origin = request.headers.get("Origin")
    if origin and not url_has_allowed_host_and_scheme(origin + "/", allowed_hosts={request.get_host()}):
        return HttpResponse(status=403)
    body = request.body
    if len(body) > BEACON_MAX_BYTES:
        return HttpResponse(status=413)
    if request.content_type not in ("application/json", "text/plain"):
        return HttpResponse(status=400)
    try:
        article, view, impressions = _parse_beacon(json.loads(body))
    except (ValueError, UnicodeDecodeError, RecursionError):  # deep nesting exhausts json's recursion
        return HttpResponse(status=400)
    if rate_limited(request=request, kind="beacon") or limit_hit(
        request, name="beacon", rate=settings.HAOWU_LIMIT_BEACON
    ).limited:
        return HttpResponse(status=429)
    if is_noise(request):
        return HttpResponse(status=204)
    blocks = live_page_block_ids(page_id=article)
    if blocks is None:
        return HttpResponse(status=400)
    impressions = [impression for impression in impressions if impression.block_id in blocks]
    engagement_record(article_page_id=article, view=view, impressions=impressions)
    return HttpResponse(status=204)
