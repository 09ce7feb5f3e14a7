"""The convening home (issue 13, items 5 and 6): overdue answers first, then the four places
the learning lands with what has moved, then system themes, groups and experiments."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from ..selectors.home import convening_home
from .recommendations import convening_organisations


@login_required
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    organisations = convening_organisations(request, "convening page")
    context = {"organisations": organisations, "page": convening_home(organisations)}
    return render(request, "convening/home.html", context)


urlpatterns: list[URLPattern] = [path("", home, name="home")]
