"""Pages for export."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
