from django.urls import path

from shop.payments import views

app_name = "payments"
urlpatterns = [
    path("sandbox/return/<int:payment_id>/", views.sandbox_return, name="sandbox_return"),
    path("sandbox/<str:charge_id>/", views.sandbox_checkout, name="sandbox_checkout"),
    path("webhooks/<slug:provider>/", views.webhook, name="webhook"),
    path("orders/<str:number>/pay/", views.order_pay, name="order_pay"),
    path("orders/<str:number>/method/", views.order_payment_method, name="order_payment_method"),
]
