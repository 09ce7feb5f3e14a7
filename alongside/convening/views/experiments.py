"""Convening pages: experiments (issue 13). The list, one experiment's page (its measures
before and during, its cycles, its stories), and the forms that change them.

Every page asks the policy: the list and a new experiment need the convener role (a new one
CONVENING_WORK in its organisation), everything about one experiment CONVENING_ITEM. Another
organisation's experiment is a 403, audited; a cycle named under an experiment it isn't part
of is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from alongside.accounts import policy
from alongside.accounts.models import Role
from alongside.core.forms import record_id

from ..forms_experiments import CycleForm, CycleStartForm, ExperimentForm, StoryForm
from ..models import Cycle, Experiment, Measure
from ..selectors import experiments as selectors
from ..selectors import groups as group_selectors
from ..services import experiments as services

Action = policy.Action


def experiment_for(request: HttpRequest, experiment_id: int, detail: str) -> Experiment:
    experiment = get_object_or_404(
        Experiment.objects.select_related("organisation", "group"), pk=experiment_id
    )
    policy.authorize(request, Action.CONVENING_ITEM, experiment, detail=detail)
    return experiment


def _convener_or_denied(request: HttpRequest, detail: str) -> None:
    if Role.CONVENER not in policy.roles(request.user):
        policy.record_denied(request, detail)


@login_required
def experiments(request: HttpRequest) -> HttpResponse:
    _convener_or_denied(request, "experiments")
    rows = [
        (experiment, selectors.when_words(experiment))
        for experiment in selectors.experiments_for(request.user)
    ]
    return render(request, "convening/experiments/list.html", {"rows": rows})


def _form_context(form: ExperimentForm, experiment: Experiment | None, **extra: Any) -> dict:
    return {"form": form, "experiment": experiment, **extra}


@login_required
@require_http_methods(["GET", "POST"])
def experiment_add(request: HttpRequest) -> HttpResponse:
    _convener_or_denied(request, "experiment add")
    organisations = group_selectors.convening_organisations(request.user)
    chosen = organisations.first()
    if request.method == "POST":
        picked = record_id(request.POST.get("organisation"))
        chosen = (organisations.filter(pk=picked).first() if picked else None) or chosen
    if chosen is None:
        policy.record_denied(request, "experiment add")
    initial: dict[str, Any] = {
        "starts_on": timezone.localdate(),
        "measure_kinds": [Measure.Kind.STORIES.value],
    }
    group_id = record_id(request.GET.get("group"))
    if group_id:
        group = selectors.group_choices(chosen).filter(pk=group_id).first()
        if group is not None:
            initial["group"] = group
            theme_ids = list(group.themes.values_list("pk", flat=True))
            initial["themes"] = theme_ids
            initial["watched_themes"] = theme_ids
    form = ExperimentForm(
        request.POST or None,
        initial=initial,
        organisations=organisations,
        themes=group_selectors.theme_choices(chosen),
        groups=selectors.group_choices(chosen),
    )
    if request.method == "POST" and form.is_valid():
        try:
            experiment = services.experiment_create(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                **form.details(),
            )
        except ValueError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, "The experiment is set up. Start its first cycle.")
            return redirect("convening:experiment", experiment_id=experiment.pk)
    return render(request, "convening/experiments/form.html", _form_context(form, None))


@login_required
def experiment(request: HttpRequest, experiment_id: int) -> HttpResponse:
    experiment = experiment_for(request, experiment_id, "experiment")
    return render(
        request,
        "convening/experiments/experiment.html",
        {"page": selectors.experiment_page(experiment)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def experiment_edit(request: HttpRequest, experiment_id: int) -> HttpResponse:
    experiment = experiment_for(request, experiment_id, "experiment edit")
    org = experiment.organisation
    themes = group_selectors.theme_choices(org)
    groups = selectors.group_choices(org)
    measures = list(experiment.measures.all())
    initial = {
        "title": experiment.title,
        "if_we": experiment.if_we,
        "then": experiment.then,
        "co_designed_with": experiment.co_designed_with,
        "group": experiment.group,
        "themes": list(experiment.themes.values_list("pk", flat=True)),
        "starts_on": experiment.starts_on,
        "ends_on": experiment.ends_on,
        "watched_themes": [
            m.theme_id for m in measures if m.kind == Measure.Kind.THEME_BARRIERS and m.theme_id
        ],
        "measure_kinds": [m.kind for m in measures if m.kind != Measure.Kind.THEME_BARRIERS],
        "version": experiment.version,
    }
    kwargs = {"organisations": None, "themes": themes, "groups": groups, "editing": True}
    form = ExperimentForm(request.POST or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            services.experiment_update(
                actor=request.user,
                experiment=experiment,
                version=form.cleaned_data["version"] or 0,
                **form.details(),
            )
        except services.StaleEditError as conflict:
            posted = request.POST.copy()
            posted["version"] = str(conflict.current.version)  # type: ignore[attr-defined]
            form = ExperimentForm(posted, **kwargs)
            form.is_valid()
            context = _form_context(form, experiment, theirs=conflict.current)
            return render(request, "convening/experiments/form.html", context, status=409)
        except ValueError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, "Saved.")
            return redirect("convening:experiment", experiment_id=experiment.pk)
    return render(request, "convening/experiments/form.html", _form_context(form, experiment))


@login_required
@require_http_methods(["GET", "POST"])
def cycle_add(request: HttpRequest, experiment_id: int) -> HttpResponse:
    experiment = experiment_for(request, experiment_id, "cycle add")
    form = CycleStartForm(
        request.POST or None,
        initial={"plan": selectors.next_plan(experiment), "starts_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        cycle = services.cycle_start(
            actor=request.user,
            experiment=experiment,
            plan=form.cleaned_data["plan"],
            starts_on=form.cleaned_data["starts_on"],
        )
        messages.success(request, f"Cycle {cycle.number} has started.")
        return redirect("convening:experiment", experiment_id=experiment.pk)
    number = experiment.cycles.count() + 1
    return render(
        request,
        "convening/experiments/cycle_start.html",
        {"form": form, "experiment": experiment, "number": number},
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_edit(request: HttpRequest, experiment_id: int, number: int) -> HttpResponse:
    experiment = experiment_for(request, experiment_id, "cycle edit")
    cycle = Cycle.objects.filter(experiment=experiment, number=number).first()
    if cycle is None:
        raise Http404
    cycle.experiment = experiment
    context: dict[str, Any] = {"experiment": experiment, "cycle": cycle}
    if request.method == "POST":
        form = CycleForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.cycle_update(
                    actor=request.user,
                    cycle=cycle,
                    version=data["version"] or 0,
                    plan=data["plan"],
                    tried=data["tried"],
                    reflections=data["reflections"],
                    what_changed=data["what_changed"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                )
            except services.StaleEditError as conflict:
                posted = request.POST.copy()
                posted["version"] = str(conflict.current.version)  # type: ignore[attr-defined]
                form = CycleForm(posted)
                form.is_valid()
                context.update(form=form, theirs=conflict.current)
                return render(request, "convening/experiments/cycle_form.html", context, status=409)
            messages.success(request, f"Cycle {cycle.number} saved.")
            return redirect("convening:experiment", experiment_id=experiment.pk)
    else:
        form = CycleForm(
            initial={
                "plan": cycle.plan,
                "tried": cycle.tried,
                "reflections": cycle.reflections,
                "what_changed": cycle.what_changed,
                "starts_on": cycle.starts_on,
                "ends_on": cycle.ends_on,
                "version": cycle.version,
            }
        )
    context["form"] = form
    return render(request, "convening/experiments/cycle_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def story_add(request: HttpRequest, experiment_id: int) -> HttpResponse:
    experiment = experiment_for(request, experiment_id, "story add")
    form = StoryForm(request.POST or None, initial={"told_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.story_add(
                actor=request.user,
                experiment=experiment,
                words=form.cleaned_data["words"],
                told_on=form.cleaned_data["told_on"],
            )
        except ValueError as problem:
            form.add_error("words", str(problem))
        else:
            messages.success(
                request, "Story saved, with anything that could point to someone taken out."
            )
            return redirect("convening:experiment", experiment_id=experiment.pk)
    return render(
        request, "convening/experiments/story_form.html", {"form": form, "experiment": experiment}
    )


urlpatterns: list[URLPattern] = [
    path("experiments/", experiments, name="experiments"),
    path("experiments/new/", experiment_add, name="experiment_add"),
    path("experiments/<int:experiment_id>/", experiment, name="experiment"),
    path("experiments/<int:experiment_id>/edit/", experiment_edit, name="experiment_edit"),
    path("experiments/<int:experiment_id>/cycles/new/", cycle_add, name="cycle_add"),
    path("experiments/<int:experiment_id>/cycles/<int:number>/", cycle_edit, name="cycle_edit"),
    path("experiments/<int:experiment_id>/stories/add/", story_add, name="story_add"),
]
