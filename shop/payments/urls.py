from django.urls import path

from shop.payments import views

app_name = "payments"
urlpatterns = [
    path("sandbox/return/<int:payment_id>/", views.sandbox_return, name="sandbox_return"),
    path("sandbox/<str:charge_id>/", views.sandbox_checkout, name="sandbox_checkout"),
    path("webhooks/<slug:provider>/", views.webhook, name="webhook"),
]
