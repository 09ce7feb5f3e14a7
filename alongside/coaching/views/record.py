from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from alongside.accounts import policy
from alongside.accounts.models import Role

from .. import selectors
from . import person_or_404


@login_required
def people(request: HttpRequest) -> HttpResponse:
    from ..selectors.relationships import people_for_coach

    if Role.COACH not in policy.roles(request.user):
        policy.record_denied(request, "people list")
    search = request.GET.get("q", "").strip()[:120]
    return render(request, "coaching/people.html", people_for_coach(request.user, search))


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(person_id, erased_too=True)
    policy.authorize(request, policy.Action.PERSON_VIEW, person, detail="record")
    if person.erased_at is not None:
        return render(request, "coaching/erased.html", {"person": person})
    context = selectors.person_record(person)
    context["may_invite"] = policy.can(request.user, policy.Action.PERSON_INVITE, person)
    return render(request, "coaching/person.html", context)
