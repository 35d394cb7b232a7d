from django.urls import path

from shop.attribution import views

app_name = "attribution"
urlpatterns = [
    path("go/<str:token>/", views.go, name="go"),
    path("go/<str:token>", views.go),
    path("consent/", views.consent, name="consent"),
    path("a/beacon/", views.beacon, name="beacon"),
]
