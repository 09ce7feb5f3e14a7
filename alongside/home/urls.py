from django.urls import path

from . import views

app_name = "home"

urlpatterns = [
    path("", views.home, name="home"),
    path("area/", views.area, name="area"),
    path("everyone/", views.everyone, name="everyone"),
]
