"""Pages of the network: built by issue 15 (see ARCHITECTURE.md)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
