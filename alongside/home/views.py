"""Each role's home page, and the placeholders for modules still to come."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from alongside.accounts import policy
from alongside.accounts.models import Role

from . import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if policy.is_person(user):
        return render(request, "home/home_person.html", selectors.person_home(request))
    held = policy.roles(user)
    context = {
        "roles": sorted(held),
        "coach": selectors.coach_summary(user) if Role.COACH in held else None,
        "organisations": selectors.lead_organisations(user) if Role.LEAD in held else [],
        "areas": selectors.commissioned_areas(user) if Role.COMMISSIONER in held else [],
        "Role": Role,
    }
    return render(request, "home/home_staff.html", context)


def _coming(request: HttpRequest, role: str, title: str, text: str) -> HttpResponse:
    if role not in policy.roles(request.user):
        policy.record_denied(request, f"{role} page")
    return render(request, "home/coming.html", {"title": title, "text": text})


@login_required
def area(request: HttpRequest) -> HttpResponse:
    if Role.COMMISSIONER not in policy.roles(request.user):
        policy.record_denied(request, "area page")
    return render(request, "home/area.html", {"areas": selectors.commissioned_areas(request.user)})


@login_required
def convening(request: HttpRequest) -> HttpResponse:
    return _coming(
        request,
        Role.CONVENER,
        "Convening",
        "System themes, convening groups, experiments and recommendations will live here.",
    )


@login_required
def network(request: HttpRequest) -> HttpResponse:
    return _coming(
        request,
        Role.ASSESSOR,
        "Network",
        "The directory, accreditation, events and resources of the network will live here.",
    )
