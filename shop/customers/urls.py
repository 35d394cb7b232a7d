from django.urls import path

from shop.customers import views

app_name = "customers"
urlpatterns = [
    path("signup/", views.sign_up, name="signup"),
    path("signup/<str:token>/", views.sign_up_confirm, name="signup_confirm"),
    path("password/forgot/", views.sign_up, {"forgot": True}, name="password_forgot"),
    path("password/<uidb64>/<token>/", views.PasswordResetView.as_view(), name="password_reset"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("orders/", views.order_history, name="orders"),
    path("orders/<str:number>/", views.order_detail, name="order"),
]
