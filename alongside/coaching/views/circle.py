"""Pages for circle."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
