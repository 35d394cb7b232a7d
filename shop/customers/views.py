"""Reader accounts: sign up (by e-mail link), sign in (the guest cart follows), sign out,
a new password from the e-mailed link, order history."""

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shop.attribution.visitors import visitor_link_user
from shop.cart.services import cart_attach_to_user
from shop.customers.forms import SetPasswordForm, SignInForm, SignUpForm
from shop.customers.services import (
    AccountExists,
    customer_normalise_email,
    customer_sign_up,
    customer_sign_up_start,
    customer_sign_up_token_read,
)
from shop.limits import RateLimited, limit_enforce, limit_hit
from shop.orders.selectors import order_for_reader, orders_for_user
from shop.orders.views import order_context

LOGIN_URL = reverse_lazy("customers:login")
ORDERS_PER_PAGE = 10


def _next_url(request, default: str) -> str:
    return _safe_next(request, request.POST.get("next") or request.GET.get("next") or "", default)


#: Sign-up e-mails one address may be sent: the form must not become a way to flood an inbox.
SIGN_UP_MAILS_PER_ADDRESS = "3/1h"


def sign_up(request, forgot: bool = False):
    """Step one: the reader gives an address and is told to read their mail. The page
    is the same whether or not the address has an account; the e-mail says which: a
    link that creates the account, or how to sign in and a link to a new password. With
    ``forgot`` (``/account/password/forgot/``) the same page is worded for a reader who
    forgot their password."""
    if request.user.is_authenticated:
        return redirect("customers:orders")
    form = SignUpForm(request.POST or None)
    next_url = _next_url(request, "")
    render_ = partial(_render_sign_up, forgot=forgot)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            limit_enforce(request, name="sign_up", rate=settings.HAOWU_LIMIT_SIGN_UP)
        except RateLimited as error:
            response = render_(request, {"form": form, "next": next_url, "alert": str(error)}, status=429)
            response["Retry-After"] = str(error.retry_after)
            return response
        key = customer_normalise_email(email)
        if not limit_hit(request, name="sign_up_mail", rate=SIGN_UP_MAILS_PER_ADDRESS, key=key).limited:
            customer_sign_up_start(email=email, next_url=next_url)
        return render_(request, {"form": SignUpForm(), "next": next_url, "sent_to": email})
    return render_(request, {"form": form, "next": next_url})


def _render_sign_up(request, context: dict, *, forgot: bool, status: int = 200):
    return render(request, "customers/sign_up.html", {**context, "forgot": forgot}, status=status)


def sign_up_confirm(request, token: str):
    """Step two, from the e-mail: choose a password; the account is created and signed in."""
    data = customer_sign_up_token_read(token)
    if data is None:
        return render(request, "customers/sign_up_confirm.html", {"invalid": True}, status=410)
    form = SetPasswordForm(request.POST or None, email=data["email"])
    if request.method == "POST" and form.is_valid():
        try:
            user = customer_sign_up(email=data["email"], password=form.cleaned_data["password1"])
        except AccountExists:
            messages.info(request, _("Your account is ready. Please sign in."))
            return redirect("customers:login")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        cart_attach_to_user(request=request, user=user)
        visitor_link_user(request=request, user=user)
        messages.success(request, _("Welcome to Haowu. Your account is ready."))
        return redirect(_safe_next(request, data["next"], str(reverse_lazy("customers:orders"))))
    return render(request, "customers/sign_up_confirm.html", {"form": form, "email": data["email"]})


def _safe_next(request, candidate: str, default: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


class PasswordResetView(auth_views.PasswordResetConfirmView):
    """The link in the "you already have an account" e-mail: set a new password, signed in after."""

    template_name = "customers/password_reset.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("customers:orders")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your new password is set."))
        return response


class SignInView(auth_views.LoginView):
    template_name = "customers/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # Right after login: the cart filled as a guest joins the account's cart.
        cart_attach_to_user(request=self.request, user=form.get_user())
        # Clicks made before signing in count for the account on every device.
        visitor_link_user(request=self.request, user=form.get_user())
        return response

    def get_default_redirect_url(self):
        return str(reverse_lazy("customers:orders"))


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout answer, for the reader's sign-in and Wagtail's admin login:
    a page that says how long to wait, status 429 with ``Retry-After``."""
    minutes = max(int(settings.AXES_COOLOFF_TIME.total_seconds() // 60), 1)
    message = ngettext(
        "Too many failed sign-in attempts. Please wait %(minutes)d minute and try again.",
        "Too many failed sign-in attempts. Please wait %(minutes)d minutes and try again.",
        minutes,
    ) % {"minutes": minutes}
    response = render(request, "customers/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


class SignOutView(auth_views.LogoutView):
    next_page = "/"


@login_required(login_url=LOGIN_URL)
def order_history(request):
    page = Paginator(orders_for_user(user=request.user), ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "customers/order_history.html", {"orders": page})


@login_required(login_url=LOGIN_URL)
def order_detail(request, number: str):
    order = order_for_reader(number=number, user=request.user)
    if order is None:
        raise Http404
    return render(request, "shop/order_confirmation.html", {**order_context(order), "in_account": True})
