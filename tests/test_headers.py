"""Security headers: a nonce-based Content-Security-Policy on reader pages (Wagtail's admin
keeps its own rules), and Referrer-Policy, X-Content-Type-Options and Permissions-Policy on
every response. The browser side (no violations, scripts still work) is in
tests/browser/test_content_security_policy.py."""

import re

import pytest

from tests.factories import content as body
from tests.test_settings import _good_secret as good_secret
from tests.test_settings import _run as run_python

pytestmark = pytest.mark.django_db

PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(), "
    "fullscreen=(self), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def nonce_of(response) -> str:
    (nonce,) = re.findall(r"'nonce-([^']+)'", " ".join(directives(response)["script-src"]))
    return nonce


@pytest.fixture
def article_with_products(article_factory, product_factory, image):
    kettle = product_factory(title="Sage kettle", slug="sage-kettle", images=1, skus=[{"code": "KET-1", "price": "299.00", "stock": 9}])
    mug = product_factory(title="Stoneware mug", skus=[{"code": "MUG-1", "price": "59.00", "stock": 2}])
    return article_factory(
        title="Morning kit", hero_image=image,
        body=[body.paragraph("<p>Two things.</p>"), body.product_card(kettle), body.product_grid([kettle, mug])],
    )


def reader_paths(article) -> list[str]:
    return ["/", article.url, "/products/sage-kettle/", "/search/?q=kettle", "/cart/", "/orders/lookup/"]


def test_reader_pages_allow_only_our_own_scripts_and_those_carrying_the_nonce(client, soup, article_with_products):
    for path in reader_paths(article_with_products):
        # when a reader opens the page
        response = client.get(path, follow=True)

        # then scripts may come from our origin or carry this response's nonce, never inline
        assert response.status_code == 200, path
        policy = directives(response)
        nonce = nonce_of(response)
        assert policy["script-src"] == ["'self'", f"'nonce-{nonce}'"], path
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
        assert policy["form-action"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'self'"]
        assert policy["img-src"] == ["'self'", "data:"]
        assert policy["connect-src"] == ["'self'"]
        # and every script element of the page carries it (JSON data blocks may go without)
        scripts = [tag for tag in soup(response).find_all("script")
                   if tag.get("type") not in ("application/json", "application/ld+json")]
        assert scripts, path
        assert {tag.get("nonce") for tag in scripts} == {nonce}, path


def test_reader_pages_have_no_inline_event_handlers_or_javascript_urls(client, soup, article_with_products):
    for path in reader_paths(article_with_products):
        page = soup(client.get(path, follow=True))

        handlers = [(tag.name, name) for tag in page.find_all(True) for name in tag.attrs if name.startswith("on")]
        script_urls = [tag.name for tag in page.find_all(True)
                       if any(str(tag.get(name, "")).strip().lower().startswith("javascript:")
                              for name in ("href", "src", "action", "formaction"))]
        assert handlers == [], path
        assert script_urls == [], path


def test_each_response_has_its_own_nonce(client, site_root):
    first = nonce_of(client.get("/"))
    second = nonce_of(client.get("/"))

    assert first != second
    assert len(first) >= 22  # 128 random bits, base64


def test_the_consent_banner_script_carries_the_nonce(client, soup, site_root):
    # given a reader who has not chosen yet: the banner and its script are on the page
    response = client.get("/")

    banner_script = soup(response).find("script", src=re.compile(r"consent\.js$"))
    assert banner_script["nonce"] == nonce_of(response)


def test_wagtail_admin_is_left_out_of_the_strict_policy(client):
    # Wagtail's admin runs inline scripts and styles: the reader policy would break it.
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert "Content-Security-Policy" not in response


@pytest.mark.parametrize("path", ["/", "/api/cart", "/api/openapi.json", "/admin/login/", "/no-such-page/"])
def test_every_response_says_how_to_treat_referrers_types_and_browser_features(client, site_root, path):
    response = client.get(path)

    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


HSTS_SETTINGS = ["-c", (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
)]


@pytest.mark.parametrize(("environment", "expected"), [
    ({}, "31536000 False False"),
    ({"SECURE_HSTS_INCLUDE_SUBDOMAINS": "true"}, "31536000 True False"),
    ({"SECURE_HSTS_INCLUDE_SUBDOMAINS": "true", "SECURE_HSTS_PRELOAD": "true"}, "31536000 True True"),
], ids=["default", "subdomains", "subdomains-and-preload"])
def test_hsts_covers_subdomains_and_asks_for_preload_only_when_the_environment_says_so(
    tmp_path, environment, expected,
):
    # A wrong default would pin every subdomain (or, once preloaded, the whole domain) to HTTPS.
    result = run_python(HSTS_SETTINGS, env_overrides={
        "SECRET_KEY": good_secret(), "ALLOWED_HOSTS": "example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.db", **environment,
    })

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
