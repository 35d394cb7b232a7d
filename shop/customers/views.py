"""Reader accounts: sign up, sign in (the guest cart follows), sign out, order history."""

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

from shop.attribution.visitors import visitor_link_user
from shop.cart.services import cart_attach_to_user
from shop.customers.forms import SignInForm, SignUpForm
from shop.customers.services import customer_sign_up
from shop.orders.selectors import order_for_reader, orders_for_user
from shop.orders.views import order_context

LOGIN_URL = reverse_lazy("customers:login")
ORDERS_PER_PAGE = 10


def _next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def sign_up(request):
    if request.user.is_authenticated:
        return redirect("customers:orders")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = customer_sign_up(email=form.cleaned_data["email"], password=form.cleaned_data["password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        cart_attach_to_user(request=request, user=user)
        visitor_link_user(request=request, user=user)
        messages.success(request, _("Welcome to Haowu. Your account is ready."))
        return redirect(_next_url(request, str(reverse_lazy("customers:orders"))))
    return render(request, "customers/sign_up.html", {"form": form, "next": _next_url(request, "")})


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
