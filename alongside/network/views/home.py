"""The network's home: what is on, what is new, and the way to each part."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from alongside.accounts import policy


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not policy.network_ids_of_member(request.user):
        policy.record_denied(request, "network page")
    return render(request, "network/home.html", {})


urlpatterns: list[URLPattern] = [path("", home, name="home")]
