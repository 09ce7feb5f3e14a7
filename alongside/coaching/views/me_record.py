"""The person's own space (issue 4): me_record."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
