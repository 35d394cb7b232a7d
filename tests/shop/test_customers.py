"""Reader accounts: sign up, sign in (the guest cart joins the account), order history."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone

from shop.cart.models import Cart
from shop.orders.models import Order

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(django_user_model):
    return django_user_model.objects.create_user(
        username="mei@example.com", email="mei@example.com", password="tea-and-kettles-42",
    )


def _order(number, user, minutes_ago=0):
    placed = timezone.now() - timedelta(minutes=minutes_ago)
    return Order.objects.create(
        number=number, checkout_key=f"key-{number}", user=user, email="x@example.com", total=Decimal("10.00"),
        shipping_method="standard", payment_method="offline", recipient="Mei", phone="1", city="Beijing",
        address_line="1 Road", placed_at=placed,
    )


SIGN_UP_SENT = (
    "We have sent an e-mail to {email}. Open the link in it to finish: it creates your account, "
    "or tells you how to sign in if you already have one."
)


def _link(body: str) -> str:
    return re.search(r"http://127\.0\.0\.1:8000(/account/\S+)", body).group(1)


def test_sign_up_e_mails_a_link_that_creates_the_account_and_signs_in(client, soup, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/signup/", {"email": "New.Reader@Example.com"})

    assert response.status_code == 200
    assert soup(response).select_one("[data-sign-up-sent]").get_text(" ", strip=True) == SIGN_UP_SENT.format(
        email="New.Reader@Example.com")
    assert not get_user_model().objects.exists()
    (email,) = mail.outbox
    assert (email.to, email.subject) == (["new.reader@example.com"], "Finish creating your Haowu account")

    created = client.post(_link(email.body), {"password1": "green-tea-1234", "password2": "green-tea-1234"})

    user = get_user_model().objects.get()
    assert (user.username, user.email, user.is_staff) == ("new.reader@example.com", "new.reader@example.com", False)
    assert created["Location"] == "/account/orders/"
    assert client.get("/account/orders/").status_code == 200


def test_sign_up_with_a_registered_address_answers_the_same_and_tells_only_the_owner(
    client, soup, reader, django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post("/account/signup/", {"email": "MEI@example.com"})
        fresh = client.post("/account/signup/", {"email": "nobody@example.com"})

    def visible(response):
        return soup(response).select_one("main").get_text(" ", strip=True).replace("MEI@example.com", "X").replace(
            "nobody@example.com", "X")

    assert (taken.status_code, fresh.status_code) == (200, 200)
    assert visible(taken) == visible(fresh)
    owner_mail = mail.outbox[0]
    assert (owner_mail.to, owner_mail.subject) == (
        ["mei@example.com"], "Someone tried to create a Haowu account with your address",
    )
    assert "http://127.0.0.1:8000/account/login/" in owner_mail.body
    assert get_user_model().objects.count() == 1

    reset = client.get(_link(owner_mail.body.split("Forgot your password?")[1]), follow=True)
    done = client.post(reset.redirect_chain[-1][0], {"new_password1": "oolong-and-jade-77",
                                                     "new_password2": "oolong-and-jade-77"})

    assert done["Location"] == "/account/orders/"
    assert client.login(request=HttpRequest(), username="mei@example.com", password="oolong-and-jade-77")


def test_a_reader_who_forgot_the_password_gets_a_new_one_from_the_sign_in_page(
    client, soup, reader, django_capture_on_commit_callbacks,
):
    # given the sign-in page's link
    forgot_url = soup(client.get("/account/login/")).find("a", string="Forgot your password?")["href"]

    # when the reader gives their address there
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(forgot_url, {"email": "mei@example.com"})

    # then the page says to read their mail, and the mail's link sets a new password
    assert soup(answer).select_one("h1").get_text(strip=True) == "Forgot your password?"
    assert soup(answer).select_one("[data-sign-up-sent]") is not None
    reset = client.get(_link(mail.outbox[0].body.split("Forgot your password?")[1]), follow=True)
    client.post(reset.redirect_chain[-1][0], {"new_password1": "oolong-and-jade-77",
                                              "new_password2": "oolong-and-jade-77"})
    assert client.login(request=HttpRequest(), username="mei@example.com", password="oolong-and-jade-77")


def test_the_sign_up_link_refuses_mismatched_passwords_and_works_once(client, soup, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/signup/", {"email": "other@example.com"})
    link = _link(mail.outbox[0].body)

    mismatch = soup(client.post(link, {"password1": "green-tea-1234", "password2": "green-tea-9999"}))
    client.post(link, {"password1": "green-tea-1234", "password2": "green-tea-1234"})
    client.post("/account/logout/")
    again = client.post(link, {"password1": "another-pass-5678", "password2": "another-pass-5678"})

    assert mismatch.select_one("#id_password2_error").get_text(strip=True) == "The two passwords do not match."
    assert again["Location"] == "/account/login/"
    assert get_user_model().objects.count() == 1
    assert client.login(request=HttpRequest(), username="other@example.com", password="green-tea-1234")


def test_a_tampered_sign_up_link_creates_nothing(client, soup):
    response = client.post("/account/signup/bad-token/", {"password1": "green-tea-1234", "password2": "green-tea-1234"})

    assert response.status_code == 410
    assert soup(response).select_one("[role=alert]").get_text(" ", strip=True) == (
        "This link has expired or is not valid. Please enter your e-mail address again and we will send you a new one."
    )
    assert not get_user_model().objects.exists()


def test_sign_up_mails_to_one_address_are_capped(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            client.post("/account/signup/", {"email": "target@example.com"})

    assert len(mail.outbox) == 3


def test_sign_in_merges_the_guest_cart_into_the_account(client, reader, product_factory):
    product_factory(skus=[{"code": "KET-1", "stock": 10}])
    product_factory(skus=[{"code": "MUG-1", "stock": 10}])
    account_cart = Cart.objects.create(user=reader)
    account_cart.lines.create(sku_id=product_factory(skus=[{"code": "PAN-1"}]).skus.get().pk, quantity=1)
    client.post("/cart/add/", {"sku": "KET-1", "quantity": "2"})
    client.post("/cart/add/", {"sku": "MUG-1"})

    response = client.post("/account/login/", {"username": "Mei@Example.com", "password": "tea-and-kettles-42"})

    assert response.status_code == 302
    cart = Cart.objects.get(user=reader)
    assert sorted((line.sku.code, line.quantity) for line in cart.lines.all()) == [
        ("KET-1", 2), ("MUG-1", 1), ("PAN-1", 1),
    ]
    assert Cart.objects.count() == 1
    assert "hw_cart" not in client.session


def test_wrong_password_says_so(client, soup, reader):
    page = soup(client.post("/account/login/", {"username": "mei@example.com", "password": "nope"}))
    assert "enter a correct" in page.select_one(".form-alert").get_text()


def test_order_history_lists_only_own_orders_newest_first_paginated(client, soup, reader, django_user_model):
    other = django_user_model.objects.create_user(username="other@example.com", password="x")
    for i in range(12):
        _order(f"HW202611260001{i:02d}", reader, minutes_ago=i)
    _order("HW20261126999999", other)
    client.force_login(reader)

    first = soup(client.get("/account/orders/"))
    second = soup(client.get("/account/orders/?page=2"))

    numbers = [a.get_text(strip=True) for a in first.select(".order-list__number")]
    assert numbers == [f"HW202611260001{i:02d}" for i in range(10)]
    assert [a.get_text(strip=True) for a in second.select(".order-list__number")] == [
        "HW20261126000110", "HW20261126000111",
    ]
    assert first.select_one(".order-list__number")["href"] == "/account/orders/HW20261126000100/"


def test_account_order_detail_is_for_the_owner_only(client, reader, django_user_model):
    other = django_user_model.objects.create_user(username="other@example.com", password="x")
    mine, theirs = _order("HW20261126000001", reader), _order("HW20261126000002", other)
    client.force_login(reader)
    assert client.get(f"/account/orders/{mine.number}/").status_code == 200
    assert client.get(f"/account/orders/{theirs.number}/").status_code == 404


def test_account_pages_need_sign_in(client):
    response = client.get("/account/orders/")
    assert response["Location"] == "/account/login/?next=/account/orders/"


def test_header_shows_sign_in_or_account(client, soup, reader):
    assert soup(client.get("/cart/")).select_one(".reader-links__account").get_text(strip=True) == "Sign in"
    client.force_login(reader)
    assert soup(client.get("/cart/")).select_one(".reader-links__account").get_text(strip=True) == "Account"


def test_sign_out(client, reader):
    client.force_login(reader)
    response = client.post("/account/logout/")
    assert response.status_code == 302
    assert client.get("/account/orders/").status_code == 302


# Sign-in is throttled per username and per client address (django-axes)

LOCKED_OUT = "Too many failed sign-in attempts. Please wait 15 minutes and try again."


@pytest.fixture
def axes_limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def test_repeated_wrong_passwords_lock_the_username_with_a_clear_429(client, soup, reader, axes_limits):
    answers = [client.post("/account/login/", {"username": "mei@example.com", "password": f"guess-{i}"},
                           REMOTE_ADDR=f"198.51.100.{i}").status_code for i in range(3)]
    # The right password from yet another address, in another case, is refused too.
    locked = client.post("/account/login/", {"username": "MEI@example.com", "password": "tea-and-kettles-42"},
                         REMOTE_ADDR="198.51.100.99")

    assert answers == [200, 200, 429]
    assert locked.status_code == 429
    assert soup(locked).select_one("[role=alert]").get_text(" ", strip=True) == LOCKED_OUT
    assert locked["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session


def test_one_address_trying_many_usernames_is_locked(client, django_user_model, axes_limits):
    for i in range(3):
        client.post("/account/login/", {"username": f"user{i}@example.com", "password": "guess"},
                    REMOTE_ADDR="203.0.113.5")
    django_user_model.objects.create_user(username="new@example.com", password="right-password-1")

    locked = client.post("/account/login/", {"username": "new@example.com", "password": "right-password-1"},
                         REMOTE_ADDR="203.0.113.5")
    elsewhere = Client().post("/account/login/", {"username": "new@example.com", "password": "right-password-1"},
                              REMOTE_ADDR="203.0.113.6")

    assert locked.status_code == 429
    assert elsewhere.status_code == 302


def test_the_address_comes_from_trusted_proxies_only(client, reader, settings, axes_limits):
    settings.HAOWU_TRUSTED_PROXIES = ["10.0.0.1"]
    for i in range(3):
        client.post("/account/login/", {"username": f"user{i}@example.com", "password": "guess"},
                    REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, 203.0.113.5")

    locked = client.post("/account/login/", {"username": "mei@example.com", "password": "tea-and-kettles-42"},
                         REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    other = Client().post("/account/login/", {"username": "mei@example.com", "password": "tea-and-kettles-42"},
                          REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")

    assert locked.status_code == 429
    assert other.status_code == 302


def test_the_wagtail_admin_login_is_throttled_too(client, soup, django_user_model, axes_limits):
    django_user_model.objects.create_superuser(username="admin", email="admin@example.com", password="admin-pass-1")

    for i in range(3):
        client.post("/admin/login/", {"username": "admin", "password": f"guess-{i}"}, REMOTE_ADDR=f"198.51.100.{i}")
    locked = client.post("/admin/login/", {"username": "admin", "password": "admin-pass-1"},
                         REMOTE_ADDR="198.51.100.50")

    assert locked.status_code == 429
    assert soup(locked).select_one("[role=alert]").get_text(" ", strip=True) == LOCKED_OUT


def test_a_successful_sign_in_clears_the_failures(client, reader, axes_limits):
    for _ in range(2):
        client.post("/account/login/", {"username": "mei@example.com", "password": "guess"})
    assert client.post("/account/login/", {"username": "mei@example.com", "password": "tea-and-kettles-42"}).status_code == 302
    client.post("/account/logout/")

    answers = [client.post("/account/login/", {"username": "mei@example.com", "password": "guess"}).status_code
               for _ in range(2)]

    assert answers == [200, 200]
