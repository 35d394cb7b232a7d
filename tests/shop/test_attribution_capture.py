"""Capturing touches: /go/ buy links, consent and the visitor id, noise, rate limits, the
view/impression beacon, and the visitor id following the reader to cart, order and account."""

import datetime
import json
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import signing
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

from shop.attribution.capture import touch_record
from shop.attribution.models import DailyEngagement, Touch
from shop.attribution.tokens import SALT, LinkPayload, token_sign
from shop.attribution.visitors import SESSION_VISITOR
from shop.cart.models import CartLine
from shop.catalogue.models import SKU, Product
from shop.orders.models import Order
from tests.factories.content import heading

pytestmark = pytest.mark.django_db

BLOCK = "0c5e4a6e-3b55-4f7e-8a7e-6f0d8c0b9a11"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"
BROWSER = {"User-Agent": FIREFOX}


@pytest.fixture
def kettle(product_factory):
    return product_factory(title="Sage Kettle", slug="sage-kettle", skus=[
        {"code": "KET-1", "price": "299.00", "stock": 5},
        {"code": "KET-2", "price": "349.00", "stock": 5},
    ]).skus.get(code="KET-2")


def _payload(sku, **overrides):
    fields = {"article_page_id": 77, "block_id": BLOCK, "block_type": "product_card", "position": 2,
              "sku_id": sku.pk, "item": 1}
    return LinkPayload(**{**fields, **overrides})


def _go(sku, **overrides) -> str:
    return f"/go/{token_sign(_payload(sku, **overrides))}/"


def _session_visitor(client) -> str:
    """The reader's ``s:`` id: the session's once there is one, else the visit cookie's."""
    if settings.SESSION_COOKIE_NAME in client.cookies:
        return client.session[SESSION_VISITOR]
    return "s:" + client.cookies["hw_visit"].value


# --- the redirect -----------------------------------------------------------------------

def test_a_buy_link_records_a_touch_and_redirects_to_the_product(client, kettle):
    response = client.get(_go(kettle), headers=BROWSER)

    assert response.status_code == 302
    assert response["Location"] == "/products/sage-kettle/?sku=KET-2"
    touch = Touch.objects.get()
    assert (touch.article_page_id, touch.block_id, touch.block_type, touch.position, touch.sku_id) == (
        77, BLOCK, "product_card", 2, kettle.pk,
    )
    assert (touch.visitor_id, touch.user, touch.device) == (_session_visitor(client), None, "desktop")
    assert (touch.utm_source, touch.curator_code, touch.referrer_host) == ("", "", "")


def test_the_link_works_without_a_trailing_slash(client, kettle):
    response = client.get(_go(kettle).rstrip("/"), headers=BROWSER)
    assert (response.status_code, response["Location"]) == (302, "/products/sage-kettle/?sku=KET-2")
    assert Touch.objects.count() == 1


def test_a_touch_keeps_campaign_curator_referrer_device_and_user(client, kettle, django_user_model):
    reader = django_user_model.objects.create_user(username="mei", email="mei@example.com", password="x")
    client.force_login(reader)

    client.get(
        _go(kettle) + "?utm_source=newsletter&utm_medium=email&utm_campaign=spring-teas&utm_content=hero&ref=lin_88",
        headers={"User-Agent": IPHONE, "Referer": "https://mail.example.com/inbox?id=5"},
    )

    touch = Touch.objects.get()
    assert (touch.utm_source, touch.utm_medium, touch.utm_campaign, touch.utm_content) == (
        "newsletter", "email", "spring-teas", "hero",
    )
    assert (touch.curator_code, touch.referrer_host, touch.device, touch.user) == (
        "lin_88", "mail.example.com", "mobile", reader,
    )


def test_the_landing_articles_campaign_and_referrer_are_remembered_for_later_clicks(
    client, kettle, article_factory,
):
    page = article_factory()
    # given a reader who landed on an article from a campaign, a curator's link and another site
    client.get(page.url + "?utm_source=weibo&utm_campaign=618&ref=curator7",
               headers={**BROWSER, "Referer": "https://weibo.com/u/123"})

    # when they click a buy link on it (the Referer is now our own article)
    client.get(_go(kettle), headers={**BROWSER, "Referer": "http://testserver" + page.url})

    # then the touch carries the landing campaign, curator and external referrer
    touch = Touch.objects.get()
    assert (touch.utm_source, touch.utm_medium, touch.utm_campaign, touch.curator_code, touch.referrer_host) == (
        "weibo", "", "618", "curator7", "weibo.com",
    )

    # and a campaign in the link itself wins over the remembered one, as a whole
    client.get(_go(kettle, position=3) + "?utm_source=newsletter", headers=BROWSER)
    latest = Touch.objects.latest("pk")
    assert (latest.utm_source, latest.utm_campaign, latest.curator_code) == ("newsletter", "", "curator7")


