"""The area insight home (issue 14). Being built: for now it names the areas the user works on."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from alongside.accounts import policy
from alongside.accounts.models import Area

from ..selectors.areas import areas_for


def insight_areas(request: HttpRequest, detail: str) -> list[Area]:
    """The areas this user's analyst or commissioner roles cover; a refusal (audited) for
    anyone else."""
    areas = areas_for(request.user)
    if not areas:
        policy.record_denied(request, detail)
    return areas


@login_required
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    areas = insight_areas(request, "insight page")
    return render(request, "insight/home.html", {"areas": areas})


urlpatterns: list[URLPattern] = [path("", home, name="home")]
