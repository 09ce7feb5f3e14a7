"""Convening pages: experiments (issue 13)."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