def test_a_page_view_without_campaign_creates_no_session(client, article_factory):
    page = article_factory()
    response = client.get(page.url, headers={**BROWSER, "Referer": "https://www.google.com/"})
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_add_1_lands_on_the_product_with_an_add_to_cart_form_and_changes_no_cart(client, soup, kettle):
    # a cross-site page can make a browser follow a GET: it must not fill the cart
    response = client.get(_go(kettle) + "?add=1", headers=BROWSER)

    token = token_sign(_payload(kettle))
    assert response.status_code == 302
    assert response["Location"] == f"/products/sage-kettle/?sku=KET-2&t={token.replace(':', '%3A')}"
    assert not CartLine.objects.exists()
    assert Touch.objects.count() == 1  # the click itself still counts
    # the product page offers the SKU, ready to add with the link's attribution
    form = soup(client.get(response["Location"], headers=BROWSER)).select_one("form.buy-form")
    assert (form["method"], form["action"]) == ("post", "/cart/add/")
    assert form.select_one("input[name=sku]")["value"] == "KET-2"
    assert form.select_one("input[name=t]")["value"] == token
    # with no token of anyone's in the shared page (static/js/session.js adds the reader's)
    assert form.select_one("input[name=csrfmiddlewaretoken]") is None

    # and posting that form adds the line with the link's attribution
    client.post("/cart/add/", {"sku": "KET-2", "t": token, "quantity": "1"}, headers=BROWSER)
    line = CartLine.objects.get()
    assert (line.article_page_id, line.block_id, line.block_type, line.position) == (77, BLOCK, "product_card", 2)
    assert Touch.objects.count() == 1  # the add repeats the click within 30 s: counted once


def test_the_product_page_drops_a_token_that_is_not_one(client, soup, kettle):
    page = soup(client.get("/products/sage-kettle/?sku=KET-2&t=%22%3E%3Cscript%3E", headers=BROWSER))
    assert page.select_one("form.buy-form input[name=t]") is None


def test_a_post_adds_to_the_cart_with_the_links_attribution(client, kettle):
    response = client.post(_go(kettle), headers=BROWSER)

    assert (response.status_code, response["Location"]) == (302, "/cart/")
    line = CartLine.objects.get()
    assert (line.sku_id, line.quantity) == (kettle.pk, 1)
    assert (line.article_page_id, line.block_id, line.block_type, line.position) == (77, BLOCK, "product_card", 2)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Added Sage Kettle to your cart."]
    assert Touch.objects.count() == 1


def test_a_post_without_the_csrf_token_is_refused_and_changes_no_cart(kettle):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(_go(kettle), headers=BROWSER).status_code == 403
    assert not CartLine.objects.exists()


def test_adding_a_sold_out_product_goes_to_its_page_with_a_message(client, kettle):
    SKU.objects.filter(pk=kettle.pk).update(stock=0)
    response = client.post(_go(kettle), headers=BROWSER)
    assert response["Location"] == "/products/sage-kettle/?sku=KET-2"
    assert not CartLine.objects.exists()
    assert len(list(get_messages(response.wsgi_request))) == 1


def test_a_deleted_product_sends_the_reader_home_with_a_message(client, kettle):
    url = _go(kettle)
    Product.objects.filter(pk=kettle.product_id).delete()

    response = client.get(url, headers=BROWSER)

    assert (response.status_code, response["Location"]) == (302, "/")
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["That product is no longer in our catalogue."]
    assert not Touch.objects.exists()


# --- bad links and open redirects ----------------------------------------------------------

def _tamper(token: str) -> str:
    data, signature = token.rsplit(":", 1)
    return f"{data[:-3]}{'x' if data[-3] != 'x' else 'y'}{data[-2:]}:{signature}"


@pytest.mark.parametrize("make_token", [
    pytest.param(_tamper, id="tampered"),
    pytest.param(lambda t: t[:-4], id="truncated"),
    pytest.param(lambda t: t[:20], id="cut short"),
    pytest.param(lambda t: signing.Signer(salt="other").sign_object([77, BLOCK, "product_card", 2, 1, 1]), id="foreign salt"),
    pytest.param(lambda t: signing.Signer(key="not-our-secret", salt=SALT).sign_object([77, BLOCK, "x", 2, 1, 1]),
                 id="foreign secret"),
    pytest.param(lambda t: "garbage", id="garbage"),
    pytest.param(lambda t: "%E2%98%83%00", id="bytes"),
])
def test_a_bad_link_answers_400_with_a_friendly_page_and_records_nothing(client, soup, kettle, make_token):
    response = client.get(f"/go/{make_token(token_sign(_payload(kettle)))}/?add=1", headers=BROWSER)

    assert response.status_code == 400
    page = soup(response)
    assert page.select_one("h1").get_text(strip=True) == "This link does not work"
    assert page.select_one(".error-page a.button")["href"] == "/"
    assert not Touch.objects.exists()
    assert not CartLine.objects.exists()
    assert "sessionid" not in response.cookies


