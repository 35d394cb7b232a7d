from django.urls import path

from shop.cart import views

app_name = "cart"
urlpatterns = [
    path("", views.cart_detail, name="detail"),
    path("add/", views.cart_add, name="add"),
    path("lines/<int:line_id>/quantity/", views.cart_update, name="update"),
    path("lines/<int:line_id>/remove/", views.cart_remove, name="remove"),
]
