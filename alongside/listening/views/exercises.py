"""Listening pages: the exercises a listener is part of, starting one, its overview and
changing its team and the names to take out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from alongside.accounts import policy
from alongside.accounts.models import Organisation, Role
from alongside.core import written

from ..forms import ExerciseEditForm, ExerciseForm
from ..models import Exercise
from ..selectors import exercises as selectors
from ..services import exercises as services

Action = policy.Action


def exercise_for(request: HttpRequest, exercise_id: int, action: Action, detail: str) -> Exercise:
    """The exercise a page is about, once the policy allows this user to do `action` to it.
    An exercise that doesn't exist is a 404; one the user may not open is a 403, audited."""
    # The area is on the overview; the organisation is asked for by its id only.
    exercise = written.one(Exercise, exercise_id, related=("area",))
    if exercise is None:
        raise Http404("No Exercise matches the given query.")
    policy.authorize(request, action, exercise, detail=detail)
    return exercise


def _may_listen(user: object) -> bool:
    return bool(policy.roles(user) & {Role.LISTENER, Role.LEAD})


@login_required
def exercises(request: HttpRequest) -> HttpResponse:
    if not _may_listen(request.user):
        policy.record_denied(request, "listening exercises")
    return render(
        request,
        "listening/exercises.html",
        {
            "exercises": selectors.exercises_for(request.user),
            "may_start": _creatable(request.user).exists(),
        },
    )


def _creatable(user: object) -> object:
    ids = [
        org_id
        for org_id in policy.organisations_where(user, Role.LISTENER)
        | policy.organisations_where(user, Role.LEAD)
    ]
    return Organisation.objects.filter(pk__in=ids).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def exercise_add(request: HttpRequest) -> HttpResponse:
    organisations = _creatable(request.user)
    if not organisations.exists():
        policy.record_denied(request, "exercise add")
    form = ExerciseForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        exercise = services.exercise_create(
            actor=request.user, organisation=form.cleaned_data["organisation"], **form.details()
        )
        messages.success(request, "Your listening exercise has started. You're in its team.")
        return redirect("listening:exercise", exercise_id=exercise.pk)
    return render(request, "listening/exercise_form.html", {"form": form, "exercise": None})


@login_required
def exercise(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = exercise_for(request, exercise_id, Action.EXERCISE_VIEW, "exercise")
    context = {
        "exercise": exercise,
        "counts": selectors.overview(exercise),
        "team": selectors.team(exercise),
        "can_work": policy.can(request.user, Action.EXERCISE_WORK, exercise),
        "can_edit": policy.can(request.user, Action.EXERCISE_EDIT, exercise),
        "channel_labels": [
            label for value, label in selectors.CHANNEL_LABELS.items() if value in exercise.channels
        ],
    }
    return render(request, "listening/exercise.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def exercise_edit(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = exercise_for(request, exercise_id, Action.EXERCISE_EDIT, "exercise edit")
    candidates = selectors.team_candidates(exercise.organisation_id)
    initial = {
        "title": exercise.title,
        "question": exercise.question,
        "asked_by": exercise.asked_by,
        "area": exercise.area,
        "starts_on": exercise.starts_on,
        "ends_on": exercise.ends_on,
        "target_groups": exercise.target_groups,
        "channels": exercise.channels,
        "consent_script": exercise.consent_script,
        "team": list(exercise.team.values_list("pk", flat=True)),
        "names_to_redact": exercise.names_to_redact,
    }
    form = ExerciseEditForm(request.POST or None, initial=initial, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.details()
        waiting = services.exercise_update(
            actor=request.user,
            exercise=exercise,
            team=data.pop("team"),
            names_to_redact=data.pop("names_to_redact"),
            **data,
        )
        messages.success(request, "Saved.")
        if waiting:
            messages.info(
                request,
                f"The new names were found in {waiting} contribution"
                f"{'s' if waiting != 1 else ''}. They're taken out, and those contributions "
                "are waiting for someone to check them again.",
            )
        if not policy.can(request.user, Action.EXERCISE_VIEW, exercise):
            return redirect("listening:exercises")
        return redirect("listening:exercise", exercise_id=exercise.pk)
    return render(request, "listening/exercise_form.html", {"form": form, "exercise": exercise})


urlpatterns: list[URLPattern] = [
    path("", exercises, name="exercises"),
    path("add/", exercise_add, name="exercise_add"),
    path("<int:exercise_id>/", exercise, name="exercise"),
    path("<int:exercise_id>/edit/", exercise_edit, name="exercise_edit"),
]
