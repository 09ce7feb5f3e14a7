"""Pages for the safety plan: read it (with its history) and write a new version."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path

from alongside.accounts import policy
from alongside.accounts.policy import Action
from alongside.core import audit
from alongside.core.models import AuditAction

from ..forms_safety import SafetyPlanForm
from ..selectors import safety as selectors
from ..services import safety as services
from . import person_or_404


@login_required
def safety_plan(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(person_id)
    policy.authorize(request, Action.PERSON_VIEW, person, detail="safety plan")
    plans = selectors.history(person)
    latest = plans[0] if plans else None
    may_read = latest is None or policy.can(request.user, Action.SAFETY_PLAN_VIEW, latest)
    if latest is not None and not may_read:
        audit.record(request.user, AuditAction.DENIED, latest, detail="safety plan not shared")
    context = {
        "person": person,
        "plan": latest if may_read else None,
        "history": plans if may_read else [],
        "has_plan": latest is not None,
        "may_read": may_read,
        "is_person": policy.is_the_person(request.user, person),
        "may_change": may_read and policy.can(request.user, Action.PERSON_CHANGE, person),
    }
    return render(request, "coaching/safety/plan.html", context)


@login_required
def safety_plan_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(person_id)
    policy.authorize(request, Action.PERSON_CHANGE, person, detail="safety plan")
    latest = selectors.latest_plan(person)
    if latest is not None and not policy.can(request.user, Action.SAFETY_PLAN_VIEW, latest):
        # Not shared with this user: they may not see the words to change them.
        return redirect("coaching:safety_plan", person.pk)
    initial = {}
    if latest is not None:
        initial = {field: getattr(latest, field) for field in services.PLAN_FIELDS}
        initial["visible_to"] = latest.visible_to
    else:
        initial["visible_to"] = [services.Audience.MY_COACH]
    form = SafetyPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = services.safety_plan_save(
            actor=request.user,
            person=person,
            visible_to=data["visible_to"],
            **{field: data[field] for field in services.PLAN_FIELDS},
        )
        messages.success(request, f"Saved as version {plan.version}.")
        return redirect("coaching:safety_plan", person.pk)
    context = {
        "person": person,
        "form": form,
        "is_person": policy.is_the_person(request.user, person),
        "version": (latest.version + 1) if latest else 1,
    }
    return render(request, "coaching/safety/edit.html", context)


urlpatterns: list[URLPattern] = [
    path("<int:person_id>/safety-plan/", safety_plan, name="safety_plan"),
    path("<int:person_id>/safety-plan/edit/", safety_plan_edit, name="safety_plan_edit"),
]
