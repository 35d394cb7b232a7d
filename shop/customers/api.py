"""``GET /api/session``: the personal parts of a page in one small call per page view.

Pages are cached and shared between readers (content/cache.py), so they carry no cart
count, name, consent state or CSRF token; static/js/session.js asks here and fills them
in. The answer is ``private, no-store`` (shop/customers/middleware.py) and sets the
``csrftoken`` cookie whose value it also returns for the page's forms.
"""

from django.middleware.csrf import get_token
from ninja import Router, Schema

from shop.customers.selectors import reader_session

router = Router()


class SessionOut(Schema):
    signed_in: bool
    #: The signed-in reader's name (or e-mail); "" for guests.
    name: str
    cart_count: int
    #: Whether the reader has not yet answered the cookie consent question (and the
    #: browser does not refuse tracking with Do-Not-Track or Global Privacy Control).
    consent_needed: bool
    #: The token for the page's forms (the csrfmiddlewaretoken field or X-CSRFToken).
    csrf_token: str


@router.get("", response=SessionOut, summary="The reader's session: name, cart count, consent, CSRF token")
def session_detail(request):
    return {**reader_session(request=request), "csrf_token": get_token(request)}
