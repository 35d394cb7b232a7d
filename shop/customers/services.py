"""Reader accounts: the e-mail address is the username.

Signing up never tells the person at the keyboard whether an address has an account:
``customer_sign_up_start`` answers by e-mail to the address itself, with a link that
creates the account (a new address) or with how to sign in and a link to set a new
password (an address that has one)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from shop.mail import mail_compose, mail_queue
from shop.seo import canonical_url

SIGN_UP_SALT = "haowu.signup"
#: How long the link that creates an account works.
SIGN_UP_LINK_MAX_AGE = timedelta(days=2)


class AccountExists(Exception):
    """The address got an account since its sign-up link was sent."""


def customer_normalise_email(email: str) -> str:
    return get_user_model().objects.normalize_email(email.strip()).lower()


def customer_login_name(request, credentials: dict | None) -> str:
    """The name a sign-in attempt counts against (django-axes' ``AXES_USERNAME_CALLABLE``):
    an e-mail in any case or spacing is one reader; staff usernames stay as typed."""
    username = str((credentials or {}).get("username") or request.POST.get("username") or "").strip()
    return customer_normalise_email(username) if "@" in username else username


def customer_for_email(email: str):
    """The account named by (or holding) this address, or ``None``."""
    users = get_user_model().objects
    email = customer_normalise_email(email)
    return users.filter(username__iexact=email).first() or users.filter(email__iexact=email).first()


def customer_sign_up_token(*, email: str, next_url: str = "") -> str:
    return signing.dumps({"email": customer_normalise_email(email), "next": next_url}, salt=SIGN_UP_SALT)


def customer_sign_up_token_read(token: str) -> dict | None:
    """``{"email", "next"}`` of a sign-up link younger than ``SIGN_UP_LINK_MAX_AGE``, else ``None``."""
    try:
        data = signing.loads(token, salt=SIGN_UP_SALT, max_age=SIGN_UP_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("email"), str):
        return None
    return {"email": data["email"], "next": data.get("next") or ""}


def customer_password_reset_url(user) -> str:
    """Django's one-time password reset link (it stops working once the password changes)."""
    path = reverse("customers:password_reset", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user),
    })
    return canonical_url(path)


def customer_sign_up_start(*, email: str, next_url: str = "") -> None:
    """Queue the e-mail that answers a sign-up for ``email``: a link that creates the
    account for a new address, or, for an address with an account, a note that someone
    tried to sign up with it, how to sign in and a link to set a new password. The
    caller shows the same page either way. Subjects are ours; the address is the one
    typed, which is exactly who may read the answer."""
    email = customer_normalise_email(email)
    user = customer_for_email(email)
    if user is None:
        path = reverse("customers:signup_confirm", kwargs={"token": customer_sign_up_token(email=email, next_url=next_url)})
        message = mail_compose(
            to=email, subject=_("Finish creating your Haowu account"), template="email/sign_up_confirm",
            context={"link": canonical_url(path), "link_days": SIGN_UP_LINK_MAX_AGE.days},
        )
    else:
        message = mail_compose(
            to=user.email or email, subject=_("Someone tried to create a Haowu account with your address"),
            template="email/sign_up_exists",
            context={"login_url": canonical_url(reverse("customers:login")), "reset_url": customer_password_reset_url(user)},
        )
    mail_queue(message)


def customer_sign_up(*, email: str, password: str):
    """Create a reader's account (not staff) named by its e-mail address. Raises
    ``AccountExists`` when the address has one (a sign-up link used twice, or two tabs
    at once: the unique username decides)."""
    email = customer_normalise_email(email)
    if customer_for_email(email) is not None:
        raise AccountExists(email)
    try:
        with transaction.atomic():
            return get_user_model().objects.create_user(username=email, email=email, password=password)
    except IntegrityError as error:
        raise AccountExists(email) from error
