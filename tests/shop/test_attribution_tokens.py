"""Signed /go/ tokens, the device classes and the bot/prefetch test: pure functions."""

import pytest
from django.conf import settings
from django.core import signing
from django.test import RequestFactory, override_settings

from shop.attribution.bots import is_bot, is_noise, is_prefetch
from shop.attribution.devices import device_class
from shop.attribution.tokens import SALT, LinkPayload, token_read, token_sign

PAYLOAD = LinkPayload(
    article_page_id=42, block_id="3f1c9a52-7c1e-4a0e-9d55-0b1e2f3a4b5c", block_type="product_grid",
    position=3, sku_id=1234, item=2,
)


def test_a_token_reads_back_as_its_payload():
    assert token_read(token_sign(PAYLOAD)) == PAYLOAD


def test_the_same_link_always_gets_the_same_token():
    # offer markup is cached by what it shows, the token included: no timestamp, no nonce
    assert token_sign(PAYLOAD) == token_sign(LinkPayload(**PAYLOAD.__dict__))


def test_a_token_without_a_position_reads_back():
    payload = LinkPayload(article_page_id=1, block_id="", block_type="product_card", position=None, sku_id=9)
    assert token_read(token_sign(payload)) == payload


def test_tokens_differ_per_block_position_and_item():
    tokens = {
        token_sign(PAYLOAD),
        token_sign(LinkPayload(**{**PAYLOAD.__dict__, "position": 4})),
        token_sign(LinkPayload(**{**PAYLOAD.__dict__, "item": 3})),
        token_sign(LinkPayload(**{**PAYLOAD.__dict__, "block_id": "other"})),
        token_sign(LinkPayload(**{**PAYLOAD.__dict__, "sku_id": 1235})),
    }
    assert len(tokens) == 5


def _tampered(token: str) -> str:
    data, signature = token.rsplit(":", 1)
    flipped = data[:-2] + ("A" if data[-2] != "A" else "B") + data[-1]
    return f"{flipped}:{signature}"


@pytest.mark.parametrize("make", [
    pytest.param(lambda t: _tampered(t), id="payload changed"),
    pytest.param(lambda t: t[:-1], id="signature truncated"),
    pytest.param(lambda t: t[: len(t) // 2], id="cut in half"),
    pytest.param(lambda t: t.rsplit(":", 1)[0], id="no signature"),
    pytest.param(lambda t: t + "x", id="extra character"),
    pytest.param(lambda t: "", id="empty"),
    pytest.param(lambda t: "not-a-token", id="garbage"),
    pytest.param(lambda t: ":" * 5, id="separators only"),
    pytest.param(lambda t: "a" * 5000, id="huge"),
])
def test_a_damaged_token_reads_as_nothing(make):
    assert token_read(make(token_sign(PAYLOAD))) is None


def test_a_token_signed_with_another_salt_or_secret_reads_as_nothing():
    data = [42, "b", "product_card", 1, 1234, 1]
    other_salt = signing.Signer(salt="haowu.other").sign_object(data, compress=True)
    with override_settings(SECRET_KEY="someone-elses-secret"):
        other_secret = signing.Signer(salt=SALT).sign_object(data, compress=True)
    assert token_read(other_salt) is None
    assert token_read(other_secret) is None
    # while the same data signed here reads
    assert token_read(signing.Signer(salt=SALT).sign_object(data, compress=True)) is not None


@pytest.mark.parametrize("data", [
    {"a": 1}, [1, 2, 3], ["1", "b", "t", 1, 2, 1], [1, "b", "t", 1, "2", 1], [1, "b", "t", -1, 2, 1],
    [1, "b" * 65, "t", 1, 2, 1], [True, "b", "t", 1, 2, 1], "https://evil.example/",
])
def test_a_signed_payload_of_the_wrong_shape_reads_as_nothing(data):
    assert token_read(signing.Signer(salt=SALT).sign_object(data)) is None


@pytest.mark.parametrize(("user_agent", "expected"), [
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148", "mobile"),
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36", "mobile"),
    ("Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148", "tablet"),
    ("Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 Chrome/124.0 Safari/537.36", "tablet"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36", "desktop"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Version/17.4 Safari/605.1.15", "desktop"),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", "desktop"),
    ("", "other"),
    ("SmartTV/1.0", "other"),
])
def test_device_class(user_agent, expected):
    assert device_class(user_agent) == expected


@pytest.mark.parametrize("user_agent", [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/534+ (KHTML, like Gecko) BingPreview/1.0b",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/124.0.0.0 Safari/537.36",
    "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
    "curl/8.5.0",
    "python-requests/2.31.0",
])
def test_known_bots(user_agent):
    assert is_bot(user_agent)


@pytest.mark.parametrize("user_agent", [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36",
    "",
])
def test_readers_are_not_bots(user_agent):
    assert not is_bot(user_agent)


@pytest.mark.parametrize("headers", [
    {"Purpose": "prefetch"}, {"Sec-Purpose": "prefetch"}, {"Sec-Purpose": "prefetch;prerender"},
    {"X-Moz": "prefetch"}, {"X-Purpose": "preview"},
])
def test_prefetches(headers):
    request = RequestFactory().get("/go/x/", headers=headers)
    assert is_prefetch(request) and is_noise(request)


def test_a_plain_click_is_not_noise():
    request = RequestFactory().get("/go/x/", headers={"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0"})
    assert not is_noise(request)


def test_a_verified_token_kept_for_later_clicks_does_not_vouch_for_a_changed_one():
    token = token_sign(PAYLOAD)
    assert token_read(token) == PAYLOAD  # verified and kept
    assert token_read(token) == PAYLOAD

    assert token_read(_tampered(token)) is None
    assert token_read(token[:-1] + ("A" if token[-1] != "A" else "B")) is None


def test_a_kept_token_is_checked_again_when_the_secret_changes():
    token = token_sign(PAYLOAD)
    assert token_read(token) == PAYLOAD
    with override_settings(SECRET_KEY="a-new-secret-after-rotation"):
        assert token_read(token) is None
    # unless the old secret is still accepted as a fallback
    with override_settings(SECRET_KEY="a-new-secret-after-rotation", SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]):
        assert token_read(token) == PAYLOAD
