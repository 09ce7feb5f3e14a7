"""Placeholder: this part of area insight is being built (issue 14)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
