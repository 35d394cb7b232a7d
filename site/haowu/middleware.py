"""Project-wide request checks that no single app owns."""

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class RefuseNulMiddleware:
    """A NUL character in a page's path or query string answers 400 before any view runs.

    PostgreSQL refuses NUL in text, so such a value reaching a query (a search filter, a
    slug, an order number) would be a 500; no URL of ours ever carries one. The API
    answers as its document says: a path naming something with a NUL names nothing (404),
    and its parameters and bodies are checked by their schemas (422). Form bodies are
    checked by Django's CharField."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/go/"):
            # Buy links: the view checks the signed token and answers its own friendly 400
            # (and this is the site's most requested URL).
            return self.get_response(request)
        if request.path.startswith("/api/"):
            if "\x00" in request.path:
                return JsonResponse({"message": _("Not found."), "code": "not_found"}, status=404)
            return self.get_response(request)
        if "\x00" in request.path or "\x00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values
        ):
            message = _("The address contains a character that is not allowed.")
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
