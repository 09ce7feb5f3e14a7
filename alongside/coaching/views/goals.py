"""Pages for goals and their steps, strengths and milestones."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from alongside.accounts import policy
from alongside.core.forms import posted_words

from ..forms_goals import (
    GoalForm,
    GoalStatusForm,
    MilestoneForm,
    MilestoneKindForm,
    StepForm,
    StrengthForm,
)
from ..models import Goal, GoalStep, Person
from ..selectors.goals import milestone_kinds as milestone_kinds_for
from ..selectors.goals import strengths_grouped
from ..services import goals as services
from ..services import milestones as milestone_services
from ..services import strengths as strength_services
from . import led_organisation, organisation_query, part_for, person_for, person_or_404

CHANGE = policy.Action.PERSON_CHANGE


def _person_and_goal(
    request: HttpRequest, person_id: int, goal_id: int, action: policy.Action, detail: str
) -> tuple[Person, Goal]:
    person = person_or_404(person_id)
    goals = Goal.objects.select_related("suggested_by").prefetch_related("steps")
    goal = part_for(request, person, goals, goal_id, action=action, detail=detail)
    return person, goal


def _render_detail(
    request: HttpRequest, person: Person, goal: Goal, step_form: StepForm, status: int = 200
) -> HttpResponse:
    context = {
        "person": person,
        "goal": goal,
        "step_form": step_form,
        "is_the_person": policy.is_the_person(request.user, person),
    }
    return render(request, "coaching/goals/detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def goal_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, CHANGE, "goal add")
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        goal = services.goal_create(actor=request.user, person=person, **form.cleaned_data)
        if goal.is_suggestion:
            messages.success(
                request, f"Goal suggested. It becomes {person.chosen_name}'s when they accept it."
            )
        else:
            messages.success(request, "Goal added.")
        return redirect("coaching:goal_detail", person_id=person.pk, goal_id=goal.pk)
    return render(
        request, "coaching/goals/form.html", {"person": person, "form": form, "goal": None}
    )


@login_required
def goal_detail(request: HttpRequest, person_id: int, goal_id: int) -> HttpResponse:
    person, goal = _person_and_goal(request, person_id, goal_id, policy.Action.PERSON_VIEW, "goal")
    return _render_detail(request, person, goal, StepForm())


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, person_id: int, goal_id: int) -> HttpResponse:
    person, goal = _person_and_goal(request, person_id, goal_id, CHANGE, "goal edit")
    initial = {
        "words": goal.words,
        "why_it_matters": goal.why_it_matters,
        "hoped_by": goal.hoped_by,
    }
    form = GoalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.goal_update(actor=request.user, goal=goal, **form.cleaned_data)
        messages.success(request, "Goal changed.")
        return redirect("coaching:goal_detail", person_id=person.pk, goal_id=goal.pk)
    return render(
        request, "coaching/goals/form.html", {"person": person, "form": form, "goal": goal}
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_status(request: HttpRequest, person_id: int, goal_id: int) -> HttpResponse:
    person, goal = _person_and_goal(request, person_id, goal_id, CHANGE, "goal status")
    form = GoalStatusForm(
        request.POST or None, initial={"status": goal.status, "achieved_on": goal.achieved_on}
    )
    if request.method == "POST" and form.is_valid():
        services.goal_status_change(actor=request.user, goal=goal, **form.cleaned_data)
        if goal.status == Goal.Status.ACHIEVED:
            messages.success(request, "Achieved! Well done.")
        else:
            messages.success(request, f"This goal is now: {goal.get_status_display().lower()}.")
        return redirect("coaching:goal_detail", person_id=person.pk, goal_id=goal.pk)
    return render(
        request, "coaching/goals/status.html", {"person": person, "form": form, "goal": goal}
    )


@login_required
@require_POST
def goal_accept(request: HttpRequest, person_id: int, goal_id: int) -> HttpResponse:
    person, goal = _person_and_goal(request, person_id, goal_id, CHANGE, "goal accept")
    services.goal_accept(actor=request.user, goal=goal)
    messages.success(request, "This goal is yours now.")
    return redirect("coaching:goal_detail", person_id=person.pk, goal_id=goal.pk)


@login_required
@require_POST
def goal_step_add(request: HttpRequest, person_id: int, goal_id: int) -> HttpResponse:
    person, goal = _person_and_goal(request, person_id, goal_id, CHANGE, "goal step add")
    form = StepForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, person, goal, form, status=400)
    services.goal_step_add(actor=request.user, goal=goal, words=form.cleaned_data["words"])
    messages.success(request, "Step added.")
    return redirect("coaching:goal_detail", person_id=person.pk, goal_id=goal.pk)


@login_required
@require_POST
def goal_step_done(
    request: HttpRequest, person_id: int, goal_id: int, step_id: int
) -> HttpResponse:
    person = person_or_404(person_id)
    steps = GoalStep.objects.select_related("goal__person").filter(goal_id=goal_id)
    step = part_for(
        request, person, steps, step_id, action=CHANGE, detail="goal step", through="goal__person"
    )
    done = request.POST.get("done") != "0"
    services.goal_step_done(actor=request.user, step=step, done=done)
    messages.success(request, "Step done. Nice one." if done else "Step marked as not done yet.")
    return redirect("coaching:goal_detail", person_id=person.pk, goal_id=goal_id)


@login_required
def strengths(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, policy.Action.PERSON_VIEW, "strengths")
    return render(
        request, "coaching/strengths/list.html", {"person": person, **strengths_grouped(person)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def strength_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, CHANGE, "strength add")
    form = StrengthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        strength_services.strength_create(actor=request.user, person=person, **form.cleaned_data)
        messages.success(request, "Strength added.")
        return redirect("coaching:strengths", person_id=person.pk)
    return render(request, "coaching/strengths/form.html", {"person": person, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def milestone_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, CHANGE, "milestone add")
    kinds = milestone_kinds_for(person.organisation)
    form = MilestoneForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        milestone_services.milestone_create(actor=request.user, person=person, **form.cleaned_data)
        messages.success(request, "Milestone recorded. Something to celebrate.")
        return redirect("coaching:person", person_id=person.pk)
    return render(request, "coaching/milestones/form.html", {"person": person, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def milestone_kinds(request: HttpRequest) -> HttpResponse:
    organisation, led = led_organisation(request, "milestone list")
    back = reverse("coaching:milestone_kinds") + organisation_query(organisation, led)
    form = MilestoneKindForm()
    if request.method == "POST":
        remove = posted_words(request.POST.get("remove"), max_length=60)
        if remove:
            milestone_services.milestone_kind_remove(
                actor=request.user, organisation=organisation, label=remove
            )
            messages.success(request, "Taken off the list. Milestones already recorded stay.")
            return redirect(back)
        form = MilestoneKindForm(request.POST)
        if form.is_valid():
            milestone_services.milestone_kind_add(
                actor=request.user, organisation=organisation, label=form.cleaned_data["label"]
            )
            messages.success(request, "Added to the list.")
            return redirect(back)
    return render(
        request,
        "coaching/milestones/kinds.html",
        {
            "organisation": organisation,
            "led": led,
            "form": form,
            "kinds": milestone_kinds_for(organisation),
        },
    )


urlpatterns: list[URLPattern] = [
    path("<int:person_id>/goals/add/", goal_add, name="goal_add"),
    path("<int:person_id>/goals/<int:goal_id>/", goal_detail, name="goal_detail"),
    path("<int:person_id>/goals/<int:goal_id>/edit/", goal_edit, name="goal_edit"),
    path("<int:person_id>/goals/<int:goal_id>/status/", goal_status, name="goal_status"),
    path("<int:person_id>/goals/<int:goal_id>/accept/", goal_accept, name="goal_accept"),
    path("<int:person_id>/goals/<int:goal_id>/steps/add/", goal_step_add, name="goal_step_add"),
    path(
        "<int:person_id>/goals/<int:goal_id>/steps/<int:step_id>/done/",
        goal_step_done,
        name="goal_step_done",
    ),
    path("<int:person_id>/strengths/", strengths, name="strengths"),
    path("<int:person_id>/strengths/add/", strength_add, name="strength_add"),
    path("<int:person_id>/milestones/add/", milestone_add, name="milestone_add"),
    path("milestones/", milestone_kinds, name="milestone_kinds"),
]