@pytest.mark.parametrize("query", [
    "?next=https://evil.example/", "?url=//evil.example/x", "?redirect=https%3A%2F%2Fevil.example",
    "?sku=https://evil.example/",
])
def test_the_target_is_always_our_own_product_page(client, kettle, query):
    response = client.get(_go(kettle, block_id="https://evil.example/") + query,
                          headers={**BROWSER, "Referer": "https://evil.example/"})
    assert response["Location"] == "/products/sage-kettle/?sku=KET-2"


def test_a_path_that_looks_like_a_url_is_not_a_redirect(client):
    for path in ("/go///evil.example/", "/go/https:%2F%2Fevil.example/", "/go/%2F%2Fevil.example"):
        response = client.get(path, headers=BROWSER)
        assert response.status_code in (400, 404)
        assert "evil.example" not in response.get("Location", "")


# --- consent and the visitor id ----------------------------------------------------------------

def test_without_consent_there_is_no_visitor_cookie_and_the_id_is_the_sessions(client, kettle):
    response = client.get(_go(kettle), headers=BROWSER)

    assert "hw_vid" not in response.cookies
    visitor = Touch.objects.get().visitor_id
    assert visitor == _session_visitor(client)
    assert visitor.startswith("s:") and len(visitor) == 66


def test_a_cookieless_click_creates_no_session_and_keeps_its_id_for_the_visit(client, soup, kettle):
    # given a reader with no cookie at all: the first click writes the touch and nothing else
    with CaptureQueriesContext(connection) as queries:
        first = client.get(_go(kettle), headers=BROWSER)

    assert [q["sql"].split()[0] for q in queries if not q["sql"].startswith("SELECT")] == ["INSERT"]
    assert not Session.objects.exists()
    assert "sessionid" not in first.cookies
    visit = first.cookies["hw_visit"]
    assert (visit["httponly"], visit["samesite"], visit["max-age"], visit["expires"]) == (True, "Lax", "", "")
    assert Touch.objects.get().visitor_id == f"s:{visit.value}"

    # when the visit goes on to a cart and an order, they find that click
    client.post(_go(kettle, position=5), headers=BROWSER)
    assert _checkout(client, soup).status_code == 302
    assert {t.visitor_id for t in Touch.objects.all()} == {f"s:{visit.value}"}
    assert Order.objects.get().visitor_id == f"s:{visit.value}"
    assert Session.objects.count() == 1  # made by the cart, not by the clicks


def test_a_made_up_visit_cookie_is_not_believed(client, kettle):
    client.cookies["hw_visit"] = "not-hex"
    response = client.get(_go(kettle), headers=BROWSER)
    assert Touch.objects.get().visitor_id == "s:" + response.cookies["hw_visit"].value
    assert len(response.cookies["hw_visit"].value) == 64


def test_with_consent_a_visitor_cookie_is_set_and_touches_carry_it(client, kettle):
    client.cookies["hw_consent"] = "1"

    first = client.get(_go(kettle), headers=BROWSER)
    client.get(_go(kettle, position=5), headers=BROWSER)

    cookie = first.cookies["hw_vid"]
    assert (cookie["httponly"], cookie["samesite"], cookie["max-age"]) == (True, "Lax", 365 * 24 * 3600)
    assert [t.visitor_id for t in Touch.objects.order_by("pk")] == [f"v:{cookie.value}"] * 2
    assert "sessionid" not in first.cookies


@pytest.mark.parametrize("signal", [{"DNT": "1"}, {"Sec-GPC": "1"}])
def test_do_not_track_and_gpc_win_over_consent(client, kettle, signal):
    client.cookies["hw_consent"] = "1"

    response = client.get(_go(kettle), headers={**BROWSER, **signal})

    assert "hw_vid" not in response.cookies
    assert Touch.objects.get().visitor_id == _session_visitor(client)


def test_consent_without_javascript_sets_the_cookies_and_goes_back(client):
    response = client.post("/consent/", {"consent": "1", "next": "/articles/kettles/"})

    assert (response.status_code, response["Location"]) == (302, "/articles/kettles/")
    consent, visitor = response.cookies["hw_consent"], response.cookies["hw_vid"]
    assert (consent.value, consent["samesite"], consent["max-age"]) == ("1", "Lax", 365 * 24 * 3600)
    assert len(visitor.value) >= 16 and visitor["httponly"] is True


