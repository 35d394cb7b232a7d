from django.urls import path

from shop.checkout import views

app_name = "checkout"
urlpatterns = [
    path("", views.checkout_start, name="start"),
]
