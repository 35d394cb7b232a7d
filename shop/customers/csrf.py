"""Forms on cached pages carry no CSRF token: static/js/session.js adds the reader's. A
reader without JavaScript posts the form without one; for the forms a reader meets on
a cached page (add to cart, the consent question) Django's CSRF failure then answers
with a page that asks to confirm, whose form carries a token (and sets its cookie).
Nothing is changed by that page: the confirmed post is the ordinary, checked one."""

from django.middleware.csrf import REASON_CSRF_TOKEN_MISSING, REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.csrf import csrf_failure as django_csrf_failure

#: The views whose forms are on cached pages.
CONFIRMABLE = frozenset({"cart:add", "attribution:consent"})
#: Only a missing token is a cached page's form; a wrong one is refused as usual.
MISSING = frozenset({REASON_NO_CSRF_COOKIE, REASON_CSRF_TOKEN_MISSING})


def csrf_failure(request, reason=""):
    match = getattr(request, "resolver_match", None)
    if request.method != "POST" or match is None or match.view_name not in CONFIRMABLE or reason not in MISSING:
        return django_csrf_failure(request, reason)
    fields = [
        (name, value)
        for name, values in request.POST.lists() if name != "csrfmiddlewaretoken"
        for value in values
    ]
    response = render(request, "customers/confirm_form.html", {
        "action": request.path, "fields": fields, "consent": match.view_name == "attribution:consent",
    }, status=403)
    patch_cache_control(response, private=True, no_store=True)
    return response
