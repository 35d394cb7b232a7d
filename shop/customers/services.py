"""Reader accounts: the e-mail address is the username."""

from django.contrib.auth import get_user_model
from django.db import transaction


def customer_normalise_email(email: str) -> str:
    return get_user_model().objects.normalize_email(email.strip()).lower()


@transaction.atomic
def customer_sign_up(*, email: str, password: str):
    """Create a reader's account (not staff) named by its e-mail address. The caller has
    checked that no account uses the address yet (the unique username still guards it)."""
    email = customer_normalise_email(email)
    return get_user_model().objects.create_user(username=email, email=email, password=password)
