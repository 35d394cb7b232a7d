from django.urls import path

from shop.orders import views

app_name = "orders"
urlpatterns = [
    path("lookup/", views.order_lookup, name="lookup"),
    path("<str:number>/", views.order_confirmation, name="confirmation"),
]
