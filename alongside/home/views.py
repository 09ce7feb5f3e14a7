"""Each role's home page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Role
from alongside.coaching.views import led_organisation, organisation_query

from . import selectors, services


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if policy.is_person(user):
        return render(request, "home/home_person.html", selectors.person_home(request))
    if policy.works_only_for_networks(user):
        # The network's own staff: their work is the network's (issue 15).
        return redirect("network:home")
    held = policy.roles(user)
    week = None
    if Role.COACH in held:
        since = services.home_looked(user=user)
        week = selectors.coach_week(user, since=since)
    context = {
        "roles": sorted(held),
        "week": week,
        "queue": selectors.lead_queue(user) if Role.LEAD in held else None,
        # The home only links to the area picture (its figures are on /area/).
        "areas": selectors.commissions_an_area(user),
        # Convening (issue 13): recommendations sent to this lead or commissioner to answer.
        "recommendations_waiting": selectors.recommendations_waiting(user),
        "today": timezone.localdate(),
        "Role": Role,
    }
    return render(request, "home/home_staff.html", context)


@login_required
def everyone(request: HttpRequest) -> HttpResponse:
    """For a lead: every relationship in the organisation, or those behind one number on
    their home (a stage, no contact for a long time, checked in this month)."""
    organisation, led = led_organisation(request, "everyone page")
    show = request.GET.get("show", "")
    if show not in dict(selectors.everyone_filters()):
        show = ""
    context = selectors.everyone(organisation, show=show, page=request.GET.get("page"))
    context.update(
        organisation=organisation,
        led=led,
        query=organisation_query(organisation, led),
    )
    return render(request, "home/everyone.html", context)


@login_required
def area(request: HttpRequest) -> HttpResponse:
    if Role.COMMISSIONER not in policy.roles(request.user):
        policy.record_denied(request, "area page")
    return render(request, "home/area.html", {"areas": selectors.commissioned_areas(request.user)})