def test_declining_sets_0_and_removes_the_visitor_cookie(client):
    client.cookies["hw_vid"] = "a" * 24
    response = client.post("/consent/", {"consent": "0"}, headers={"Referer": "http://testserver/products/x/"})

    assert response["Location"] == "http://testserver/products/x/"
    assert response.cookies["hw_consent"].value == "0"
    assert response.cookies["hw_vid"].value == "" and response.cookies["hw_vid"]["max-age"] == 0


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_consent_never_redirects_off_site(client, target):
    response = client.post("/consent/", {"consent": "1", "next": target}, headers={"Referer": target})
    assert response["Location"] == "/"


def test_consent_with_javascript_answers_json(client):
    response = client.post("/consent/", {"consent": "1"}, headers={"Accept": "application/json"})
    assert (response.status_code, response.json()) == (200, {"ok": True, "consent": "1"})
    assert response.cookies["hw_consent"].value == "1"


def test_consent_needs_a_choice_and_a_post(client):
    assert client.post("/consent/", {"consent": "yes"}).status_code == 400
    assert client.get("/consent/").status_code == 405


def test_consent_is_protected_against_forged_posts(kettle):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/consent/", {"consent": "1"}).status_code == 403


def test_accepting_moves_the_sessions_earlier_touches_to_the_visitor(client, kettle):
    client.get(_go(kettle), headers=BROWSER)

    response = client.post("/consent/", {"consent": "1"})

    assert Touch.objects.get().visitor_id == f"v:{response.cookies['hw_vid'].value}"


def test_the_banner_shows_until_the_reader_chooses(client, soup, article_factory):
    page = article_factory()
    # the shared (cached) page carries the banner hidden; the session call says to show it
    assert client.get("/api/session").json()["consent_needed"] is True
    banner = soup(client.get(page.url)).select_one("[data-consent]")
    assert banner.has_attr("hidden")
    assert banner["aria-labelledby"] == "consent-title"
    form = banner.select_one("form")
    assert (form["method"], form["action"]) == ("post", "/consent/")
    assert form.select_one("input[name=next]")["value"] == page.url
    assert [(b["name"], b["value"], b.get_text(strip=True)) for b in form.select("button")] == [
        ("consent", "1", "Accept"), ("consent", "0", "Decline"),
    ]
    assert form.select_one("input[name=csrfmiddlewaretoken]") is None

    client.post("/consent/", {"consent": "0"})
    assert client.get("/api/session").json()["consent_needed"] is False


def test_the_banner_is_rendered_in_place_on_pages_no_cache_shares(client, soup, site_root):
    banner = soup(client.get("/cart/")).select_one("[data-consent]")
    assert not banner.has_attr("hidden")
    assert banner.select_one("form input[name=csrfmiddlewaretoken]") is not None

    client.post("/consent/", {"consent": "1"})
    assert soup(client.get("/cart/")).select_one("[data-consent]") is None


@pytest.mark.parametrize("signal", [{"DNT": "1"}, {"Sec-GPC": "1"}])
def test_no_banner_when_the_browser_asks_not_to_be_tracked(client, soup, site_root, signal):
    assert client.get("/api/session", headers=signal).json()["consent_needed"] is False
    assert soup(client.get("/cart/", headers=signal)).select_one("[data-consent]") is None


# --- noise ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [
    {"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"},
    {"User-Agent": "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"},
    {"User-Agent": "facebookexternalhit/1.1"},
    {"User-Agent": "Mozilla/5.0 HeadlessChrome/124.0 Safari/537.36"},
    {**BROWSER, "Purpose": "prefetch"},
    {**BROWSER, "Sec-Purpose": "prefetch;prerender"},
    {**BROWSER, "X-Moz": "prefetch"},
])
def test_bots_and_prefetches_are_redirected_but_not_recorded(client, kettle, headers):
    response = client.post(_go(kettle), headers=headers)

    assert (response.status_code, response["Location"]) == (302, "/products/sage-kettle/?sku=KET-2")
    assert not Touch.objects.exists()
    assert not CartLine.objects.exists()
    assert "sessionid" not in response.cookies


def test_a_head_request_is_not_a_click(client, kettle):
    assert client.head(_go(kettle), headers=BROWSER).status_code == 302
    assert not Touch.objects.exists()


def test_clicking_the_same_link_twice_within_30_seconds_counts_once(client, kettle):
    client.get(_go(kettle), headers=BROWSER)
    client.get(_go(kettle), headers=BROWSER)
    client.get(_go(kettle, position=9), headers=BROWSER)  # another link counts

    assert Touch.objects.count() == 2


