from django.urls import path

from shop.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("<str:slug>/", views.product_detail, name="product"),
]
