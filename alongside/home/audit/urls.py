from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.trail, name="trail"),
    path("audit.csv", views.trail_csv, name="csv"),
]