def _request(visitor="r" * 24, address="203.0.113.7"):
    request = RequestFactory().get("/go/x/", headers=BROWSER, REMOTE_ADDR=address)
    request.COOKIES.update({"hw_consent": "1", "hw_vid": visitor})
    request.session = SessionStore()
    request.user = AnonymousUser()
    return request


def test_a_repeat_click_counts_again_after_30_seconds(kettle):
    payload, start = _payload(kettle), timezone.now()

    first = touch_record(request=_request(), payload=payload, now=start)
    repeat = touch_record(request=_request(), payload=payload, now=start + datetime.timedelta(seconds=29))
    later = touch_record(request=_request(), payload=payload, now=start + datetime.timedelta(seconds=31))
    other_reader = touch_record(request=_request("o" * 24, address="198.51.100.9"), payload=payload,
                                now=start + datetime.timedelta(seconds=31))

    assert (first is not None, repeat, later is not None, other_reader is not None) == (True, None, True, True)
    assert [t.created_at for t in Touch.objects.order_by("pk")] == [
        start, start + datetime.timedelta(seconds=31), start + datetime.timedelta(seconds=31),
    ]


def test_above_the_rate_limit_go_still_redirects_at_once_but_records_nothing(
    client, kettle, django_assert_num_queries, settings,
):
    settings.HAOWU_LIMIT_CLICKS = "1000/1m"  # the visitor's own limit, not the address's
    client.cookies.load({"hw_consent": "1", "hw_vid": "q" * 24})
    for position in range(1, 120):
        assert client.get(_go(kettle, position=position), headers=BROWSER).status_code == 302

    # the 120th click: the touch, nothing else (the link's target is cached)
    with django_assert_num_queries(1):
        assert client.get(_go(kettle, position=120), headers=BROWSER).status_code == 302
    # the 121st: redirected without a query
    with django_assert_num_queries(0):
        response = client.get(_go(kettle, position=121), headers=BROWSER)

    assert (response.status_code, response["Location"]) == (302, "/products/sage-kettle/?sku=KET-2")
    assert Touch.objects.count() == 120
    assert not Touch.objects.filter(position=121).exists()


def test_the_rate_limit_is_per_visitor_and_configurable(client, kettle, settings):
    settings.HAOWU_ATTRIBUTION_RATE_LIMIT_PER_MINUTE = 60
    settings.HAOWU_LIMIT_CLICKS = "1000/1m"
    client.cookies.load({"hw_consent": "1", "hw_vid": "q" * 24})
    for position in range(1, 62):
        client.get(_go(kettle, position=position), headers=BROWSER)
    other = Client()
    other.cookies.load({"hw_consent": "1", "hw_vid": "z" * 24})
    other.get(_go(kettle, position=99), headers=BROWSER)

    assert Touch.objects.filter(visitor_id="v:" + "q" * 24).count() == 60
    assert Touch.objects.filter(visitor_id="v:" + "z" * 24).count() == 1


def _stranger(number, **cookies):
    """A client with made-up cookies of its own, as a script makes them."""
    client = Client()
    client.cookies.load({"hw_consent": "1", "hw_vid": f"{number:024d}", **cookies})
    return client


def test_made_up_cookies_do_not_step_around_the_addresss_click_limit(kettle, settings, django_assert_num_queries):
    settings.HAOWU_LIMIT_CLICKS = "5/1h"
    answers = [_stranger(n).get(_go(kettle, position=n), headers=BROWSER) for n in range(1, 8)]

    # over the limit the reader is still sent on at once, with no query at all
    with django_assert_num_queries(0):
        last = _stranger(99).get(_go(kettle, position=99), headers=BROWSER)

    assert [a.status_code for a in answers] + [last.status_code] == [302] * 8
    assert last["Location"] == "/products/sage-kettle/?sku=KET-2"
    assert sorted(Touch.objects.values_list("position", flat=True)) == [1, 2, 3, 4, 5]
    assert not Session.objects.exists()


def test_a_forged_forwarded_for_header_is_not_another_address(kettle, settings):
    settings.HAOWU_LIMIT_CLICKS = "2/1h"
    for n in range(1, 5):
        _stranger(n).get(_go(kettle, position=n), headers={**BROWSER, "X-Forwarded-For": f"10.0.0.{n}"})
    assert Touch.objects.count() == 2


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(kettle, settings):
    settings.HAOWU_LIMIT_CLICKS = "1/1h"
    settings.HAOWU_TRUSTED_PROXIES = ["127.0.0.1"]
    for n in range(1, 4):
        _stranger(n).get(_go(kettle, position=n), headers={**BROWSER, "X-Forwarded-For": f"198.51.100.{n}"})
    _stranger(9).get(_go(kettle, position=9), headers={**BROWSER, "X-Forwarded-For": "198.51.100.1"})
    assert sorted(Touch.objects.values_list("position", flat=True)) == [1, 2, 3]


