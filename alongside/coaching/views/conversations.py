"""Pages for conversations."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
