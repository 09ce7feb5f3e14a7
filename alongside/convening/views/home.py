"""The convening home (issue 13): replaced by the helper building it."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from alongside.accounts import policy
from alongside.accounts.models import Role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if Role.CONVENER not in policy.roles(request.user):
        policy.record_denied(request, "convening page")
    return render(
        request,
        "home/coming.html",
        {"title": "Convening", "text": "System themes, groups, experiments and recommendations."},
    )


urlpatterns: list[URLPattern] = [path("", home, name="home")]