def test_the_same_link_from_one_address_within_30_seconds_counts_once_whatever_the_cookies(kettle):
    for n in range(1, 4):
        _stranger(n).get(_go(kettle), headers=BROWSER)
    Client().get(_go(kettle), headers=BROWSER)  # and without any cookie
    assert Touch.objects.count() == 1


def test_the_visitor_limit_counts_a_cookieless_reader_by_the_trusted_address(kettle, settings):
    # two readers without cookies behind a trusted proxy are two identities, not one
    settings.HAOWU_ATTRIBUTION_RATE_LIMIT_PER_MINUTE = 1
    settings.HAOWU_TRUSTED_PROXIES = ["127.0.0.1"]
    for n in range(1, 13):
        Client().get(_go(kettle, position=n), headers={**BROWSER, "X-Forwarded-For": "198.51.100.1"})
    Client().get(_go(kettle, position=50), headers={**BROWSER, "X-Forwarded-For": "198.51.100.2"})
    assert sorted(Touch.objects.values_list("position", flat=True)) == [*range(1, 11), 50]


# --- the beacon -------------------------------------------------------------------------------------

def _beacon(client, body, content_type="text/plain;charset=UTF-8", **headers):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post("/a/beacon/", data, content_type=content_type, headers={**BROWSER, **headers})


def _counters():
    return sorted(
        (e.article_page_id, e.block_id, e.block_type, e.position, e.views, e.impressions)
        for e in DailyEngagement.objects.filter(date=timezone.localdate())
    )


@pytest.fixture
def article(article_factory):
    """A live article with two blocks: its id and its blocks' ids."""
    page = article_factory(body=[heading("Kettles"), heading("Mugs")])
    return page.pk, [child.id for child in page.body]


def test_the_beacon_counts_page_views_and_impressions(client, article):
    page, (b1, b2) = article
    batch = {"article": page, "view": True, "impressions": [
        {"block": b1, "type": "product_card", "position": 2},
        {"block": b2, "type": "product_grid", "position": 4},
        {"block": b1, "type": "product_card", "position": 2},  # the same block once per batch
    ]}

    assert _beacon(client, batch).status_code == 204
    assert _beacon(Client(), batch, content_type="application/json").status_code == 204
    assert _beacon(client, {"article": page, "view": False, "impressions": [
        {"block": b2, "type": "product_grid", "position": 4},
    ]}).status_code == 204

    assert _counters() == sorted([
        (page, "", "", None, 2, 0),
        (page, b1, "product_card", 2, 0, 2),
        (page, b2, "product_grid", 4, 0, 3),
    ])


def test_the_beacon_needs_no_csrf_token(article):
    strict = Client(enforce_csrf_checks=True)
    assert _beacon(strict, {"article": article[0], "view": True}).status_code == 204
    assert _counters() == [(article[0], "", "", None, 1, 0)]


@pytest.mark.parametrize("body", [
    "{not json", "[]", "null", json.dumps({"view": True}), json.dumps({"article": "7", "view": True}),
    json.dumps({"article": 0, "view": True}), json.dumps({"article": 7, "view": "yes"}),
    json.dumps({"article": 7, "impressions": {"block": "b"}}),
    json.dumps({"article": 7, "impressions": [{"block": ""}]}),
    json.dumps({"article": 7, "impressions": [{"block": "b" * 65}]}),
    json.dumps({"article": 7, "impressions": [{"block": "b", "position": "2"}]}),
    json.dumps({"article": 7, "impressions": [{"block": f"b{i}"} for i in range(101)]}),
    b"\xff\xfe",
])
def test_a_malformed_beacon_is_refused_and_counts_nothing(client, body):
    assert _beacon(client, body).status_code == 400
    assert not DailyEngagement.objects.exists()


@pytest.mark.parametrize(("body", "status"), [
    pytest.param("[" * 10_000 + "]" * 10_000, 413, id="10,000 nested lists: too large"),
    pytest.param("[" * 8_000 + "]" * 8_000, 400, id="8,000 nested lists"),
    pytest.param('{"a":' * 2_500 + "1" + "}" * 2_500, 400, id="2,500 nested objects"),
    pytest.param('{"article": %d, "view": true, "impressions": ' + "[" * 3_000 + "]" * 3_000 + "}", 400,
                 id="nested inside a batch"),
])
def test_an_absurdly_nested_beacon_is_refused_and_counts_nothing(client, article, body, status):
    response = _beacon(client, body.replace("%d", str(article[0])))
    assert response.status_code == status
    assert not DailyEngagement.objects.exists()


