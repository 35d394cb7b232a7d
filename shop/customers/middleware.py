"""``Cache-Control: private, no-store`` on every page and API answer that carries a
buyer's personal data, decided in one place.

A shared cache (a CDN, a proxy) must never keep an order, a cart, an address or an
account page and hand it to the next visitor, nor may the browser keep it on disk.
The list below is keyed on the views (URL namespaces and names, and the API's routes),
so a new view in these apps is covered without remembering a decorator, and the answer
is the same for errors (a 404 or 429 from these views says something about a buyer too).
"""

#: Every view of these apps shows an order, a cart, a checkout or an account.
PRIVATE_NAMESPACES = frozenset({"orders", "customers", "cart", "checkout"})
#: Single views elsewhere: the sandbox gateway's pages name the order and its amount.
PRIVATE_VIEWS = frozenset({"payments:sandbox_return", "payments:sandbox_checkout"})
#: API routes (one URL serves several methods, so the route is the key, not the name).
PRIVATE_API_ROUTES = ("api/orders/", "api/cart", "api/checkout", "api/session")

CACHE_CONTROL = "private, no-store"


def is_private(match) -> bool:
    if match is None:
        return False
    return (
        bool(PRIVATE_NAMESPACES.intersection(match.namespaces))
        or match.view_name in PRIVATE_VIEWS
        or match.route.startswith(PRIVATE_API_ROUTES)
    )


class PrivatePagesMiddleware:
    """Sets the header last (it sits innermost), over whatever a view said."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_private(getattr(request, "resolver_match", None)):
            response["Cache-Control"] = CACHE_CONTROL
            # never_cache's Expires says "cacheable until now": with no-store it is noise.
            if "Expires" in response:
                del response["Expires"]
        return response
