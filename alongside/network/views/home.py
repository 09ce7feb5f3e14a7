"""The network's home: what is on, what is new, and the way to each part. For members and
staff of a network; anyone else is refused, and the refusal audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from alongside.accounts import policy

from ..selectors import learning as selectors
from .events import member_networks


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    networks = member_networks(request, "network page")
    context = selectors.home(request.user, networks)
    # For the network's own staff this is their home (they land here), so it greets them.
    context["greet"] = policy.works_only_for_networks(request.user)
    return render(request, "network/home.html", context)


urlpatterns: list[URLPattern] = [path("", home, name="home")]