@pytest.mark.parametrize("content_type", [
    "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "",
])
def test_a_beacon_in_another_format_is_refused(client, article, content_type):
    body = json.dumps({"article": article[0], "view": True})
    assert _beacon(client, body, content_type=content_type).status_code == 400
    assert not DailyEngagement.objects.exists()


def test_a_beacon_for_a_page_that_is_not_a_live_article_counts_nothing(client, article, article_factory):
    draft = article_factory(live=False)

    for page in (article[0] + 1000, draft.pk):
        assert _beacon(client, {"article": page, "view": True}).status_code == 400
    assert not DailyEngagement.objects.exists()


def test_an_unpublished_article_no_longer_counts(client, article):
    Page.objects.get(pk=article[0]).specific.unpublish()
    assert _beacon(client, {"article": article[0], "view": True}).status_code == 400
    assert not DailyEngagement.objects.exists()


def test_only_the_articles_own_blocks_are_counted(client, article, article_factory):
    page, (b1, _b2) = article
    other = article_factory(body=[heading("Elsewhere")])
    foreign = other.body[0].id

    response = _beacon(client, {"article": page, "view": True, "impressions": [
        {"block": b1, "type": "heading", "position": 1},
        {"block": foreign, "type": "heading", "position": 1},
        {"block": "made-up", "type": "product_card", "position": 9},
    ]})

    assert response.status_code == 204
    assert _counters() == sorted([(page, "", "", None, 1, 0), (page, b1, "heading", 1, 0, 1)])


def test_beacons_from_one_address_are_limited_whatever_the_cookies(article, settings):
    settings.HAOWU_LIMIT_BEACON = "2/1h"
    page, _blocks = article

    answers = [_beacon(Client(), {"article": page, "view": True}).status_code for _ in range(3)]

    assert answers == [204, 204, 429]
    assert _counters() == [(page, "", "", None, 2, 0)]


def test_a_block_added_when_the_article_is_republished_counts_at_once(client, article):
    page = Page.objects.get(pk=article[0]).specific
    _beacon(client, {"article": page.pk, "view": True})  # the article's blocks are now cached
    page.body.append(("heading", {"text": "New picks", "level": "h2"}))
    page.save_revision().publish()
    page.refresh_from_db()
    new_block = page.body[-1].id

    _beacon(client, {"article": page.pk, "impressions": [{"block": new_block, "type": "heading", "position": 3}]})

    assert (page.pk, new_block, "heading", 3, 0, 1) in _counters()


def test_an_oversized_beacon_is_refused(client):
    batch = {"article": 7, "view": True, "impressions": [], "padding": "x" * 17_000}
    assert _beacon(client, batch).status_code == 413
    assert not DailyEngagement.objects.exists()


def test_a_hundred_impressions_are_accepted(client, article_factory):
    page = article_factory(body=[heading(f"Pick {i}") for i in range(100)])
    batch = {"article": page.pk, "view": False, "impressions": [
        {"block": child.id, "type": "heading", "position": i + 1} for i, child in enumerate(page.body)
    ]}
    assert _beacon(client, batch).status_code == 204
    assert DailyEngagement.objects.count() == 100


def test_the_beacon_is_only_posted_from_our_pages(client, article):
    assert _beacon(client, {"article": article[0], "view": True}, Origin="https://evil.example").status_code == 403
    assert client.get("/a/beacon/").status_code == 405


def test_a_bots_beacon_is_accepted_but_not_counted(client, article):
    response = _beacon(client, {"article": article[0], "view": True}, **{"User-Agent": "Googlebot/2.1"})
    assert response.status_code == 204
    assert not DailyEngagement.objects.exists()


def test_above_the_rate_limit_the_beacon_answers_429(client, article):
    session = client.session  # a returning reader: counted per session
    session["seen"] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    for _ in range(120):
        assert _beacon(client, {"article": article[0], "view": True}).status_code == 204
    assert _beacon(client, {"article": article[0], "view": True}).status_code == 429
    assert _counters() == [(article[0], "", "", None, 120, 0)]


def test_cookieless_readers_sharing_an_address_get_a_larger_allowance(client, article):
    for _ in range(121):
        assert _beacon(client, {"article": article[0], "view": True}).status_code == 204


# --- cart, checkout and sign-in carry the visitor ---------------------------------------------------------

def test_adding_from_an_offer_with_its_token_attributes_the_cart_line_and_records_a_touch(client, kettle):
    token = token_sign(_payload(kettle))
    response = client.post("/cart/add/", {"sku": "KET-2", "t": token}, headers=BROWSER)

    assert response.status_code == 302
    line = CartLine.objects.get()
    assert (line.article_page_id, line.block_id, line.block_type, line.position) == (77, BLOCK, "product_card", 2)
    assert Touch.objects.get().visitor_id == _session_visitor(client)


