"""Who clicked: the visitor id touches and orders carry, and the reader's consent.

* With consent (cookie ``hw_consent=1``) and no Do-Not-Track / Global Privacy Control
  signal, a reader is ``v:<hw_vid>``: a random first-party cookie kept for a year.
* Otherwise a reader is ``s:<64 random hex digits>``, which lives as long as the visit:
  in the session once the reader has one (a cart, a sign-in), and until then in the
  browser-session cookie ``hw_visit`` (no expiry date: gone when the browser closes).
  A click never creates a session, so a stranger's cookieless clicks cannot fill the
  session table; when the visit later gets its session, the session adopts the
  ``hw_visit`` id, so the order placed at the end still finds the clicks that led to it.
  The id survives the key change at sign-in.
"""

import hashlib
import re
import secrets

from django.conf import settings

from shop.attribution.models import Touch
from shop.limits import client_address

CONSENT_COOKIE = "hw_consent"
VISITOR_COOKIE = "hw_vid"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60
#: Session key: this session's ``s:…`` visitor id.
SESSION_VISITOR = "hw_visitor"
#: Browser-session cookie: the ``s:…`` id (its hex part) of a visit that has no session yet.
VISIT_COOKIE = "hw_visit"

_VISIT_VALUE = re.compile(r"[0-9a-f]{64}")

_VISITOR_VALUE = re.compile(r"[A-Za-z0-9_-]{16,64}")


def tracking_refused(request) -> bool:
    """The browser asks not to be tracked (``DNT: 1`` or ``Sec-GPC: 1``): no visitor
    cookie whatever the banner says, and no banner either."""
    return request.headers.get("DNT", "").strip() == "1" or request.headers.get("Sec-GPC", "").strip() == "1"


def consent_given(request) -> bool:
    return request.COOKIES.get(CONSENT_COOKIE) == "1" and not tracking_refused(request)


def consent_banner_needed(request) -> bool:
    return request.COOKIES.get(CONSENT_COOKIE) not in ("0", "1") and not tracking_refused(request)


def _cookie_visitor(request) -> str | None:
    value = request.COOKIES.get(VISITOR_COOKIE, "")
    return value if _VISITOR_VALUE.fullmatch(value) else None


def _visit_cookie_visitor(request) -> str | None:
    value = request.COOKIES.get(VISIT_COOKIE, "")
    return f"s:{value}" if _VISIT_VALUE.fullmatch(value) else None


def in_session(request) -> bool:
    """Whether the request belongs to a session (it sent the cookie, or this request
    started one): only then may the visitor id be kept in it."""
    session = getattr(request, "session", None)
    return session is not None and (settings.SESSION_COOKIE_NAME in request.COOKIES or session.modified)


def _session_visitor_id(request, *, create: bool = True) -> str | None:
    session = request.session
    visitor = session.get(SESSION_VISITOR)
    if visitor or not create:
        return visitor
    # The visit's clicks before it had a session carry the hw_visit id: keep it.
    visitor = _visit_cookie_visitor(request) or "s:" + secrets.token_hex(32)
    session[SESSION_VISITOR] = visitor
    return visitor


def visitor_id_for_request(request) -> str:
    """The id of the reader behind ``request`` (never empty; never creates a session).

    With consent and no ``hw_vid`` cookie yet, a new id is chosen; without consent and
    without a session, the ``hw_visit`` id (or a new one). Views that answer the request
    call ``visitor_cookie_apply`` so the browser keeps a new id."""
    visitor = getattr(request, "_haowu_visitor_id", None)
    if visitor:
        return visitor
    if consent_given(request):
        value = _cookie_visitor(request)
        if value is None:
            value = secrets.token_urlsafe(18)
            request._haowu_new_visitor_cookie = value
        visitor = f"v:{value}"
    elif in_session(request):
        visitor = _session_visitor_id(request)
    else:
        visitor = _visit_cookie_visitor(request)
        if visitor is None:
            visitor = "s:" + secrets.token_hex(32)
            request._haowu_new_visit_cookie = visitor[2:]
    request._haowu_visitor_id = visitor
    return visitor


def rate_identity(request) -> str:
    """Who a per-visitor rate limit counts against, without creating anything: the
    visitor cookie, else the session cookie, else the visit cookie, else the client's
    address (``shop.limits.client_address``: proxies only when trusted) and browser (a
    reader's first click carries no cookie; many readers can share one address behind
    a carrier's NAT, so address identities get a larger allowance, see
    ``capture.rate_limited``). Cookies are the client's to choose: the per-address
    limits (``capture``) are what a stranger cannot step around."""
    value = _cookie_visitor(request) if consent_given(request) else None
    if value:
        return f"v:{value}"
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if session_key:
        return "s:" + hashlib.sha256(session_key.encode()).hexdigest()
    visit = _visit_cookie_visitor(request)
    if visit:
        return visit
    agent = hashlib.sha256(request.META.get("HTTP_USER_AGENT", "").encode()).hexdigest()[:12]
    return f"ip:{client_address(request)}:{agent}"


def _set_cookie(request, response, name: str, value: str, *, httponly: bool) -> None:
    response.set_cookie(
        name, value, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=httponly, secure=request.is_secure(),
    )


def visitor_cookie_apply(*, request, response) -> None:
    """Give the browser the visitor or visit cookie chosen while answering this request, if any."""
    value = getattr(request, "_haowu_new_visitor_cookie", None)
    if value:
        _set_cookie(request, response, VISITOR_COOKIE, value, httponly=True)
    visit = getattr(request, "_haowu_new_visit_cookie", None)
    if visit:
        # No max_age: the browser forgets it when it closes, as a visit ends.
        response.set_cookie(VISIT_COOKIE, visit, samesite="Lax", httponly=True, secure=request.is_secure())


def consent_set(*, request, response, granted: bool) -> None:
    """Store the reader's choice in ``hw_consent`` (a year, SameSite=Lax).

    Granted (and no DNT/GPC): the visitor cookie is set now, and the touches this session
    recorded without it move to it, so an order placed later in the visit still finds
    them (kept in the session or the visit cookie). Declined: the visitor cookie is
    deleted; earlier touches keep their ids."""
    _set_cookie(request, response, CONSENT_COOKIE, "1" if granted else "0", httponly=False)
    if not granted or tracking_refused(request):
        response.delete_cookie(VISITOR_COOKIE, samesite="Lax")
        return
    value = _cookie_visitor(request) or secrets.token_urlsafe(18)
    _set_cookie(request, response, VISITOR_COOKIE, value, httponly=True)
    visit_ids = {_session_visitor_id(request, create=False), _visit_cookie_visitor(request)} - {None}
    if visit_ids:
        Touch.objects.filter(visitor_id__in=visit_ids).update(visitor_id=f"v:{value}")


def visitor_link_user(*, request, user) -> int:
    """After sign-in: this visitor's touches that have no user yet get ``user``, so they
    count for the account on every device. The cookie id, the session id and the visit
    cookie's id are linked (consent may have been given during the visit). Returns the rows updated."""
    if user is None or not getattr(user, "pk", None):
        return 0
    ids = {visitor_id_for_request(request), _session_visitor_id(request, create=False),
           _visit_cookie_visitor(request)} - {None}
    return Touch.objects.filter(visitor_id__in=ids, user__isnull=True).update(user=user)
