"""E-mail never fails or blocks a request: it is sent by a background task after commit,
retried a bounded number of times, and a mail server that is down is only logged."""

import logging
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from shop.mail import mail_compose, mail_queue
from shop.orders.models import Order
from tests.shop.test_api import Shopper
from tests.shop.test_api_checkout import checkout_body
from tests.shop.test_checkout_views import ADDRESS

pytestmark = pytest.mark.django_db


class DownBackend(BaseEmailBackend):
    """A mail server that cannot be reached."""

    attempts = 0

    def send_messages(self, email_messages):
        DownBackend.attempts += 1
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class FlakyBackend(LocmemBackend):
    """Refuses the first message it is given, then delivers (to ``mail.outbox``)."""

    failures_left = 1

    def send_messages(self, messages):
        if FlakyBackend.failures_left:
            FlakyBackend.failures_left -= 1
            raise ConnectionRefusedError(111, "Connection refused")
        return super().send_messages(messages)


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = "tests.shop.test_mail.DownBackend"
    settings.HAOWU_MAIL_ATTEMPTS = 3
    DownBackend.attempts = 0
    return DownBackend


@pytest.fixture
def kettle(product_factory):
    return product_factory(title="Sage Kettle", skus=[{"code": "KET-1", "price": "45.00", "stock": 5}])


def test_api_checkout_answers_201_when_the_mail_server_is_down(
    kettle, mail_server_down, caplog, django_capture_on_commit_callbacks,
):
    shopper = Shopper()
    shopper.add("KET-1", 1)

    with caplog.at_level(logging.WARNING, logger="shop.mail"), django_capture_on_commit_callbacks(execute=True):
        response = shopper.send("post", "/api/checkout", checkout_body())

    assert response.status_code == 201
    order = Order.objects.get()
    assert response.json()["number"] == order.number
    assert mail_server_down.attempts == 3
    assert [(record.levelname, record.getMessage()) for record in caplog.records] == [
        ("WARNING", f"E-mail 'Your Haowu order {order.number}' to Lin@Example.com failed (attempt 1): "
                    "Connection unexpectedly closed"),
        ("WARNING", f"E-mail 'Your Haowu order {order.number}' to Lin@Example.com failed (attempt 2): "
                    "Connection unexpectedly closed"),
        ("ERROR", f"Gave up e-mail 'Your Haowu order {order.number}' to Lin@Example.com after 3 attempts: "
                  "Connection unexpectedly closed"),
    ]


def test_form_checkout_shows_the_confirmation_when_the_mail_server_is_down(
    client, soup, kettle, mail_server_down, django_capture_on_commit_callbacks,
):
    client.post("/cart/add/", {"sku": "KET-1", "quantity": "2"})
    key = soup(client.get("/checkout/")).select_one("input[name=checkout_key]")["value"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/checkout/", {**ADDRESS, "checkout_key": key})

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/orders/{order.number}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert soup(page).select_one("[data-order-number]").get_text(strip=True) == order.number
    assert mail_server_down.attempts == 3


def test_a_failed_attempt_is_tried_again_and_delivered(settings, caplog, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.shop.test_mail.FlakyBackend"
    FlakyBackend.failures_left = 1
    message = mail_compose(to="li.lei@example.com", subject="Your Haowu order HW20261126K7Q2MX9PRT",
                           template="email/order_link", context={"order_url": "https://haowu.example/o/1/",
                                                                 "order": Order(number="HW20261126K7Q2MX9PRT"), "link_days": 30})

    with caplog.at_level(logging.WARNING, logger="shop.mail"), django_capture_on_commit_callbacks(execute=True):
        mail_queue(message)

    assert [(m.to, m.subject) for m in mail.outbox] == [(["li.lei@example.com"], "Your Haowu order HW20261126K7Q2MX9PRT")]
    assert [record.levelname for record in caplog.records] == ["WARNING"]


def test_mail_waits_for_the_commit(settings, django_capture_on_commit_callbacks):
    message = mail_compose(to="li.lei@example.com", subject="Hello", template="email/order_link",
                           context={"order_url": "https://haowu.example/o/1/", "order": Order(number="HW1"), "link_days": 30})

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mail_queue(message)

    assert mail.outbox == []
    assert len(callbacks) == 1


# What a stranger typed is neutralised: subjects are ours, HTML escapes it, headers stay shut

NASTY = '<a href="https://evil.example/">Claim your prize</a><script>alert(1)</script>\r\nBcc: victim@example.com'


def test_buyer_text_is_escaped_in_html_mail_and_never_reaches_the_subject(
    kettle, django_capture_on_commit_callbacks,
):
    from shop.checkout.services import CheckoutLine, ShippingAddress, checkout_complete
    from shop.orders.notifications import order_send_confirmation

    order = checkout_complete(
        idempotency_key="nasty-1", lines=[CheckoutLine("KET-1", 1)], email="li.lei@example.com",
        address=ShippingAddress(recipient=NASTY[:100], phone="13800138000", city=NASTY[:60], address_line=NASTY),
        shipping_method="standard", payment_method="offline",
    )

    with django_capture_on_commit_callbacks(execute=True):
        order_send_confirmation(order.pk)

    (email,) = mail.outbox
    html = email.alternatives[0][0]
    assert email.subject == f"Your Haowu order {order.number}"
    assert email.to == ["li.lei@example.com"] and email.bcc == [] and email.cc == []
    assert "Bcc" not in str(email.message()["Subject"]) and email.message()["Bcc"] is None
    assert "<script>" not in html and '<a href="https://evil.example/">' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;a href=&quot;https://evil.example/&quot;&gt;Claim your prize&lt;/a&gt;" in html


def test_an_address_smuggling_a_header_is_refused_and_only_logged(caplog, django_capture_on_commit_callbacks):
    message = mail_compose(to="li.lei@example.com\nBcc: victim@example.com", subject="Finish creating your Haowu account",
                           template="email/sign_up_confirm", context={"link": "https://haowu.example/x/", "link_days": 2})

    with caplog.at_level(logging.WARNING, logger="shop.mail"), django_capture_on_commit_callbacks(execute=True):
        mail_queue(message)

    assert mail.outbox == []
    # Refused at once: no attempt could make that address valid.
    assert [record.levelname for record in caplog.records] == ["ERROR"]


def test_a_subject_is_one_line_whatever_it_was_given():
    message = mail_compose(to="li.lei@example.com", subject="Your order\r\nBcc: victim@example.com",
                           template="email/sign_up_confirm", context={"link": "https://haowu.example/x/", "link_days": 2})

    assert message["subject"] == "Your order Bcc: victim@example.com"