@pytest.mark.parametrize("token", ["garbage", "", "forged:sig"])
def test_an_invalid_token_still_adds_but_unattributed(client, kettle, token):
    response = client.post("/cart/add/", {"sku": "KET-2", "t": token}, headers=BROWSER)
    assert response.status_code == 302
    line = CartLine.objects.get()
    assert (line.sku_id, line.article_page_id, line.block_id, line.position) == (kettle.pk, None, "", None)
    assert not Touch.objects.exists()


def test_a_token_for_another_sku_does_not_attribute_the_line(client, kettle):
    other = kettle.product.skus.get(code="KET-1")
    client.post("/cart/add/", {"sku": "KET-2", "t": token_sign(_payload(other))}, headers=BROWSER)
    assert CartLine.objects.get().article_page_id is None
    assert not Touch.objects.exists()


CHECKOUT = {
    "email": "li.lei@example.com", "recipient": "Li Lei", "phone": "13800138000", "province": "Shanghai",
    "city": "Shanghai", "district": "Xuhui", "address_line": "100 Tianyaoqiao Road", "postcode": "200030",
    "shipping_method": "standard", "payment_method": "offline",
}


def _checkout(client, soup):
    key = soup(client.get("/checkout/")).select_one("input[name=checkout_key]")["value"]
    return client.post("/checkout/", {**CHECKOUT, "checkout_key": key})


def test_checkout_stores_the_session_visitor_on_the_order(client, soup, kettle):
    client.post(_go(kettle), headers=BROWSER)

    assert _checkout(client, soup).status_code == 302

    order = Order.objects.get()
    assert order.visitor_id == Touch.objects.get().visitor_id == _session_visitor(client)
    assert order.lines.get().article_page_id == 77


def test_checkout_stores_the_consented_visitor_on_the_order(client, soup, kettle):
    client.cookies.load({"hw_consent": "1", "hw_vid": "k" * 24})
    client.post(_go(kettle), headers=BROWSER)
    _checkout(client, soup)
    assert Order.objects.get().visitor_id == "v:" + "k" * 24


def test_the_checkout_api_stores_the_visitor_on_the_order(client, kettle):
    client.post(_go(kettle), headers=BROWSER)
    body = {
        "contact": {"email": "lin@example.com", "name": "Lin", "phone": "13800000000"},
        "address": {"recipient": "Lin", "phone": "13800000000", "province": "浙江", "city": "杭州",
                    "district": "西湖区", "address_line": "文三路 1 号", "postcode": "310000"},
        "shipping_method": "standard", "payment_method": "offline", "idempotency_key": "api-key-1",
    }
    response = client.post("/api/checkout", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Order.objects.get().visitor_id == _session_visitor(client)


@pytest.fixture
def reader(django_user_model):
    return django_user_model.objects.create_user(
        username="mei@example.com", email="mei@example.com", password="tea-and-kettles-42",
    )


def test_signing_in_gives_the_sessions_earlier_touches_to_the_account(client, kettle, reader, django_user_model):
    someone_else = Touch.objects.create(visitor_id="s:other", article_page_id=1)
    client.get(_go(kettle), headers=BROWSER)
    client.get(_go(kettle, position=3), headers=BROWSER)

    response = client.post("/account/login/", {"username": "mei@example.com", "password": "tea-and-kettles-42"})

    assert response.status_code == 302
    assert {t.user for t in Touch.objects.exclude(pk=someone_else.pk)} == {reader}
    someone_else.refresh_from_db()
    assert someone_else.user is None
    # and clicks after signing in carry the user and the same visitor id
    client.get(_go(kettle, position=4), headers=BROWSER)
    assert Touch.objects.latest("pk").user == reader
    assert len({t.visitor_id for t in Touch.objects.exclude(pk=someone_else.pk)}) == 1


def test_signing_in_links_the_consented_visitors_touches(client, kettle, reader):
    client.cookies.load({"hw_consent": "1", "hw_vid": "m" * 24})
    client.get(_go(kettle), headers=BROWSER)
    client.post("/account/login/", {"username": "mei@example.com", "password": "tea-and-kettles-42"})
    assert Touch.objects.get().user == reader


def test_signing_up_links_the_sessions_touches(client, kettle, django_user_model, mailoutbox,
                                               django_capture_on_commit_callbacks):
    client.get(_go(kettle), headers=BROWSER)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/signup/", {"email": "new@example.com"})
    link = re.search(r"https?://[^/\s]+(/account/signup/\S+)", mailoutbox[0].body).group(1)
    client.post(link, {"password1": "green-tea-1234", "password2": "green-tea-1234"})
    assert Touch.objects.get().user == django_user_model.objects.get(email="new@example.com")
