"""What good looks like (issue 14, item 5): statements in three voices, who took part, how
each is tracked, and the values over time.

Pages are for the area's analysts and commissioners (INSIGHT_WORK on the area, INSIGHT_ITEM on
a statement); anyone else is refused and the refusal audited. A statement or tracker of
another area is refused as well, never shown."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods, require_POST

from alongside.accounts import policy
from alongside.core.forms import reshown_after_conflict

from ..forms_good import PersonForm, StatementForm, StatusForm, TrackerForm, ValueForm
from ..models import Statement, Tracker
from ..selectors import good as selectors
from ..services import good as services
from .home import chosen_area

Action = policy.Action


def _statement(request: HttpRequest, pk: int, detail: str) -> Statement:
    statement = selectors.statement_of(pk)
    if statement is None:
        raise Http404("No statement here.")
    policy.authorize(request, Action.INSIGHT_ITEM, statement, detail=detail)
    return statement


@login_required
@require_http_methods(["GET"])
def good(request: HttpRequest) -> HttpResponse:
    area, areas = chosen_area(request, "what good looks like")
    context = {"area": area, "areas": areas, "groups": selectors.summary(area)}
    return render(request, "insight/good/list.html", context)


def _statement_fields(form: StatementForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {"voice": data["voice"], "words": data["words"], "discussion": data["discussion"]}


@login_required
@require_http_methods(["GET", "POST"])
def statement_new(request: HttpRequest) -> HttpResponse:
    area, areas = chosen_area(request, "statement new")
    status = 200
    if request.method == "POST":
        form = StatementForm(request.POST, areas=areas)
        if form.is_valid():
            chosen = next(a for a in areas if a.pk == form.cleaned_data["area"])
            try:
                statement = services.statement_create(
                    actor=request.user, area=chosen, **_statement_fields(form)
                )
            except services.StatementError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Statement drafted.")
                return redirect("insight:statement", pk=statement.pk)
        status = 400
    else:
        form = StatementForm(areas=areas, initial={"area": area.pk})
    context = {"form": form, "statement": None, "area": area, "theirs": None}
    return render(request, "insight/good/form.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    one = _statement(request, pk, f"statement {pk}")
    context = {
        "page": selectors.page(one),
        "status_form_version": one.version,
        "Status": Statement.Status,
    }
    return render(request, "insight/good/statement.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def statement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    one = _statement(request, pk, f"statement {pk} edit")
    areas = [one.area]
    initial = {
        "area": one.area_id,
        "voice": one.voice,
        "words": one.words,
        "discussion": one.discussion,
        "version": one.version,
    }
    status = 200
    theirs = None
    if request.method == "POST":
        form = StatementForm(request.POST, areas=areas, initial=initial)
        if form.is_valid():
            try:
                services.statement_update(
                    actor=request.user,
                    statement=one,
                    version=form.cleaned_data.get("version") or 0,
                    **_statement_fields(form),
                )
            except services.StatementConflictError as conflict:
                form = reshown_after_conflict(
                    lambda data: StatementForm(data, areas=areas, initial=initial),
                    request.POST,
                    version=conflict.current.version,
                    what="this statement",
                )
                theirs = conflict.current
                status = 409
            except services.StatementError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                messages.success(request, "Statement saved.")
                return redirect("insight:statement", pk=one.pk)
        else:
            status = 400
    else:
        form = StatementForm(initial=initial, areas=areas)
    context = {"form": form, "statement": one, "area": one.area, "theirs": theirs}
    return render(request, "insight/good/form.html", context, status=status)


@login_required
@require_POST
def statement_status(request: HttpRequest, pk: int) -> HttpResponse:
    one = _statement(request, pk, f"statement {pk} status")
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That did not work: please press the button again.")
        return redirect("insight:statement", pk=one.pk)
    try:
        services.statement_set_status(
            actor=request.user,
            statement=one,
            status=form.cleaned_data["status"],
            version=form.cleaned_data["version"],
        )
    except services.StatementConflictError:
        messages.error(
            request,
            "Someone changed it while you were reading it: check what it says now, then "
            "press the button again.",
        )
    except services.StatementError as error:
        messages.error(request, str(error))
    else:
        if one.status == Statement.Status.AGREED:
            messages.success(request, "Agreed. Well done to everyone who shaped it.")
        else:
            messages.success(request, "Marked as being discussed.")
    return redirect("insight:statement", pk=one.pk)


@login_required
@require_http_methods(["GET", "POST"])
def statement_person_add(request: HttpRequest, pk: int) -> HttpResponse:
    one = _statement(request, pk, f"statement {pk} person add")
    status = 200
    if request.method == "POST":
        form = PersonForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.statement_person_add(
                    actor=request.user,
                    statement=one,
                    name=data["name"],
                    role=data["role"],
                    consents_to_be_named=data["consents_to_be_named"],
                )
            except services.StatementError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    "Added. They are named on the statement."
                    if data["consents_to_be_named"]
                    else "Added, without their name: they are counted by how they took part.",
                )
                return redirect("insight:statement", pk=one.pk)
        status = 400
    else:
        form = PersonForm()
    return render(
        request, "insight/good/person_form.html", {"form": form, "statement": one}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def tracker_new(request: HttpRequest, pk: int) -> HttpResponse:
    one = _statement(request, pk, f"statement {pk} tracker add")
    exercises = selectors.exercise_choices(one.area)
    status = 200
    if request.method == "POST":
        form = TrackerForm(request.POST, exercises=exercises)
        if form.is_valid():
            data = form.cleaned_data
            exercise = (
                selectors.exercises_for_area(one.area).filter(pk=data["exercise"]).first()
                if data.get("exercise")
                else None
            )
            try:
                services.tracker_create(
                    actor=request.user,
                    statement=one,
                    kind=data["kind"],
                    title=data["title"],
                    measure=data.get("measure") or "",
                    exercise=exercise,
                )
            except services.StatementError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Added a way to track it.")
                return redirect("insight:statement", pk=one.pk)
        status = 400
    else:
        form = TrackerForm(exercises=exercises)
    context = {"form": form, "statement": one, "has_exercises": bool(exercises)}
    return render(request, "insight/good/tracker_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def tracker_value_add(request: HttpRequest, pk: int) -> HttpResponse:
    tracker = selectors.tracker_of(pk)
    if tracker is None:
        raise Http404("No tracker here.")
    one = tracker.statement
    policy.authorize(request, Action.INSIGHT_ITEM, one, detail=f"tracker {pk} value add")
    if tracker.kind != Tracker.Kind.SURVEY:
        raise Http404("Only a survey item takes values.")
    status = 200
    if request.method == "POST":
        form = ValueForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.tracker_value_add(
                    actor=request.user,
                    tracker=tracker,
                    period_start=data["period_start"],
                    value=data["value"],
                    respondents=data["respondents"],
                    note=data["note"],
                )
            except services.StatementError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    "Value added."
                    if data["respondents"] >= 10
                    else "Value kept. Fewer than 10 answered, so it is not shown.",
                )
                return redirect("insight:statement", pk=one.pk)
        status = 400
    else:
        form = ValueForm()
    context = {"form": form, "statement": one, "tracker": tracker}
    return render(request, "insight/good/value_form.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("good/", good, name="good"),
    path("good/new/", statement_new, name="statement_new"),
    path("good/<int:pk>/", statement, name="statement"),
    path("good/<int:pk>/edit/", statement_edit, name="statement_edit"),
    path("good/<int:pk>/status/", statement_status, name="statement_status"),
    path("good/<int:pk>/people/", statement_person_add, name="statement_person_add"),
    path("good/<int:pk>/trackers/new/", tracker_new, name="tracker_new"),
    path("trackers/<int:pk>/values/", tracker_value_add, name="tracker_value_add"),
]
